import { AuthenticatedUser } from './claims';

/**
 * The port the authentication guard depends on: turns a bearer token into the caller it
 * vouches for. Two adapters exist: Hs256TokenVerifier (embedded default, secret in the data
 * folder, tokens minted by the CLI) and OidcTokenVerifier (production, an external issuer's
 * JWKS).
 */
export interface TokenVerifier {
  /**
   * Checks the token's signature, lifetime, issuer, audience and the claims the API needs.
   *
   * @param token the compact JWS, without the `Bearer ` prefix.
   * @returns the authenticated user when every check passes.
   * @throws InvalidToken (→ 401) when the token is not acceptable, with a client-safe `reason`.
   * @throws TokenVerificationUnavailable (→ 503) when the verifier cannot reach what it needs
   *   to decide (only the OIDC verifier; the HS256 one never does).
   */
  verify(token: string): Promise<AuthenticatedUser>;
}
