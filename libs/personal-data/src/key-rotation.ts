/**
 * Rotation: rewraps every data key not under the current KEK, a page at a time, so that a
 * previous KEK can then be retired (and destroyed, which also makes any copy of a destroyed
 * data key left in an old backup or a database's free space useless).
 *
 * Safe to run in several processes at once and against live traffic: each rewrap is a
 * compare-and-set on the KEK id, so a key destroyed or rotated meanwhile is left alone. The
 * data key itself never changes, so sealed fields and caches stay valid.
 */
import type { DataKeyStore, WrappedDataKey } from './data-key-store.port';
import { KeyRotationStalledError } from './errors';
import type { KeyEncryptionKeys } from './key-encryption-keys';

/** Keys read per page. */
export const ROTATION_PAGE_SIZE = 100;

async function rewrapOne(store: DataKeyStore, keks: KeyEncryptionKeys, record: WrappedDataKey): Promise<boolean> {
  const dataKey = keks.unwrap(record);
  const next: WrappedDataKey = { ...record, ...keks.wrap(dataKey, record.journeyId) };
  return store.rewrap(record.journeyId, record.kekId, next);
}

/**
 * Rewraps every key under a previous KEK with the current one; returns how many it rewrapped
 * (keys another process rewrapped or destroyed meanwhile are not counted).
 * @throws UnknownKeyEncryptionKeyError when a key's KEK is not in the ring: nothing can rewrap it.
 * @throws KeyRotationStalledError when a page comes back holding only keys already tried.
 */
export async function rotateDataKeys(store: DataKeyStore, keks: KeyEncryptionKeys, pageSize = ROTATION_PAGE_SIZE): Promise<number> {
  const tried = new Set<string>();
  let rewrapped = 0;
  for (;;) {
    const page = await store.wrappedUnder(keks.currentKekId, pageSize);
    if (page.length === 0) return rewrapped;
    const fresh = page.filter((record) => !tried.has(record.journeyId));
    // A key we already rewrapped that is back under an old KEK: another process keeps
    // rewrapping with an older ring. Stop rather than loop for ever.
    if (fresh.length === 0) throw new KeyRotationStalledError(page.map((record) => record.journeyId));
    for (const record of fresh) {
      tried.add(record.journeyId);
      if (await rewrapOne(store, keks, record)) rewrapped++;
    }
  }
}
