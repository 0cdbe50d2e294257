/**
 * Who a verified access token says the caller is, and the two ways verifying one can fail.
 * Shared by the embedded HS256 verifier, the production OIDC verifier and the CLI that mints
 * tokens for the embedded default.
 */

/** Every role the API knows. A token naming anything else is refused (deny by default). */
export const ROLES = ['support_worker', 'auditor', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Narrows a claim value to a Role without a cast. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The caller as established by a verified token. */
export interface AuthenticatedUser {
  /** The token's `sub`. */
  userId: string;
  role: Role;
  /** The organisation the user works for; scopes what a support worker may see. */
  organisationId: string;
  /** From `exp`; lets callers cache a verification no longer than the token lives. */
  expiresAt?: Date;
}

/**
 * The token is not acceptable: maps to HTTP 401. `reason` is short and safe to return to the
 * client ('expired', 'bad signature', 'wrong audience', 'unknown role X' ...); neither it nor
 * the message ever contains the token, so logging the error cannot leak a credential.
 */
export class InvalidToken extends Error {
  readonly type = 'InvalidToken';
  constructor(readonly reason: string) {
    super(`Invalid access token: ${reason}`);
    this.name = 'InvalidToken';
  }
}

/**
 * The token could not be checked because the identity provider (its discovery document or its
 * JWKS) is unreachable, answers nonsense, or contradicts the configuration. Not the caller's
 * fault, so it maps to HTTP 503 rather than 401. `reason` is safe for the client; `detail` is
 * for the operator's log only.
 */
export class TokenVerificationUnavailable extends Error {
  readonly type = 'TokenVerificationUnavailable';
  readonly reason = 'identity provider unavailable';
  constructor(readonly detail: string) {
    super(`Access tokens cannot be verified right now: ${detail}`);
    this.name = 'TokenVerificationUnavailable';
  }
}
