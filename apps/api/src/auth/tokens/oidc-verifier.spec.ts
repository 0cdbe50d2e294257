import { createHmac, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { InvalidToken, TokenVerificationUnavailable } from './claims';
import { OidcTokenVerifier, OidcVerifierOptions } from './oidc-verifier';

/** A minimal identity provider on a random local port: discovery and JWKS, counting requests. */
class FakeIdp {
  readonly requests = { discovery: 0, jwks: 0 };
  keys: object[] = [];
  discoveryIssuer: string | undefined;
  jwksStatus = 200;
  hang = false;
  url = '';
  private server!: Server;

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const send = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (request.url === '/.well-known/openid-configuration') {
        this.requests.discovery++;
        send(200, { issuer: this.discoveryIssuer ?? this.url, jwks_uri: `${this.url}/jwks` });
      } else if (request.url === '/jwks') {
        this.requests.jwks++;
        if (!this.hang) send(this.jwksStatus, this.jwksStatus === 200 ? { keys: this.keys } : { error: 'down' });
      } else send(404, {});
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

type SigningKey = { kid: string; alg: 'RS256' | 'ES256'; privateKey: KeyObject; publicKey: KeyObject };
const rsaKey = (kid: string): SigningKey => ({ kid, alg: 'RS256', ...generateKeyPairSync('rsa', { modulusLength: 2048 }) });
const ecKey = (kid: string): SigningKey => ({ kid, alg: 'ES256', ...generateKeyPairSync('ec', { namedCurve: 'P-256' }) });
const jwk = (key: SigningKey) => ({ ...key.publicKey.export({ format: 'jwk' }), kid: key.kid, alg: key.alg, use: 'sig' });

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
function jwt(key: SigningKey, payload: object, header: object = {}): string {
  const unsigned = `${encode({ alg: key.alg, typ: 'JWT', kid: key.kid, ...header })}.${encode(payload)}`;
  const signature = key.alg === 'ES256' ? sign('sha256', Buffer.from(unsigned), { key: key.privateKey, dsaEncoding: 'ieee-p1363' }) : sign('sha256', Buffer.from(unsigned), key.privateKey);
  return `${unsigned}.${signature.toString('base64url')}`;
}

describe('OidcTokenVerifier', () => {
  const rsa = rsaKey('rsa-1');
  const ec = ecKey('ec-1');
  let idp: FakeIdp;
  let now: number;
  const claims = (overrides: object = {}) => ({
    iss: idp.url, aud: 'vjt-api', sub: 'user-1', role: 'auditor', organisationId: 'home-office', iat: Math.floor(now / 1000), exp: Math.floor(now / 1000) + 3600, ...overrides,
  });
  const verifier = (options: Partial<OidcVerifierOptions> = {}) => new OidcTokenVerifier({ issuer: idp.url, audience: 'vjt-api', clock: () => now, ...options });
  async function failure(promise: Promise<unknown>): Promise<InvalidToken | TokenVerificationUnavailable> {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    if (error instanceof InvalidToken || error instanceof TokenVerificationUnavailable) return error;
    throw new Error(`expected a verification failure, got ${String(error)}`);
  }

  beforeEach(async () => {
    now = Date.now();
    idp = await new FakeIdp().start();
    idp.keys = [jwk(rsa), jwk(ec)];
  });
  afterEach(() => idp.stop());

  it('accepts RS256 and ES256 tokens, discovering the JWKS once and caching it', async () => {
    const v = verifier();
    await expect(v.verify(jwt(rsa, claims()))).resolves.toEqual({ userId: 'user-1', role: 'auditor', organisationId: 'home-office', expiresAt: new Date((Math.floor(now / 1000) + 3600) * 1000) });
    await expect(v.verify(jwt(ec, claims({ sub: 'user-2' })))).resolves.toMatchObject({ userId: 'user-2' });
    expect(idp.requests).toEqual({ discovery: 1, jwks: 1 });
  });

  it('shares one fetch between verifications that arrive together on a cold cache', async () => {
    const v = verifier();
    await Promise.all(Array.from({ length: 5 }, () => v.verify(jwt(rsa, claims()))));
    expect(idp.requests).toEqual({ discovery: 1, jwks: 1 });
  });

  it('uses a configured jwksUri without discovery', async () => {
    await expect(verifier({ jwksUri: `${idp.url}/jwks` }).verify(jwt(ec, claims()))).resolves.toMatchObject({ role: 'auditor' });
    expect(idp.requests).toEqual({ discovery: 0, jwks: 1 });
  });

  it('reads the role and organisation from configured claims, taking the one known role in a list', async () => {
    const v = verifier({ roleClaim: 'roles', organisationClaim: 'org' });
    await expect(v.verify(jwt(rsa, claims({ roles: ['offline_access', 'analyst'], org: 'ngo-1' })))).resolves.toMatchObject({ role: 'analyst', organisationId: 'ngo-1' });
    expect((await failure(v.verify(jwt(rsa, claims({ roles: ['analyst', 'admin'], org: 'ngo-1' }))))).reason).toBe('several roles');
    expect((await failure(v.verify(jwt(rsa, claims({ roles: ['offline_access'], org: 'ngo-1' }))))).reason).toMatch(/^no known role/);
    expect((await failure(v.verify(jwt(rsa, claims({ roles: 'analyst' }))))).reason).toBe('missing claim org');
  });

  it('rejects the wrong audience or issuer, and expired tokens', async () => {
    const v = verifier();
    expect((await failure(v.verify(jwt(rsa, claims({ aud: 'another-api' }))))).reason).toBe('wrong audience');
    expect((await failure(v.verify(jwt(ec, claims({ iss: 'https://evil.example' }))))).reason).toBe('wrong issuer');
    expect((await failure(v.verify(jwt(rsa, claims({ exp: Math.floor(now / 1000) - 120 }))))).reason).toBe('expired');
  });

  it('rejects an HS256 token signed with the RSA public key, alg none, and HS256 in the configuration', async () => {
    const pem = rsa.publicKey.export({ format: 'pem', type: 'spki' });
    const unsigned = `${encode({ alg: 'HS256', typ: 'JWT', kid: rsa.kid })}.${encode(claims({ role: 'admin' }))}`;
    const confused = `${unsigned}.${createHmac('sha256', pem).update(unsigned).digest('base64url')}`;
    const v = verifier();
    expect(await failure(v.verify(confused))).toEqual(new InvalidToken('unsupported algorithm'));
    expect((await failure(v.verify(`${encode({ alg: 'none' })}.${encode(claims())}.`))).reason).toBe('unsupported algorithm');
    expect(() => verifier({ algorithms: ['RS256', 'HS256'] })).toThrow(/HS256/);
  });

  it('uses a key only with an algorithm of its type, and checks signatures', async () => {
    const v = verifier();
    // An ES256 token pointing at the RSA key's kid: the key cannot serve it.
    expect((await failure(v.verify(jwt({ ...ec, kid: rsa.kid }, claims()))))).toMatchObject({ reason: 'unknown key' });
    // Signed by a key the issuer never published, under a published kid.
    expect((await failure(v.verify(jwt({ ...rsaKey('rsa-1'), kid: rsa.kid }, claims()))))).toMatchObject({ reason: 'bad signature' });
    // ECDSA in DER, not the raw r||s JWS requires.
    const unsigned = `${encode({ alg: 'ES256', kid: ec.kid })}.${encode(claims())}`;
    const der = sign('sha256', Buffer.from(unsigned), ec.privateKey).toString('base64url');
    expect((await failure(v.verify(`${unsigned}.${der}`))).reason).toBe('bad signature');
    const [header, , signature] = jwt(rsa, claims()).split('.');
    expect((await failure(v.verify(`${header}.${encode(claims({ role: 'admin' }))}.${signature}`))).reason).toBe('bad signature');
  });

  it('follows a key rotation: a new kid triggers one refetch and is accepted', async () => {
    const v = verifier();
    await v.verify(jwt(rsa, claims()));
    now += 60_000; // past the refetch cooldown, well inside the cache's max age
    const rotated = rsaKey('rsa-2');
    idp.keys = [jwk(rotated), jwk(ec)];
    await expect(v.verify(jwt(rotated, claims()))).resolves.toMatchObject({ userId: 'user-1' });
    expect(idp.requests.jwks).toBe(2);
    await v.verify(jwt(rotated, claims()));
    expect(idp.requests.jwks).toBe(2);
  });

  it('refetches for unknown kids at most once per cooldown', async () => {
    const v = verifier();
    await v.verify(jwt(rsa, claims()));
    now += 31_000;
    const stranger = rsaKey('nobody-knows-me');
    expect((await failure(v.verify(jwt(stranger, claims()))))).toMatchObject({ type: 'InvalidToken', reason: 'unknown key' });
    expect((await failure(v.verify(jwt({ ...stranger, kid: 'nor-me' }, claims()))))).toMatchObject({ reason: 'unknown key' });
    expect(idp.requests.jwks).toBe(2);
    now += 31_000;
    await failure(v.verify(jwt(stranger, claims())));
    expect(idp.requests.jwks).toBe(3);
  });

  it('refetches keys older than the max age, and keeps using them while the issuer is down', async () => {
    const v = verifier();
    await v.verify(jwt(rsa, claims()));
    now += 11 * 60_000;
    await v.verify(jwt(rsa, claims()));
    expect(idp.requests.jwks).toBe(2);
    now += 11 * 60_000;
    idp.jwksStatus = 500;
    await expect(v.verify(jwt(ec, claims()))).resolves.toMatchObject({ role: 'auditor' });
    expect(idp.requests.jwks).toBe(3);
  });

  it('is unavailable, not invalid, when discovery names another issuer', async () => {
    idp.discoveryIssuer = 'https://someone-else.example';
    const error = await failure(verifier().verify(jwt(rsa, claims())));
    expect(error).toMatchObject({ type: 'TokenVerificationUnavailable', reason: 'identity provider unavailable' });
    expect(error.message).toContain('someone-else.example'); // for the operator's log
  });

  it('is unavailable when the JWKS fails, without retrying inside the cooldown', async () => {
    idp.jwksStatus = 503;
    const v = verifier();
    expect(await failure(v.verify(jwt(rsa, claims())))).toBeInstanceOf(TokenVerificationUnavailable);
    expect(await failure(v.verify(jwt(rsa, claims())))).toBeInstanceOf(TokenVerificationUnavailable);
    expect(idp.requests.jwks).toBe(1);
    idp.jwksStatus = 200;
    now += 31_000;
    await expect(v.verify(jwt(rsa, claims()))).resolves.toMatchObject({ userId: 'user-1' });
  });

  it('is unavailable when the JWKS server is gone or hangs past the timeout', async () => {
    const gone = await new FakeIdp().start();
    await gone.stop();
    const refused = await failure(verifier({ jwksUri: `${gone.url}/jwks` }).verify(jwt(rsa, claims())));
    expect(refused).toBeInstanceOf(TokenVerificationUnavailable);
    expect(refused.message).toContain('ECONNREFUSED');
    idp.hang = true;
    const started = Date.now();
    expect(await failure(verifier({ fetchTimeoutMs: 200 }).verify(jwt(rsa, claims())))).toBeInstanceOf(TokenVerificationUnavailable);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses configurations that could not verify safely', () => {
    expect(() => new OidcTokenVerifier({ issuer: 'http://idp.example', audience: 'a' })).toThrow(/https/);
    expect(() => new OidcTokenVerifier({ issuer: 'http://idp.internal', audience: 'a', allowHttp: true })).not.toThrow();
    expect(() => new OidcTokenVerifier({ issuer: 'https://idp.example', audience: 'a', algorithms: ['none'] })).toThrow(/none/);
    expect(() => new OidcTokenVerifier({ issuer: 'https://idp.example', audience: 'a', algorithms: [] })).toThrow();
  });
});
