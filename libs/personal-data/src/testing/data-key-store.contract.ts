/// <reference types="jest" />
/**
 * The contract every DataKeyStore adapter must pass, written only against the port.
 *
 *     describeDataKeyStoreContract('SqliteDataKeyStore', open, cleanup);
 *
 * `open` returns a store on the storage of the running test; calling it again within the same
 * test must reach the same storage (that is how durability across close and reopen is
 * checked). `cleanup` runs after each test, once every store it opened is closed, and must
 * wipe that storage, so that each test starts from an empty store.
 *
 * Test-only: not exported from the library's index.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { isErasedDataKey, type DataKeyStore, type WrappedDataKey } from '../data-key-store.port';

/** A well-formed wrapped key (random bytes: the store never unwraps). */
export function aWrappedKey(journeyId: string = randomUUID(), kekId = 'kek-a'): WrappedDataKey {
  return { journeyId, kekId, wrapped: randomBytes(60).toString('base64'), createdAt: new Date().toISOString() };
}

export function describeDataKeyStoreContract(name: string, open: () => Promise<DataKeyStore>, cleanup: () => Promise<void>): void {
  describe(`${name} honours the DataKeyStore contract`, () => {
    const opened: DataKeyStore[] = [];
    const store = async (): Promise<DataKeyStore> => {
      const next = await open();
      opened.push(next);
      return next;
    };

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
      await cleanup();
    });

    it('stores a key once and returns it from get; an unknown journey reads as undefined', async () => {
      const keys = await store();
      const key = aWrappedKey();
      expect(await keys.putIfAbsent(key)).toEqual(key);
      expect(await keys.get(key.journeyId)).toEqual(key);
      expect(await keys.get(randomUUID())).toBeUndefined();
    });

    it('lets the first writer win: every concurrent putIfAbsent returns the same stored key', async () => {
      const keys = await store();
      const journeyId = randomUUID();
      const offers = Array.from({ length: 8 }, () => aWrappedKey(journeyId));
      const results = await Promise.all(offers.map((offer) => keys.putIfAbsent(offer)));
      const stored = await keys.get(journeyId);
      expect(offers).toContainEqual(stored);
      for (const result of results) expect(result).toEqual(stored);
    });

    it('keeps an existing key when another is offered later', async () => {
      const keys = await store();
      const first = aWrappedKey();
      await keys.putIfAbsent(first);
      expect(await keys.putIfAbsent(aWrappedKey(first.journeyId, 'kek-b'))).toEqual(first);
    });

    it('replaces a key with a tombstone holding no key material, and refuses a new key afterwards', async () => {
      const keys = await store();
      const key = aWrappedKey();
      await keys.putIfAbsent(key);
      await keys.destroy(key.journeyId, '2025-01-02T03:04:05.000Z');
      const tombstone = { journeyId: key.journeyId, erasedAt: '2025-01-02T03:04:05.000Z' };
      expect(await keys.get(key.journeyId)).toEqual(tombstone);
      expect(await keys.putIfAbsent(aWrappedKey(key.journeyId))).toEqual(tombstone);
      expect(await keys.get(key.journeyId)).toEqual(tombstone);
    });

    it('writes a tombstone for a journey that never had a key, so none can be created', async () => {
      const keys = await store();
      const journeyId = randomUUID();
      await keys.destroy(journeyId, '2025-01-01T00:00:00.000Z');
      const result = await keys.putIfAbsent(aWrappedKey(journeyId));
      expect(isErasedDataKey(result)).toBe(true);
      expect(result).toEqual({ journeyId, erasedAt: '2025-01-01T00:00:00.000Z' });
    });

    it('is idempotent on destroy, keeping the first erasedAt', async () => {
      const keys = await store();
      const key = aWrappedKey();
      await keys.putIfAbsent(key);
      await keys.destroy(key.journeyId, '2025-01-01T00:00:00.000Z');
      await keys.destroy(key.journeyId, '2025-06-01T00:00:00.000Z');
      expect(await keys.get(key.journeyId)).toEqual({ journeyId: key.journeyId, erasedAt: '2025-01-01T00:00:00.000Z' });
    });

    it('rewraps only while the key is still under the expected KEK (compare-and-set)', async () => {
      const keys = await store();
      const key = aWrappedKey(randomUUID(), 'kek-old');
      await keys.putIfAbsent(key);
      const next = { ...aWrappedKey(key.journeyId, 'kek-new'), createdAt: key.createdAt };
      expect(await keys.rewrap(key.journeyId, 'kek-other', next)).toBe(false);
      expect(await keys.get(key.journeyId)).toEqual(key);
      expect(await keys.rewrap(key.journeyId, 'kek-old', next)).toBe(true);
      expect(await keys.get(key.journeyId)).toEqual(next);
      expect(await keys.rewrap(key.journeyId, 'kek-old', aWrappedKey(key.journeyId, 'kek-third'))).toBe(false);
      expect(await keys.get(key.journeyId)).toEqual(next);
    });

    it('never rewraps a destroyed key or an absent one', async () => {
      const keys = await store();
      const key = aWrappedKey(randomUUID(), 'kek-old');
      await keys.putIfAbsent(key);
      await keys.destroy(key.journeyId, '2025-01-01T00:00:00.000Z');
      expect(await keys.rewrap(key.journeyId, 'kek-old', aWrappedKey(key.journeyId, 'kek-new'))).toBe(false);
      expect(isErasedDataKey((await keys.get(key.journeyId))!)).toBe(true);
      const absent = randomUUID();
      expect(await keys.rewrap(absent, 'kek-old', aWrappedKey(absent, 'kek-new'))).toBe(false);
      expect(await keys.get(absent)).toBeUndefined();
    });

    it('pages through keys not under a KEK, in journey-id order, skipping tombstones', async () => {
      const keys = await store();
      const old = Array.from({ length: 5 }, (_, i) => aWrappedKey(`journey-${i}-${randomUUID()}`, 'kek-old'));
      const current = aWrappedKey(`journey-5-${randomUUID()}`, 'kek-current');
      for (const key of [...old, current]) await keys.putIfAbsent(key);
      await keys.destroy(old[4].journeyId, '2025-01-01T00:00:00.000Z');
      const first = await keys.wrappedUnder('kek-current', 3);
      expect(first).toEqual(old.slice(0, 3));
      for (const key of first) expect(await keys.rewrap(key.journeyId, 'kek-old', { ...key, kekId: 'kek-current' })).toBe(true);
      expect(await keys.wrappedUnder('kek-current', 3)).toEqual([old[3]]);
      expect(await keys.wrappedUnder('kek-old', 10)).toEqual([...first.map((key) => ({ ...key, kekId: 'kek-current' })), current]);
    });

    it('round-trips the erasure checkpoint, starting from null', async () => {
      const keys = await store();
      expect(await keys.erasureCheckpoint()).toBeNull();
      await keys.saveErasureCheckpoint('41');
      await keys.saveErasureCheckpoint('18446744073709551615');
      expect(await keys.erasureCheckpoint()).toBe('18446744073709551615');
    });

    it('keeps keys, tombstones and the checkpoint across close and reopen', async () => {
      const first = await store();
      const key = aWrappedKey();
      const erased = aWrappedKey();
      await first.putIfAbsent(key);
      await first.putIfAbsent(erased);
      await first.destroy(erased.journeyId, '2025-01-01T00:00:00.000Z');
      await first.saveErasureCheckpoint('7');
      await first.close();
      const second = await store();
      expect(await second.get(key.journeyId)).toEqual(key);
      expect(await second.get(erased.journeyId)).toEqual({ journeyId: erased.journeyId, erasedAt: '2025-01-01T00:00:00.000Z' });
      expect(await second.erasureCheckpoint()).toBe('7');
    });
  });
}
