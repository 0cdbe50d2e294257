/// <reference types="jest" />
/** Contract: Idempotency-Keys make a retried append safe, permanently. */
import { randomUUID } from 'node:crypto';
import { IdempotencyKeyAlreadyUsedError, IdempotencyKeyReusedError, WrongExpectedRevisionError } from '../errors';
import type { IdempotencyClaim } from '../event-store.port';
import { anEvent, freshStreamId, readAllOf, rejectionOf, type StoreUnderTest } from './contract-support';

export function describeIdempotencyContract(store: StoreUnderTest): void {
  function aClaim(requestHash = `hash-${randomUUID()}`): IdempotencyClaim {
    return { key: `key-${randomUUID()}`, requestHash };
  }

  describe('idempotent retries', () => {
    it('records the claimed key with the result of the append it came with', async () => {
      const streamId = freshStreamId();
      const claim = aClaim();
      const result = await store().append(streamId, [anEvent(), anEvent()], 'no_stream', claim);
      expect(await store().findIdempotencyRecord(claim.key)).toEqual({ ...result, ...claim });
    });

    it('finds no record for a key that was never used', async () => {
      expect(await store().findIdempotencyRecord(`never-${randomUUID()}`)).toBeUndefined();
    });

    it('rejects a retry with the same key and request as already used, carrying the original result, and appends nothing', async () => {
      const streamId = freshStreamId();
      const claim = aClaim();
      const events = [anEvent()];
      const original = await store().append(streamId, events, 'no_stream', claim);

      // The very same call again: its expected revision no longer holds, yet the claim answers first.
      const error = await rejectionOf(store().append(streamId, events, 'no_stream', claim), IdempotencyKeyAlreadyUsedError);
      expect(error.key).toBe(claim.key);
      expect(error.original).toEqual(original);
      expect(await store().readStream(streamId)).toHaveLength(1);
    });

    it('answers a retry from the original result even after the stream has moved on', async () => {
      const streamId = freshStreamId();
      const claim = aClaim();
      const original = await store().append(streamId, [anEvent()], 'no_stream', claim);
      await store().append(streamId, [anEvent(), anEvent()], 0n);

      const error = await rejectionOf(store().append(streamId, [anEvent()], 'any', claim), IdempotencyKeyAlreadyUsedError);
      expect(error.original).toEqual(original);
      expect(await store().readStream(streamId)).toHaveLength(3);
    });

    it('rejects a key reused for a different request, on any stream, and appends nothing', async () => {
      const first = freshStreamId();
      const second = freshStreamId();
      const claim = aClaim('hash-of-first-request');
      await store().append(first, [anEvent()], 'no_stream', claim);

      const reused = { key: claim.key, requestHash: 'hash-of-another-request' };
      const sameStream = await rejectionOf(store().append(first, [anEvent()], 'any', reused), IdempotencyKeyReusedError);
      expect(sameStream.key).toBe(claim.key);
      await rejectionOf(store().append(second, [anEvent()], 'no_stream', reused), IdempotencyKeyReusedError);

      expect(await store().readStream(first)).toHaveLength(1);
      expect(await store().readStream(second)).toEqual([]);
      expect(await store().findIdempotencyRecord(claim.key)).toMatchObject({ requestHash: 'hash-of-first-request' });
    });

    it('does not record the key of an append that was rejected, so a corrected retry can use it', async () => {
      const streamId = freshStreamId();
      const claim = aClaim();
      await rejectionOf(store().append(streamId, [anEvent()], 'stream_exists', claim), WrongExpectedRevisionError);
      expect(await store().findIdempotencyRecord(claim.key)).toBeUndefined();

      const result = await store().append(streamId, [anEvent()], 'no_stream', claim);
      expect(await store().findIdempotencyRecord(claim.key)).toEqual({ ...result, ...claim });
    });

    it('stores a claimed append exactly once in the global log', async () => {
      const streamId = freshStreamId();
      const before = await store().headPosition();
      const claim = aClaim();
      const events = [anEvent(), anEvent()];
      await store().append(streamId, events, 'no_stream', claim);
      await Promise.allSettled([1, 2, 3].map(() => store().append(streamId, events, 'no_stream', claim)));
      const logged = await readAllOf(store(), [streamId], { after: before });
      expect(logged.map((e) => e.id)).toEqual(events.map((e) => e.id));
    });
  });
}
