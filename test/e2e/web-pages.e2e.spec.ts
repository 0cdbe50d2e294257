import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWeb } from '../../apps/web/build';
import { startApp, temporaryDataDir, type RunningApp } from '../support/running-app';

/** The served front end: shells and bundles with no token, nothing from elsewhere, the API's error shape when absent. */
describe('web front end as served by the API', () => {
  const data = temporaryDataDir();
  const webDir = mkdtempSync(join(tmpdir(), 'vjt-web-'));
  let app: RunningApp;
  let built: Awaited<ReturnType<typeof buildWeb>>;

  beforeAll(async () => {
    built = await buildWeb(webDir);
    app = await startApp(data.dir, { WEB_DIR: webDir });
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    data.remove();
    rmSync(webDir, { recursive: true, force: true });
  });

  it('serves the dashboard and a timeline shell without a token, under the API\u2019s security headers', async () => {
    const bundles: Record<string, string> = {
      '/dashboard': '/assets/dashboard.js',
      '/journeys/0b6f3c8e-2a51-4b8e-9d0c-6f1e2a3b4c5d/timeline': '/assets/timeline.js',
      '/app': '/assets/app.js',
      '/app/journeys/0b6f3c8e-2a51-4b8e-9d0c-6f1e2a3b4c5d': '/assets/app.js',
    };
    for (const path of Object.keys(bundles)) {
      const response = await fetch(app.url + path);
      expect([path, response.status]).toEqual([path, 200]);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      // Stricter than the API's default: no inline script on these pages.
      const directives = (response.headers.get('content-security-policy') ?? '').split(';').map((d) => d.trim());
      expect(directives).toContain("script-src 'self'");
      expect(directives).toContain("connect-src 'self'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      const html = await response.text();
      expect(html).toContain(bundles[path]);
    }
  });

  it('serves each bundle it references from /assets, as JavaScript', async () => {
    for (const page of ['dashboard', 'timeline', 'app']) {
      const response = await fetch(`${app.url}/assets/${page}.js`, { headers: { 'accept-encoding': 'br, gzip' } });
      expect([page, response.status]).toEqual([page, 200]);
      expect(response.headers.get('content-type')).toMatch(/javascript/);
      // The build's brotli copy, for a client that accepts it (fetch does, and decodes it).
      expect(response.headers.get('content-encoding')).toBe('br');
      expect(response.headers.get('vary')).toMatch(/accept-encoding/i);
      expect((await response.arrayBuffer()).byteLength).toBe(built.files[`assets/${page}.js`]);
    }
    expect((await fetch(`${app.url}/assets/app.css`)).status).toBe(200);
    expect((await fetch(`${app.url}/assets/nothing-here.js`)).status).toBe(404);
  });

  it('loads nothing from another origin: every src and href in the shells is local', () => {
    for (const file of readdirSync(webDir).filter((f) => f.endsWith('.html'))) {
      const html = readFileSync(join(webDir, file), 'utf8');
      const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
      expect(references.length).toBeGreaterThan(0);
      // Same-origin paths (not protocol-relative //host) and fragments only.
      for (const reference of references) expect([file, reference]).toEqual([file, expect.stringMatching(/^(\/(?!\/)|#)/)]);
    }
    // Bundles hold no import() or fetch of another origin (URLs in licence comments and library strings are fine; code loading is not).
    for (const file of readdirSync(join(webDir, 'assets')).filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(join(webDir, 'assets', file), 'utf8');
      expect([file, /import\(\s*["']https?:/.test(code) || /from\s*["']https?:/.test(code)]).toEqual([file, false]);
    }
  });

  it('answers a page path without a journey id as not found, in the API\u2019s error shape', async () => {
    for (const path of ['/journeys/not-a-journey/timeline', '/app/journeys/not-a-journey']) {
      const response = await fetch(app.url + path);
      expect([path, response.status]).toEqual([path, 404]);
      expect(await response.json()).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: expect.stringContaining('/journeys/') });
    }
  });

  it('says plainly when the front end was never built', async () => {
    const bare = temporaryDataDir();
    const unbuilt = await startApp(bare.dir, { WEB_DIR: join(bare.dir, 'no-web-here') });
    try {
      const response = await fetch(`${unbuilt.url}/dashboard`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ statusCode: 503, code: 'WEB_NOT_BUILT', message: expect.stringContaining('npm run build') });
      // The API itself is unaffected.
      expect((await fetch(`${unbuilt.url}/health`)).status).toBe(200);
    } finally {
      await unbuilt.stop();
      bare.remove();
    }
  });
});
