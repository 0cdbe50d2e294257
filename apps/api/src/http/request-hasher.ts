import { createHmac, hkdfSync } from 'node:crypto';
import { canonicalJson } from './command-request';

/**
 * Hashes a request for its Idempotency-Key record with a keyed HMAC, not a bare hash: the
 * record is kept for good beside the events, and a bare SHA-256 of a body holding a name and
 * a date of birth could be confirmed by guessing them. The key derives from the pseudonym
 * key, a server secret that never leaves the API.
 */
export class RequestHasher {
  private readonly key: Buffer;

  constructor(secret: Buffer) {
    this.key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'victim-journey-tracker idempotency request hash', 32));
  }

  hash(request: unknown): string {
    return createHmac('sha256', this.key).update(canonicalJson(request)).digest('hex');
  }
}
