/**
 * One sealed field: a string encrypted with the journey's data key, in a self-describing text
 * form that fits anywhere the plaintext string did (event JSON, EventStoreDB, exports):
 *
 *     pd1:<base64url(iv)>:<base64url(ciphertext || tag)>
 *
 * AES-256-GCM with a fresh random 12-byte IV per field. The additional data is
 * `journeyId \0 fieldPath`, so a ciphertext copied to another field or another journey fails
 * to open instead of showing the wrong person's data. 2^32 fields per key is GCM's safe limit
 * for random IVs; a journey seals a handful.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { PersonalDataIntegrityError } from './errors';

const PREFIX = 'pd1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** A string in the sealed-field format. */
export type SealedField = string;

/** True when `value` has the sealed-field form (it may still fail to open). */
export function isSealedField(value: unknown): value is SealedField {
  if (typeof value !== 'string') return false;
  const parts = value.split(':');
  return parts.length === 3 && parts[0] === PREFIX && BASE64URL.test(parts[1]) && BASE64URL.test(parts[2]);
}

function aad(journeyId: string, fieldPath: string): Buffer {
  return Buffer.from(`${journeyId}\u0000${fieldPath}`, 'utf8');
}

/** Encrypts one field's plaintext with the journey's data key. */
export function sealField(dataKey: Buffer, journeyId: string, fieldPath: string, plaintext: string): SealedField {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv).setAAD(aad(journeyId, fieldPath));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${PREFIX}:${iv.toString('base64url')}:${body.toString('base64url')}`;
}

/**
 * Decrypts one field. Never returns unverified bytes: GCM checks the tag before any plaintext
 * is handed out.
 * @throws PersonalDataIntegrityError when the field is malformed, altered, or was sealed for
 *   another field, journey or key.
 */
export function openField(dataKey: Buffer, journeyId: string, fieldPath: string, sealed: unknown): string {
  if (!isSealedField(sealed)) throw new PersonalDataIntegrityError(journeyId, fieldPath, 'is not in the sealed-field format');
  const [, ivText, bodyText] = sealed.split(':');
  const iv = Buffer.from(ivText, 'base64url');
  const body = Buffer.from(bodyText, 'base64url');
  // Re-encoding must give the same text: otherwise unused base64 bits could vary unnoticed.
  if (iv.length !== IV_BYTES || body.length < TAG_BYTES || iv.toString('base64url') !== ivText || body.toString('base64url') !== bodyText) {
    throw new PersonalDataIntegrityError(journeyId, fieldPath, 'is truncated or not canonically encoded');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, iv).setAAD(aad(journeyId, fieldPath));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new PersonalDataIntegrityError(journeyId, fieldPath, 'does not verify: it was altered, or sealed for another field or journey');
  }
}
