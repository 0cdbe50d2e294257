/**
 * The vault: seals a journey's personal details with the journey's own data key, opens them
 * again, and erases them for good by destroying that key (crypto-shredding). The events keep
 * their sealed fields, so history stays immutable and its hashes still verify; once the key
 * is gone the fields are noise.
 *
 * Each journey's 32-byte data key is created on its first seal, wrapped under the current KEK,
 * and stored through the DataKeyStore port (first writer wins, so concurrent first seals in
 * several processes agree on one key). Unwrapped keys are kept in an LRU cache.
 *
 * Erasure in a process that shares the key store with others: the other processes drop their
 * cached key when they see the PersonalDataErased event (ErasureEnforcer.follow calls
 * `forget`). Until then they can still open what they had cached, never longer.
 */
import { randomBytes } from 'node:crypto';
import type { PersonalDetails } from '../../domain/src/events';
import { DataKeyCache } from './data-key-cache';
import { isErasedDataKey, type DataKeyRecord, type DataKeyStore } from './data-key-store.port';
import { DataKeyMissingError, PersonalDataErasedError } from './errors';
import { rotateDataKeys } from './key-rotation';
import type { KeyEncryptionKeys } from './key-encryption-keys';
import { leafPaths, mapLeaves, type SealedPersonalDetails } from './personal-details-shape';
import { openField, sealField } from './sealed-fields';

export interface PersonalDataVaultOptions {
  store: DataKeyStore;
  keks: KeyEncryptionKeys;
  /** Unwrapped data keys kept in memory. @default 10_000 */
  cacheSize?: number;
  /** Clock for createdAt and erasedAt. @default () => new Date() */
  now?: () => Date;
}

/** What `open` found: the details, or that they were erased. */
export type OpenedPersonalDetails = { status: 'available'; details: PersonalDetails } | { status: 'erased' };

export class PersonalDataVault {
  private readonly store: DataKeyStore;
  private readonly keks: KeyEncryptionKeys;
  private readonly cache: DataKeyCache;
  private readonly now: () => Date;

  constructor(options: PersonalDataVaultOptions) {
    this.store = options.store;
    this.keks = options.keks;
    this.cache = new DataKeyCache(options.cacheSize ?? 10_000);
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Seals each present field of `details` separately (see sealed-fields.ts), creating the
   * journey's data key on first use. Details without any field are returned as `{}` and
   * create no key.
   * @throws PersonalDataErasedError when the journey's personal data was erased.
   * @throws PersonalDataShapeError when `details` holds anything but strings and objects.
   */
  async seal(journeyId: string, details: PersonalDetails): Promise<SealedPersonalDetails> {
    // Checked first: a bad shape must not create a key, and details with no fields need none.
    if (leafPaths(details).length === 0) return {};
    const dataKey = await this.dataKey(journeyId, true);
    if (!Buffer.isBuffer(dataKey)) throw new PersonalDataErasedError(journeyId, dataKey.erasedAt);
    return mapLeaves(details, (path, value) => sealField(dataKey, journeyId, path, value)) as SealedPersonalDetails;
  }

  /**
   * Opens sealed details, or reports them erased.
   * @throws PersonalDataIntegrityError when a field is malformed, altered or moved.
   * @throws DataKeyMissingError when the key store has neither key nor tombstone for the journey.
   */
  async open(journeyId: string, sealed: SealedPersonalDetails): Promise<OpenedPersonalDetails> {
    if (leafPaths(sealed).length === 0) return { status: 'available', details: {} };
    const dataKey = await this.dataKey(journeyId, false);
    if (!Buffer.isBuffer(dataKey)) return { status: 'erased' };
    const details = mapLeaves(sealed, (path, value) => openField(dataKey, journeyId, path, value));
    return { status: 'available', details: details as PersonalDetails };
  }

  /** Destroys the journey's data key (durably, before returning) and drops it from the cache. Idempotent. */
  async erase(journeyId: string): Promise<void> {
    this.cache.evict(journeyId); // first, so no read in this process uses it from here on
    await this.store.destroy(journeyId, this.now().toISOString());
    this.cache.evict(journeyId);
  }

  /** Drops the journey's key from this process's cache only: another process erased it. */
  forget(journeyId: string): void {
    this.cache.evict(journeyId);
  }

  /** Rewraps every data key not under the current KEK; see key-rotation.ts. */
  async rotate(): Promise<{ rewrapped: number }> {
    return { rewrapped: await rotateDataKeys(this.store, this.keks) };
  }

  /** The unwrapped key, or the tombstone; `create` makes the key when there is neither. */
  private async dataKey(journeyId: string, create: boolean): Promise<Buffer | { erasedAt: string }> {
    const cached = this.cache.get(journeyId);
    if (cached) return cached;
    const generation = this.cache.generation;
    let record = await this.store.get(journeyId);
    let created: Buffer | undefined;
    if (!record && create) ({ record, created } = await this.createKey(journeyId));
    if (!record) throw new DataKeyMissingError(journeyId);
    if (isErasedDataKey(record)) return record;
    const key = created ?? this.keks.unwrap(record);
    this.cache.set(journeyId, key, generation);
    return key;
  }

  /** Offers a fresh key; returns what the store kept, and the fresh key if it was ours. */
  private async createKey(journeyId: string): Promise<{ record: DataKeyRecord; created?: Buffer }> {
    const fresh = randomBytes(32);
    const wrapped = this.keks.wrap(fresh, journeyId);
    const record = await this.store.putIfAbsent({ journeyId, ...wrapped, createdAt: this.now().toISOString() });
    const ours = !isErasedDataKey(record) && record.wrapped === wrapped.wrapped;
    return ours ? { record, created: fresh } : { record };
  }
}
