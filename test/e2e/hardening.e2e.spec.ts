import { useRunningApp } from '../support/running-app';

/** Every response carries security headers; CORS admits only configured origins; clients are rate limited. */
describe('HTTP hardening', () => {
  const app = useRunningApp({ RATE_LIMIT_PER_WINDOW: '8', RATE_LIMIT_WINDOW_MS: '60000', CORS_ORIGINS: 'https://app.example.org' });

  it('sends security headers on every response, errors included', async () => {
    for (const response of [await app.api.get('/journeys'), await app.api.get('/journeys/not-a-uuid')]) {
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
      expect(response.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('allows only configured browser origins', async () => {
    const allowed = await app.api.get('/health', { origin: 'https://app.example.org' });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.org');
    const other = await app.api.get('/health', { origin: 'https://evil.example.com' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers 429 with Retry-After past the limit, and never limits /health', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await app.api.get('/journeys')).status);
    expect(statuses.slice(0, 6)).toEqual(Array(6).fill(200));
    const limited = await app.api.get('/journeys');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await app.api.get('/health')).status).toBe(200);
  });
});
