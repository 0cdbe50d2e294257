/**
 * The data-key store port: where each journey's data key is kept, wrapped under a
 * key-encryption key (KEK), and where erasure destroys it.
 *
 * Narrow on purpose: the vault needs "the key of this journey, creating it once", erasure needs
 * "destroy it for good", rotation needs "the keys not yet under the current KEK" and a
 * compare-and-set. Adapters never see a plaintext key: they store what the vault wrapped.
 *
 * Crypto-shredding rests on one promise: once `destroy` has returned, no read of this store
 * ever yields that journey's key again, and no new key can be created for it.
 */

/** A journey's data key, wrapped (AES-256-GCM) under the KEK named by `kekId`. */
export interface WrappedDataKey {
  journeyId: string;
  /** Id of the KEK it is wrapped under (a hash prefix: it does not reveal the KEK). */
  kekId: string;
  /** base64 of IV (12 bytes) || ciphertext (32 bytes) || GCM tag (16 bytes). */
  wrapped: string;
  /** ISO 8601 instant the key was created (kept across rewraps). */
  createdAt: string;
}

/** The tombstone left where a data key was destroyed. It holds no key material. */
export interface ErasedDataKey {
  journeyId: string;
  /** ISO 8601 instant of the first destroy; later destroys do not move it. */
  erasedAt: string;
}

/** What the store holds for one journey. */
export type DataKeyRecord = WrappedDataKey | ErasedDataKey;

/** True for a tombstone. */
export function isErasedDataKey(record: DataKeyRecord): record is ErasedDataKey {
  return 'erasedAt' in record;
}

export interface DataKeyStore {
  /**
   * Stores `key` unless the journey already has a key or a tombstone, and returns what is
   * stored afterwards. First writer wins: two processes creating a journey's key at once both
   * get back the same key, so nothing is ever sealed under a key that was then discarded.
   * An erased journey returns its tombstone: no new key can be created for it.
   */
  putIfAbsent(key: WrappedDataKey): Promise<DataKeyRecord>;

  /** The journey's wrapped key or tombstone; undefined when it never had either. */
  get(journeyId: string): Promise<DataKeyRecord | undefined>;

  /**
   * Replaces the journey's key with a tombstone, durably, before returning. Idempotent (a
   * second call keeps the first `erasedAt`). Also writes a tombstone when no key existed, so
   * that a journey erased before its first seal can never get a key.
   */
  destroy(journeyId: string, erasedAt: string): Promise<void>;

  /**
   * Up to `limit` wrapped keys whose KEK is not `kekIdNot`, in journey-id order, for rotation.
   * Tombstones are never returned. Rewrapping what a call returned moves the next call on.
   */
  wrappedUnder(kekIdNot: string, limit: number): Promise<WrappedDataKey[]>;

  /**
   * Compare-and-set: replaces the journey's key with `next` only if it is still wrapped under
   * `fromKekId` (not destroyed, not rewrapped meanwhile). True when it replaced it.
   */
  rewrap(journeyId: string, fromKekId: string, next: WrappedDataKey): Promise<boolean>;

  /**
   * Position in the event store's global log (a decimal string) up to which PersonalDataErased
   * events have been applied to this store; null before the first. It lives in the key store
   * so that a restored backup brings back its own, older checkpoint, and catching up from it
   * destroys again every key erased since the backup was taken.
   */
  erasureCheckpoint(): Promise<string | null>;

  /** Records the erasure checkpoint, durably. Call only after the erasures up to it are destroyed. */
  saveErasureCheckpoint(position: string): Promise<void>;

  /** Releases the connection; later calls fail. Idempotent. */
  close(): Promise<void>;
}
