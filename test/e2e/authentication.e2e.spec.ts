import { randomBytes } from 'node:crypto';
import { loadOrCreateSigningSecret } from '../../apps/api/src/auth/tokens/embedded-secret';
import { mintHs256Token } from '../../apps/api/src/auth/tokens/hs256-minter';
import { identification } from '../../seeds/journey-requests';
import { client, tokenFor, useRunningApp, SUPPORT_WORKER } from '../support/running-app';

/** Who gets in: a valid token from the data folder's secret, nothing else; and each user's own rate limit. */
describe('authentication and per-user rate limits', () => {
  const app = useRunningApp({ RATE_LIMIT_PER_USER_PER_WINDOW: '5', RATE_LIMIT_WINDOW_MS: '60000' });
  const withToken = (token: string) => client(app.app.url, token);

  it('answers /health and the OpenAPI document without a token, and nothing else', async () => {
    expect((await app.anonymous().get('/health')).status).toBe(200);
    expect((await app.anonymous().get('/docs/openapi.json')).status).toBe(200);
    const refused = await app.anonymous().post('/journeys', identification());
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('refuses a token that is malformed, signed with another secret, expired, or not a bearer token', async () => {
    const user = { userId: 'w', role: 'support_worker', organisationId: 'met-police' };
    const secret = loadOrCreateSigningSecret(app.app.dataDir);
    const forged = mintHs256Token(randomBytes(32), { ...user, ttlSeconds: 600 });
    const expired = mintHs256Token(secret, { ...user, ttlSeconds: 60, now: new Date(Date.now() - 3600_000) });
    const good = tokenFor(app.app.dataDir, SUPPORT_WORKER);
    const [header, payload, signature] = good.split('.');
    const asAdmin = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'admin' })).toString('base64url');
    const cases: Array<[string, Record<string, string>]> = [
      ['garbage', { authorization: 'Bearer not.a.token' }],
      ['forged', { authorization: `Bearer ${forged}` }],
      ['expired', { authorization: `Bearer ${expired}` }],
      ['tampered', { authorization: `Bearer ${header}.${asAdmin}.${signature}` }],
      ['alg none', { authorization: `Bearer ${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.` }],
      ['basic', { authorization: 'Basic dXNlcjpwYXNz' }],
    ];
    for (const [name, headers] of cases) {
      const response = await app.anonymous().get('/journeys', headers);
      expect([name, response.status, response.body.code]).toEqual([name, 401, 'UNAUTHENTICATED']);
      expect(JSON.stringify(response.body)).not.toContain(forged);
    }
    expect((await withToken(good).get('/journeys')).status).toBe(200);
  });

  it('limits each user on their own: one user’s excess is 429 while another user goes on', async () => {
    const busy = withToken(tokenFor(app.app.dataDir, { role: 'auditor', userId: 'busy-auditor' }));
    const calm = withToken(tokenFor(app.app.dataDir, { role: 'auditor', userId: 'calm-auditor' }));
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await busy.get('/journeys')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const limited = await busy.get('/journeys');
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await calm.get('/journeys')).status).toBe(200);
  });
});
