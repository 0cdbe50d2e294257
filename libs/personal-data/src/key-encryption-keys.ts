/**
 * The key-encryption-key (KEK) ring: wraps each journey's data key, so the key store holds
 * nothing usable without the KEK, and a stolen key-store backup reveals no personal data.
 *
 * One current KEK wraps new keys; previous KEKs still unwrap keys not yet rotated. Each KEK is
 * known by an id, a SHA-256 prefix of a fixed label and the key: it tells keys apart without
 * revealing them. Wrapping binds the journey id (GCM additional data), so a wrapped key copied
 * onto another journey's record does not unwrap.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { DataKeyIntegrityError, InvalidKeyEncryptionKeyError, UnknownKeyEncryptionKeyError } from './errors';
import type { WrappedDataKey } from './data-key-store.port';
import { loadOrCreateEmbeddedSecret } from './embedded-secrets';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ID_LABEL = 'victim-journey-tracker/kek-id/v1\u0000';
const WRAP_LABEL = 'victim-journey-tracker/data-key/v1\u0000';

/** The environment variables the KEKs are configured in. */
export const KEK_ENV = { current: 'KEY_ENCRYPTION_KEY', previous: 'KEY_ENCRYPTION_KEYS_PREVIOUS' } as const;

/** The id of a KEK: 16 hex digits of SHA-256(label || key). */
export function keyEncryptionKeyId(key: Buffer): string {
  return createHash('sha256').update(ID_LABEL).update(key).digest('hex').slice(0, 16);
}

/**
 * A 32-byte key written as 64 hex digits or as base64 (standard or URL-safe, padded or not).
 * @throws InvalidKeyEncryptionKeyError naming `source`, never echoing the text.
 */
export function parseKeyEncryptionKey(text: string, source: string = KEK_ENV.current): Buffer {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    throw new InvalidKeyEncryptionKeyError(source, `it has ${trimmed.length} characters, not all of them hex or base64`);
  }
  const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== KEY_BYTES) throw new InvalidKeyEncryptionKeyError(source, `it decodes to ${key.length} bytes`);
  return key;
}

/** The KEKs of a process: `current` wraps, `previous` only unwrap (until rotation is done). */
export interface KeyEncryptionKeysConfig {
  current: Buffer;
  previous?: readonly Buffer[];
}

/** The part of a stored key that unwrapping needs. */
export type WrappedKeyRecord = Pick<WrappedDataKey, 'journeyId' | 'kekId' | 'wrapped'>;

export class KeyEncryptionKeys {
  private constructor(
    private readonly byId: ReadonlyMap<string, Buffer>,
    /** Id of the KEK that wraps every new or rotated data key. */
    readonly currentKekId: string,
  ) {}

  /** @throws RangeError when a key is not 32 bytes. */
  static from(config: KeyEncryptionKeysConfig): KeyEncryptionKeys {
    const byId = new Map<string, Buffer>();
    for (const key of [config.current, ...(config.previous ?? [])]) {
      if (key.length !== KEY_BYTES) throw new RangeError(`A key-encryption key must be ${KEY_BYTES} bytes, got ${key.length}`);
      byId.set(keyEncryptionKeyId(key), Buffer.from(key)); // a copy: the caller may wipe theirs
    }
    return new KeyEncryptionKeys(byId, keyEncryptionKeyId(config.current));
  }

  /**
   * KEY_ENCRYPTION_KEY and the comma-separated KEY_ENCRYPTION_KEYS_PREVIOUS from `env`; when
   * KEY_ENCRYPTION_KEY is unset, `fallback()` (e.g. the embedded default's key file).
   */
  static fromEnvironment(env: NodeJS.ProcessEnv, fallback: () => Buffer): KeyEncryptionKeys {
    const currentText = env[KEK_ENV.current]?.trim();
    const current = currentText ? parseKeyEncryptionKey(currentText, KEK_ENV.current) : fallback();
    const previousText = env[KEK_ENV.previous]?.trim() ?? '';
    const previous = previousText === '' ? [] : previousText.split(',').map((part) => parseKeyEncryptionKey(part, KEK_ENV.previous));
    return KeyEncryptionKeys.from({ current, previous });
  }

  /** Ids of every KEK in the ring, current first. */
  get kekIds(): string[] {
    return [...this.byId.keys()];
  }

  /** Wraps a 32-byte data key under the current KEK, bound to `journeyId`. */
  wrap(dataKey: Buffer, journeyId: string): { kekId: string; wrapped: string } {
    if (dataKey.length !== KEY_BYTES) throw new RangeError(`A data key must be ${KEY_BYTES} bytes, got ${dataKey.length}`);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.byId.get(this.currentKekId)!, iv).setAAD(wrapAad(journeyId));
    const sealed = Buffer.concat([iv, cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
    return { kekId: this.currentKekId, wrapped: sealed.toString('base64') };
  }

  /**
   * The data key in `record`, under whichever KEK of the ring wrapped it.
   * @throws UnknownKeyEncryptionKeyError when that KEK is not in the ring.
   * @throws DataKeyIntegrityError when it was altered or wrapped for another journey.
   */
  unwrap(record: WrappedKeyRecord): Buffer {
    const kek = this.byId.get(record.kekId);
    if (!kek) throw new UnknownKeyEncryptionKeyError(record.kekId, record.journeyId);
    const sealed = Buffer.from(record.wrapped, 'base64');
    if (sealed.length !== IV_BYTES + KEY_BYTES + TAG_BYTES) throw new DataKeyIntegrityError(record.journeyId, record.kekId);
    const tagAt = sealed.length - TAG_BYTES;
    try {
      const decipher = createDecipheriv('aes-256-gcm', kek, sealed.subarray(0, IV_BYTES)).setAAD(wrapAad(record.journeyId));
      decipher.setAuthTag(sealed.subarray(tagAt));
      return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, tagAt)), decipher.final()]);
    } catch {
      throw new DataKeyIntegrityError(record.journeyId, record.kekId);
    }
  }
}

function wrapAad(journeyId: string): Buffer {
  return Buffer.from(WRAP_LABEL + journeyId, 'utf8');
}

/**
 * The embedded default's KEK, `<dataDir>/secrets/kek.key`, created on first use. Only for the
 * embedded default: production passes KEY_ENCRYPTION_KEY from a secret manager, so the KEK is
 * never stored beside the keys it protects. Back this file up apart from the data folder:
 * without it, every sealed field is lost.
 */
export function loadOrCreateEmbeddedKek(dataDir: string): Buffer {
  return loadOrCreateEmbeddedSecret(dataDir, 'kek.key');
}
