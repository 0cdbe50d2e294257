/// <reference types="jest" />
/** Contract: optimistic concurrency on append, including concurrent writers. */
import { WrongExpectedRevisionError } from '../errors';
import type { ExpectedRevision } from '../event-store.port';
import { anEvent, freshStreamId, rejectionOf, someEvents, type StoreUnderTest } from './contract-support';

export function describeAppendContract(store: StoreUnderTest): void {
  /** A stream holding `count` events, so its last revision is count - 1. */
  async function streamWith(count: number): Promise<string> {
    const streamId = freshStreamId();
    await store().append(streamId, someEvents(count), 'no_stream');
    return streamId;
  }

  async function expectRejected(streamId: string, expected: ExpectedRevision, actual: bigint | 'no_stream') {
    const before = await store().readStream(streamId);
    const error = await rejectionOf(store().append(streamId, [anEvent()], expected), WrongExpectedRevisionError);
    expect(error).toMatchObject({ streamId, expected, actual });
    expect(await store().readStream(streamId)).toEqual(before);
  }

  describe('optimistic concurrency', () => {
    describe("expecting 'no_stream'", () => {
      it('creates a new stream whose first event has revision 0', async () => {
        const streamId = freshStreamId();
        const result = await store().append(streamId, someEvents(2), 'no_stream');
        expect(result.streamId).toBe(streamId);
        expect(result.nextExpectedRevision).toBe(1n);
        expect((await store().readStream(streamId)).map((e) => e.revision)).toEqual([0n, 1n]);
      });

      it('rejects an append expecting no_stream when the stream exists, and appends nothing', async () => {
        await expectRejected(await streamWith(2), 'no_stream', 1n);
      });
    });

    describe("expecting 'stream_exists'", () => {
      it('appends to a stream that exists', async () => {
        const streamId = await streamWith(1);
        const result = await store().append(streamId, [anEvent()], 'stream_exists');
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it('rejects an append to a stream that does not exist, reporting no_stream, and creates nothing', async () => {
        await expectRejected(freshStreamId(), 'stream_exists', 'no_stream');
      });
    });

    describe("expecting 'any'", () => {
      it('appends to a stream that does not exist yet, starting at revision 0', async () => {
        const result = await store().append(freshStreamId(), [anEvent()], 'any');
        expect(result.nextExpectedRevision).toBe(0n);
      });

      it('appends to a stream that exists, after its last event', async () => {
        const streamId = await streamWith(3);
        const result = await store().append(streamId, [anEvent()], 'any');
        expect(result.nextExpectedRevision).toBe(3n);
      });
    });

    describe('expecting an exact revision', () => {
      it("appends when the stream's last event has exactly that revision", async () => {
        const streamId = await streamWith(2);
        const result = await store().append(streamId, someEvents(2), 1n);
        expect(result.nextExpectedRevision).toBe(3n);
      });

      it('rejects a stale revision, reporting the actual one, and appends nothing', async () => {
        await expectRejected(await streamWith(3), 0n, 2n);
      });

      it('rejects a revision the stream has not reached, reporting the actual one', async () => {
        await expectRejected(await streamWith(1), 5n, 0n);
      });

      it('rejects any exact revision for a stream that does not exist, reporting no_stream', async () => {
        await expectRejected(freshStreamId(), 0n, 'no_stream');
      });
    });

    it('reports the revision and global position of the last event an append stored', async () => {
      const streamId = await streamWith(1);
      const result = await store().append(streamId, someEvents(3), 0n);
      const last = (await store().readStream(streamId)).at(-1);
      expect(result).toEqual({ streamId, nextExpectedRevision: last?.revision, position: last?.position });
    });

    it('keeps revisions contiguous from 0 across many appends', async () => {
      const streamId = freshStreamId();
      let expected: ExpectedRevision = 'no_stream';
      for (let i = 0; i < 5; i += 1) {
        expected = (await store().append(streamId, someEvents(i + 1), expected)).nextExpectedRevision;
      }
      const revisions = (await store().readStream(streamId)).map((e) => e.revision);
      expect(revisions).toEqual(Array.from({ length: 15 }, (_, i) => BigInt(i)));
    });

    it('lets exactly one of many concurrent appends expecting the same revision win; the rest are rejected', async () => {
      const streamId = await streamWith(1);
      const attempts = Array.from({ length: 10 }, () => anEvent());
      const outcomes = await Promise.allSettled(attempts.map((e) => store().append(streamId, [e], 0n)));
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(9);
      for (const reason of lost) {
        expect(reason).toBeInstanceOf(WrongExpectedRevisionError);
        expect((reason as WrongExpectedRevisionError).actual).toBe(1n);
      }
      const stored = await store().readStream(streamId);
      expect(stored).toHaveLength(2);
      expect(attempts.map((e) => e.id)).toContain(stored[1].id);
    });

    it('lets exactly one of many concurrent creations of the same stream win', async () => {
      const streamId = freshStreamId();
      const outcomes = await Promise.allSettled(
        Array.from({ length: 5 }, () => store().append(streamId, [anEvent()], 'no_stream')),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(await store().readStream(streamId)).toHaveLength(1);
    });
  });
}
