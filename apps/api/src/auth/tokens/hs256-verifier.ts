import { createHmac, timingSafeEqual } from 'node:crypto';
import { AuthenticatedUser, InvalidToken } from './claims';
import { authenticatedUser, decodeJws } from './jwt';
import { TokenVerifier } from './token-verifier';

/** The issuer and audience of the embedded default's tokens (the CLI mints them). */
export const EMBEDDED_ISSUER = 'victim-journey-tracker';
export const EMBEDDED_AUDIENCE = 'victim-journey-tracker';

export interface Hs256VerifierOptions {
  /** Default 'victim-journey-tracker'. */
  issuer?: string;
  /** Default 'victim-journey-tracker'. */
  audience?: string;
  /** How far apart our clock and the minter's may be, for exp, nbf and iat. Default 60 s. */
  clockToleranceSeconds?: number;
  /** Milliseconds since the epoch; for tests. */
  clock?: () => number;
}

/**
 * Verifies the embedded default's tokens: HS256 with the secret from the data folder
 * (loadOrCreateSigningSecret). Only HS256 is accepted, so `alg: none` or an RS256 header
 * cannot talk us into a weaker or different check. Never throws TokenVerificationUnavailable:
 * everything it needs is in memory.
 */
export class Hs256TokenVerifier implements TokenVerifier {
  private readonly issuer: string;
  private readonly audience: string;
  private readonly clockToleranceSeconds: number;
  private readonly clock: () => number;

  /** @throws Error when the secret is shorter than 32 bytes (RFC 7518 §3.2 wants at least the hash size). */
  constructor(
    private readonly secret: Buffer,
    options: Hs256VerifierOptions = {},
  ) {
    if (secret.length < 32) throw new Error('The HS256 secret must be at least 32 bytes');
    this.issuer = options.issuer ?? EMBEDDED_ISSUER;
    this.audience = options.audience ?? EMBEDDED_AUDIENCE;
    this.clockToleranceSeconds = options.clockToleranceSeconds ?? 60;
    this.clock = options.clock ?? Date.now;
  }

  async verify(token: string): Promise<AuthenticatedUser> {
    const jws = decodeJws(token);
    if (jws.header.alg !== 'HS256') throw new InvalidToken('unsupported algorithm');
    const expected = createHmac('sha256', this.secret).update(jws.signingInput).digest();
    // Lengths are not secret (always 32 for a genuine token); the comparison of contents is
    // constant-time so the signature cannot be guessed byte by byte.
    if (jws.signature.length !== expected.length || !timingSafeEqual(jws.signature, expected)) throw new InvalidToken('bad signature');
    // Claims are looked at only once the signature holds, so forged tokens learn nothing.
    return authenticatedUser(jws.payload, {
      issuer: this.issuer,
      audience: this.audience,
      clockToleranceSeconds: this.clockToleranceSeconds,
      now: this.clock(),
      roleClaim: 'role',
      organisationClaim: 'organisationId',
      roleMayBeList: false,
    });
  }
}
