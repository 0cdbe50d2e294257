import { createPublicKey, JsonWebKey, KeyObject } from 'node:crypto';
import { TokenVerificationUnavailable } from './claims';

/**
 * An OIDC issuer's signing keys, fetched lazily (discovery → jwks_uri → JWKS) and cached.
 *
 * Refetching is deliberately stingy, because tokens are attacker-supplied: a token naming an
 * unknown `kid` (perhaps the issuer rotated its keys) triggers at most one refetch per
 * cooldown, however many such tokens arrive; a failed fetch is not retried within the cooldown
 * either. When the issuer is unreachable, keys already held stay in use past their max age:
 * they were genuine when fetched, and refusing every user during an issuer outage helps nobody.
 */

/** One usable public key from the JWKS. Private members of a JWK are never imported. */
export interface JwksKey {
  kid?: string;
  kty: 'RSA' | 'EC';
  /** The JWK's `alg`, when it pins one: then no other algorithm may use the key. */
  alg?: string;
  key: KeyObject;
}

export interface JwksCacheOptions {
  issuer: string;
  /** Skips discovery when given. */
  jwksUri?: string;
  fetchTimeoutMs: number;
  maxAgeMs: number;
  refetchCooldownMs: number;
  /** Milliseconds since the epoch. */
  clock: () => number;
  /** Checks a URL is one we may fetch keys from (https, or plain http when allowed). */
  checkUrl: (url: string) => string | undefined;
}

/** JWKS documents are a few kilobytes; anything far larger is not one. */
const MAX_DOCUMENT_BYTES = 1024 * 1024;

export class JwksCache {
  private keys: JwksKey[] | undefined;
  private fetchedAt = -Infinity;
  private lastAttemptAt = -Infinity;
  private lastFailure: TokenVerificationUnavailable | undefined;
  private inflight: Promise<void> | undefined;
  private jwksUri: string | undefined;

  constructor(private readonly options: JwksCacheOptions) {
    this.jwksUri = options.jwksUri;
  }

  /**
   * The keys a token may have been signed with: those with its `kid`, or all when it names none.
   * @throws TokenVerificationUnavailable when no keys can be had, or a kid we have never seen
   *   cannot be looked up because the issuer is unreachable.
   */
  async keysFor(kid: string | undefined): Promise<JwksKey[]> {
    if (this.keys === undefined) await this.refresh();
    else if (this.options.clock() - this.fetchedAt >= this.options.maxAgeMs) await this.refresh().catch(() => undefined);
    const matching = () => (this.keys ?? []).filter((key) => kid === undefined || key.kid === kid);
    if (kid !== undefined && matching().length === 0) await this.refresh();
    return matching();
  }

  /** Fetches the JWKS unless a fetch is under way (then joins it) or the cooldown forbids one. */
  private async refresh(): Promise<void> {
    if (this.inflight) return this.inflight;
    if (this.options.clock() - this.lastAttemptAt < this.options.refetchCooldownMs) {
      if (this.keys === undefined && this.lastFailure) throw this.lastFailure;
      return;
    }
    this.lastAttemptAt = this.options.clock();
    this.inflight = this.fetchKeys().then(
      (keys) => {
        this.keys = keys;
        this.fetchedAt = this.options.clock();
        this.lastFailure = undefined;
      },
      (error: unknown) => {
        this.lastFailure = error instanceof TokenVerificationUnavailable ? error : new TokenVerificationUnavailable(String(error));
        throw this.lastFailure;
      },
    );
    try {
      await this.inflight;
    } finally {
      this.inflight = undefined;
    }
  }

  private async fetchKeys(): Promise<JwksKey[]> {
    this.jwksUri ??= await this.discover();
    const document = await this.fetchJson(this.jwksUri);
    const keys = isObject(document) ? document.keys : undefined;
    if (!Array.isArray(keys)) throw new TokenVerificationUnavailable(`${this.jwksUri} is not a JWKS (no keys array)`);
    return keys.flatMap((jwk) => {
      const key = importKey(jwk);
      return key ? [key] : [];
    });
  }

  private async discover(): Promise<string> {
    const url = `${this.options.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    const document = await this.fetchJson(url);
    if (!isObject(document)) throw new TokenVerificationUnavailable(`${url} is not a JSON object`);
    // OIDC Discovery §4.3: a document for another issuer must not be used, or whoever serves
    // it could vouch for tokens our configured issuer never issued.
    if (document.issuer !== this.options.issuer) {
      throw new TokenVerificationUnavailable(`${url} names issuer ${JSON.stringify(document.issuer)}, not the configured ${this.options.issuer}`);
    }
    const jwksUri = document.jwks_uri;
    if (typeof jwksUri !== 'string') throw new TokenVerificationUnavailable(`${url} has no jwks_uri`);
    const problem = this.options.checkUrl(jwksUri);
    if (problem) throw new TokenVerificationUnavailable(`jwks_uri ${problem}`);
    return jwksUri;
  }

  private async fetchJson(url: string): Promise<unknown> {
    try {
      const response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(this.options.fetchTimeoutMs) });
      if (!response.ok) throw new TokenVerificationUnavailable(`${url} answered HTTP ${response.status}`);
      if (Number(response.headers.get('content-length') ?? 0) > MAX_DOCUMENT_BYTES) throw new TokenVerificationUnavailable(`${url} is too large`);
      const text = await response.text();
      if (text.length > MAX_DOCUMENT_BYTES) throw new TokenVerificationUnavailable(`${url} is too large`);
      return JSON.parse(text);
    } catch (error) {
      if (error instanceof TokenVerificationUnavailable) throw error;
      throw new TokenVerificationUnavailable(`${url}: ${describe(error)}`);
    }
  }
}

/** Imports a signature-verification key, rebuilding the JWK from public members only; skips anything else. */
function importKey(jwk: unknown): JwksKey | undefined {
  if (!isObject(jwk) || (jwk.use !== undefined && jwk.use !== 'sig')) return undefined;
  const kid = typeof jwk.kid === 'string' ? jwk.kid : undefined;
  const alg = typeof jwk.alg === 'string' ? jwk.alg : undefined;
  const str = (name: string) => (typeof jwk[name] === 'string' ? String(jwk[name]) : undefined);
  let publicJwk: JsonWebKey;
  let kty: JwksKey['kty'];
  if (jwk.kty === 'RSA' && str('n') && str('e')) [kty, publicJwk] = ['RSA', { kty: 'RSA', n: str('n'), e: str('e') }];
  else if (jwk.kty === 'EC' && str('crv') && str('x') && str('y')) [kty, publicJwk] = ['EC', { kty: 'EC', crv: str('crv'), x: str('x'), y: str('y') }];
  else return undefined;
  try {
    return { kid, kty, alg, key: createPublicKey({ key: publicJwk, format: 'jwk' }) };
  } catch {
    return undefined; // one malformed key must not take the issuer's other keys down with it
  }
}

/** fetch() says only "fetch failed"; the cause (ECONNREFUSED, a timeout ...) is what an operator needs. */
function describe(error: unknown): string {
  if (!isObject(error)) return String(error);
  const cause = isObject(error.cause) ? ` (${String(error.cause.code ?? error.cause.message)})` : '';
  return `${String(error.message ?? error.name)}${cause}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
