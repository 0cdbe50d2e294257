import { createHmac, randomBytes } from 'node:crypto';
import { InvalidToken } from './claims';
import { mintHs256Token } from './hs256-minter';
import { Hs256TokenVerifier } from './hs256-verifier';

const secret = randomBytes(32);
const verifier = new Hs256TokenVerifier(secret, { clockToleranceSeconds: 30 });
const worker = { userId: 'worker-7', role: 'support_worker', organisationId: 'met-police', ttlSeconds: 600 };

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** Hand-made tokens, for the shapes the minter refuses to produce. */
function sign(payload: Record<string, unknown>, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }, key = secret): string {
  const unsigned = `${encode(header)}.${encode(payload)}`;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}
const now = () => Math.floor(Date.now() / 1000);
const claims = (overrides: Record<string, unknown> = {}) => ({
  iss: 'victim-journey-tracker', aud: 'victim-journey-tracker', sub: 'u-1', role: 'analyst', organisationId: 'org-1', iat: now(), exp: now() + 300, ...overrides,
});

async function rejection(token: string): Promise<InvalidToken> {
  const error = await verifier.verify(token).then(() => undefined, (e: unknown) => e);
  if (!(error instanceof InvalidToken)) throw new Error(`expected InvalidToken, got ${String(error)}`);
  expect(error.type).toBe('InvalidToken');
  // The token is a credential: it must never end up in a message that gets logged.
  for (const secretPart of [token, token.split('.')[2] ?? ''].filter((part) => part.length >= 16)) expect(`${error.message} ${error.reason}`).not.toContain(secretPart);
  return error;
}

describe('Hs256TokenVerifier with mintHs256Token', () => {
  it('accepts what the minter mints, and returns the user it names', async () => {
    const issued = new Date();
    const user = await verifier.verify(mintHs256Token(secret, { ...worker, now: issued }));
    expect(user).toEqual({ userId: 'worker-7', role: 'support_worker', organisationId: 'met-police', expiresAt: new Date((Math.floor(issued.getTime() / 1000) + 600) * 1000) });
  });

  it('mints the agreed claims, with a fresh jti each time', () => {
    const payload = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    const [a, b] = [payload(mintHs256Token(secret, worker)), payload(mintHs256Token(secret, worker))];
    expect(a).toMatchObject({ iss: 'victim-journey-tracker', aud: 'victim-journey-tracker', sub: 'worker-7', role: 'support_worker', organisationId: 'met-police', nbf: a.iat, exp: a.iat + 600 });
    expect(a.jti).not.toBe(b.jti);
  });

  it('refuses to mint for an unknown role, an empty organisation, a bad ttl or a short secret', () => {
    expect(() => mintHs256Token(secret, { ...worker, role: 'wizard' })).toThrow(/role must be one of/);
    expect(() => mintHs256Token(secret, { ...worker, organisationId: ' ' })).toThrow(/organisation/);
    expect(() => mintHs256Token(secret, { ...worker, ttlSeconds: 0.5 })).toThrow(/ttl/);
    expect(() => mintHs256Token(randomBytes(16), worker)).toThrow(/32 bytes/);
  });

  it('rejects a token expired beyond the clock tolerance, and accepts one within it', async () => {
    const ago = (seconds: number) => new Date(Date.now() - (600 + seconds) * 1000);
    expect((await rejection(mintHs256Token(secret, { ...worker, now: ago(45) }))).reason).toBe('expired');
    await expect(verifier.verify(mintHs256Token(secret, { ...worker, now: ago(10) }))).resolves.toMatchObject({ userId: 'worker-7' });
  });

  it('rejects a token without exp, or not valid yet', async () => {
    const { exp: _, ...noExp } = claims();
    expect((await rejection(sign(noExp))).reason).toBe('missing claim exp');
    expect((await rejection(sign(claims({ nbf: now() + 120 })))).reason).toBe('not yet valid');
    expect((await rejection(sign(claims({ iat: now() + 120 })))).reason).toBe('issued in the future');
  });

  it('rejects the wrong issuer or audience, and accepts its audience among several', async () => {
    expect((await rejection(sign(claims({ iss: 'someone-else' })))).reason).toBe('wrong issuer');
    expect((await rejection(sign(claims({ aud: 'another-api' })))).reason).toBe('wrong audience');
    expect((await rejection(sign(claims({ aud: ['another-api'] })))).reason).toBe('wrong audience');
    await expect(verifier.verify(sign(claims({ aud: ['another-api', 'victim-journey-tracker'] })))).resolves.toMatchObject({ role: 'analyst' });
  });

  it('rejects a tampered payload and a token signed with another secret', async () => {
    const [header, , signature] = mintHs256Token(secret, worker).split('.');
    const forged = `${header}.${encode(claims({ role: 'admin' }))}.${signature}`;
    expect((await rejection(forged)).reason).toBe('bad signature');
    expect((await rejection(sign(claims(), undefined, randomBytes(32)))).reason).toBe('bad signature');
    expect((await rejection(`${header}.${encode(claims())}.`)).reason).toBe('bad signature');
  });

  it('rejects alg none and every algorithm but HS256', async () => {
    expect((await rejection(`${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims())}.`)).reason).toBe('unsupported algorithm');
    expect((await rejection(sign(claims(), { alg: 'RS256', typ: 'JWT' }))).reason).toBe('unsupported algorithm');
    expect((await rejection(sign(claims(), { alg: 'HS512' }))).reason).toBe('unsupported algorithm');
  });

  it('rejects an unknown, missing or listed role, and a missing organisation or subject', async () => {
    expect((await rejection(sign(claims({ role: 'wizard' })))).reason).toBe('unknown role wizard');
    expect((await rejection(sign(claims({ role: 'x'.repeat(500) + '<script>' })))).reason).toMatch(/^unknown role x{40}$/);
    expect((await rejection(sign(claims({ role: undefined })))).reason).toBe('missing claim role');
    expect((await rejection(sign(claims({ role: ['admin'] })))).reason).toBe('unknown role object');
    expect((await rejection(sign(claims({ organisationId: undefined })))).reason).toBe('missing claim organisationId');
    expect((await rejection(sign(claims({ organisationId: '' })))).reason).toBe('missing claim organisationId');
    expect((await rejection(sign(claims({ sub: 42 })))).reason).toBe('missing claim sub');
  });

  it('rejects malformed tokens without throwing anything else', async () => {
    for (const token of ['', 'abc', 'a.b', 'a.b.c.d', '!!.??.##', `${encode('str')}.${encode(claims())}.x`, `${encode({ alg: 'HS256', crit: ['b64'] })}.${encode(claims())}.x`, 'x'.repeat(20_000)]) {
      expect(['malformed', 'unsupported header crit']).toContain((await rejection(token)).reason);
    }
  });

  it('refuses a secret shorter than 32 bytes', () => {
    expect(() => new Hs256TokenVerifier(randomBytes(16))).toThrow(/32 bytes/);
  });
});
