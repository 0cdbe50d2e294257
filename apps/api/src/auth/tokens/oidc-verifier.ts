import { constants, verify as verifySignature } from 'node:crypto';
import { AuthenticatedUser, InvalidToken } from './claims';
import { JwksCache, JwksKey } from './jwks-cache';
import { authenticatedUser, decodeJws } from './jwt';
import { TokenVerifier } from './token-verifier';

/** The asymmetric JWS algorithms we can check. HS* and 'none' are absent on purpose. */
const ALGORITHMS = {
  RS256: { hash: 'sha256', kty: 'RSA', pss: false },
  RS384: { hash: 'sha384', kty: 'RSA', pss: false },
  RS512: { hash: 'sha512', kty: 'RSA', pss: false },
  PS256: { hash: 'sha256', kty: 'RSA', pss: true },
  PS384: { hash: 'sha384', kty: 'RSA', pss: true },
  PS512: { hash: 'sha512', kty: 'RSA', pss: true },
  ES256: { hash: 'sha256', kty: 'EC', curve: 'prime256v1', signatureBytes: 64 },
  ES384: { hash: 'sha384', kty: 'EC', curve: 'secp384r1', signatureBytes: 96 },
  ES512: { hash: 'sha512', kty: 'EC', curve: 'secp521r1', signatureBytes: 132 },
} as const;
type Algorithm = keyof typeof ALGORITHMS;
const isAlgorithm = (value: unknown): value is Algorithm => typeof value === 'string' && Object.hasOwn(ALGORITHMS, value);

/** Access tokens are typed JWT or at+jwt (RFC 9068); anything else (logout tokens ...) is not one. */
const ACCEPTED_TYPES = ['jwt', 'at+jwt', 'application/at+jwt'];

export interface OidcVerifierOptions {
  /** Must equal the tokens' `iss` and the discovery document's `issuer`, character for character. */
  issuer: string;
  audience: string;
  /** Default: discovered from `<issuer>/.well-known/openid-configuration`. */
  jwksUri?: string;
  /** Default ['RS256', 'ES256']. Any of RS256/384/512, PS256/384/512, ES256/384/512. */
  algorithms?: readonly string[];
  /** The top-level claim holding the role (a string, or a list with exactly one known role). Default 'role'. */
  roleClaim?: string;
  /** The top-level claim holding the organisation id. Default 'organisationId'. */
  organisationClaim?: string;
  /** Default 60 s. */
  clockToleranceSeconds?: number;
  /** Per discovery or JWKS request. Default 5 s. */
  fetchTimeoutMs?: number;
  /** Keys are refetched once this old. Default 10 min. */
  jwksCacheMaxAgeMs?: number;
  /** At most one JWKS fetch per this interval, whatever tokens arrive. Default 30 s. */
  jwksRefetchCooldownMs?: number;
  /** Plain http for a non-loopback issuer (an in-cluster IdP, say). Default false; loopback always may. */
  allowHttp?: boolean;
  /** Milliseconds since the epoch; for tests. */
  clock?: () => number;
}

/**
 * Verifies production tokens from an OIDC issuer against its published JWKS, with node:crypto
 * (no dependency). Only the configured asymmetric algorithms are accepted, and a key is used only
 * with an algorithm of its own type, so an HS256 token "signed" with the issuer's public key, or
 * an `alg: none` token, fails.
 *
 * Throws InvalidToken (→ 401) for a token that fails any check, and TokenVerificationUnavailable
 * (→ 503) when the issuer cannot be asked: discovery or JWKS unreachable, not JSON, timing out,
 * or naming another issuer.
 */
export class OidcTokenVerifier implements TokenVerifier {
  private readonly algorithms: readonly Algorithm[];
  private readonly keys: JwksCache;
  private readonly clock: () => number;

  /** @throws Error for a configuration that could never verify safely (unknown algorithm, http issuer). */
  constructor(private readonly options: OidcVerifierOptions) {
    const algorithms = options.algorithms ?? ['RS256', 'ES256'];
    const unknown = algorithms.filter((alg) => !isAlgorithm(alg));
    if (unknown.length > 0 || algorithms.length === 0) throw new Error(`Unsupported token algorithms: ${unknown.join(', ') || 'none given'}`);
    this.algorithms = algorithms.filter(isAlgorithm);
    const checkUrl = (url: string) => urlProblem(url, options.allowHttp ?? false);
    for (const url of [options.issuer, options.jwksUri]) {
      const problem = url === undefined ? undefined : checkUrl(url);
      if (problem) throw new Error(`OIDC configuration: ${problem}`);
    }
    this.clock = options.clock ?? Date.now;
    this.keys = new JwksCache({
      issuer: options.issuer,
      jwksUri: options.jwksUri,
      fetchTimeoutMs: options.fetchTimeoutMs ?? 5_000,
      maxAgeMs: options.jwksCacheMaxAgeMs ?? 10 * 60_000,
      refetchCooldownMs: options.jwksRefetchCooldownMs ?? 30_000,
      clock: this.clock,
      checkUrl,
    });
  }

  async verify(token: string): Promise<AuthenticatedUser> {
    const jws = decodeJws(token);
    const { alg, kid, typ } = jws.header;
    if (!isAlgorithm(alg) || !this.algorithms.includes(alg)) throw new InvalidToken('unsupported algorithm');
    if (typ !== undefined && (typeof typ !== 'string' || !ACCEPTED_TYPES.includes(typ.toLowerCase()))) throw new InvalidToken('unsupported token type');
    if (kid !== undefined && typeof kid !== 'string') throw new InvalidToken('malformed');
    const candidates = (await this.keys.keysFor(kid)).filter((key) => suits(key, alg));
    if (candidates.length === 0) throw new InvalidToken('unknown key');
    if (!candidates.some((key) => signatureHolds(alg, key, jws.signingInput, jws.signature))) throw new InvalidToken('bad signature');
    return authenticatedUser(jws.payload, {
      issuer: this.options.issuer,
      audience: this.options.audience,
      clockToleranceSeconds: this.options.clockToleranceSeconds ?? 60,
      now: this.clock(),
      roleClaim: this.options.roleClaim ?? 'role',
      organisationClaim: this.options.organisationClaim ?? 'organisationId',
      roleMayBeList: true,
    });
  }
}

/** Whether a key may check this algorithm: same key type and curve, its own `alg` if it pins one, RSA ≥ 2048 bits. */
function suits(key: JwksKey, alg: Algorithm): boolean {
  const spec = ALGORITHMS[alg];
  if (key.kty !== spec.kty || (key.alg !== undefined && key.alg !== alg)) return false;
  const details = key.key.asymmetricKeyDetails;
  return 'curve' in spec ? details?.namedCurve === spec.curve : (details?.modulusLength ?? 0) >= 2048;
}

function signatureHolds(alg: Algorithm, key: JwksKey, data: Buffer, signature: Buffer): boolean {
  const spec = ALGORITHMS[alg];
  try {
    if ('curve' in spec) {
      // JWS carries ECDSA signatures as raw r||s of fixed length (RFC 7518 §3.4), not DER.
      return signature.length === spec.signatureBytes && verifySignature(spec.hash, data, { key: key.key, dsaEncoding: 'ieee-p1363' }, signature);
    }
    const padding = spec.pss ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : {};
    return verifySignature(spec.hash, data, { key: key.key, ...padding }, signature);
  } catch {
    return false;
  }
}

/** Keys must come over TLS, or anyone on the path could substitute their own. */
function urlProblem(url: string, allowHttp: boolean): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${url} is not a URL`;
  }
  if (parsed.protocol === 'https:') return undefined;
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  return parsed.protocol === 'http:' && (allowHttp || loopback) ? undefined : `${url} must use https`;
}
