/**
 * Pseudonyms: a stable stand-in for a journey id wherever a person must be told apart but not
 * be traceable (exports, research extracts, logs shared outside the case team).
 *
 * A keyed HMAC, not a plain hash: journey ids are UUIDs anyone holding an extract could hash,
 * but without the key nobody can link a pseudonym back to its journey, and extracts made with
 * different keys cannot be joined.
 */
import { createHmac } from 'node:crypto';
import { loadOrCreateEmbeddedSecret } from './embedded-secrets';

const LABEL = 'victim-journey-tracker/pseudonym/v1\u0000';
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567'; // RFC 4648 alphabet, lower case: no 0/1/8/9 to misread
const LENGTH = 20;

/** RFC 4648 base32 (lower case, unpadded) of the first `chars * 5` bits of `bytes`. */
function base32Prefix(bytes: Buffer, chars: number): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff; // at most 12 bits are ever pending
    bits += 8;
    while (bits >= 5 && out.length < chars) {
      bits -= 5;
      out += BASE32[(buffer >> bits) & 31];
    }
    if (out.length === chars) break;
  }
  return out;
}

export class Pseudonymiser {
  private readonly key: Buffer;

  /** @throws RangeError when `key` is shorter than 32 bytes. */
  constructor(key: Buffer) {
    if (key.length < 32) throw new RangeError(`A pseudonym key must be at least 32 bytes, got ${key.length}`);
    this.key = Buffer.from(key);
  }

  /**
   * `p-` and 20 base32 characters (100 bits) of HMAC-SHA256(key, label || journeyId): the same
   * journey always gets the same pseudonym under the same key. Collision odds are about
   * n² / 2^101: one in 2.5 × 10^18 for a million journeys, one in 2.5 × 10^14 for a hundred
   * million, so a pseudonym can serve as a key in an extract.
   */
  pseudonymOf(journeyId: string): string {
    const mac = createHmac('sha256', this.key).update(LABEL).update(journeyId, 'utf8').digest();
    return `p-${base32Prefix(mac, LENGTH)}`;
  }
}

/**
 * The embedded default's pseudonym key, `<dataDir>/secrets/pseudonym.key`, created on first
 * use (32 random bytes). Production passes its own key from a secret manager.
 */
export function loadOrCreateEmbeddedPseudonymKey(dataDir: string): Buffer {
  return loadOrCreateEmbeddedSecret(dataDir, 'pseudonym.key');
}
