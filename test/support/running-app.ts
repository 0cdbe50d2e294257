import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../apps/api/src/app.factory';
import { loadConfig } from '../../apps/api/src/config';
import { loadOrCreateSigningSecret } from '../../apps/api/src/auth/tokens/embedded-secret';
import { mintHs256Token } from '../../apps/api/src/auth/tokens/hs256-minter';
import type { Role } from '../../apps/api/src/auth/tokens/claims';

/** The whole application on a real port, on a data folder that can outlive it. */
export interface RunningApp {
  url: string;
  dataDir: string;
  app: NestFastifyApplication;
  stop(): Promise<void>;
}

export function temporaryDataDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'vjt-e2e-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startApp(dataDir: string, env: Record<string, string> = {}): Promise<RunningApp> {
  // No periodic audit heads: one signed mid-test would append to the log that tests compare heads of.
  const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'error', AUDIT_HEAD_INTERVAL_MS: '0', ...env });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, dataDir, app, stop: () => app.close() };
}

/** Who a test client acts as. The default: a support worker of the organisation the journey fixtures use. */
export interface TestUser {
  role: Role;
  organisationId?: string;
  userId?: string;
}
export const SUPPORT_WORKER: TestUser = { role: 'support_worker', organisationId: 'met-police', userId: 'worker-7' };

/** A token for `user`, minted as the CLI would with the data folder's secret. */
export function tokenFor(dataDir: string, user: TestUser, ttlSeconds = 3600): string {
  const organisationId = user.organisationId ?? 'org-test';
  return mintHs256Token(loadOrCreateSigningSecret(dataDir), {
    role: user.role, organisationId, userId: user.userId ?? `${user.role}@${organisationId}`, ttlSeconds,
  });
}

export interface HttpResult {
  status: number;
  body: any;
  headers: Headers;
}

/** A small JSON client for tests; with a token, every request carries it. */
export function client(baseUrl: string, token?: string) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult> => {
    const response = await fetch(baseUrl + path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    // JSON answers are parsed; text ones (the Prometheus exposition) come back as text.
    const json = /json/.test(response.headers.get('content-type') ?? '') || /^[[{]/.test(text);
    return { status: response.status, body: text ? (json ? JSON.parse(text) : text) : undefined, headers: response.headers };
  };
  return {
    get: (path: string, headers?: Record<string, string>) => call('GET', path, undefined, headers),
    post: (path: string, body: unknown, headers?: Record<string, string>) => call('POST', path, body, headers),
    /** The event store's head position, to prove an error appended nothing. */
    head: async () => (await call('GET', '/health')).body.eventStore.headPosition as string | null,
  };
}

/** Waits until every projection has applied the whole log (asked as an admin), so reads include every event recorded. */
export async function caughtUp(url: string, dataDir: string, timeoutMs = 60_000): Promise<void> {
  const admin = client(url, tokenFor(dataDir, { role: 'admin' }));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await admin.get('/projections');
    if (Array.isArray(body) && body.every((p: { behind: boolean | null; rebuilding: unknown }) => p.behind === false && p.rebuilding === null)) return;
    if (Date.now() > deadline) throw new Error(`projections still behind after ${timeoutMs} ms: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts the app on a fresh data folder before the tests of this file and removes both
 * after. The returned context is live: `restart()` replaces `app` and `api` in place.
 */
export function useRunningApp(env: Record<string, string> | (() => Record<string, string>) = {}) {
  const data = temporaryDataDir();
  const context = {
    app: undefined as unknown as RunningApp,
    /** A support worker of 'met-police' (SUPPORT_WORKER). */
    api: undefined as unknown as ReturnType<typeof client>,
    /** A client acting as another user. */
    as(user: TestUser) {
      return client(context.app.url, tokenFor(data.dir, user));
    },
    /** A client with no token at all. */
    anonymous() {
      return client(context.app.url);
    },
    async restart() {
      await context.app.stop();
      await start();
    },
  };
  const start = async () => {
    context.app = await startApp(data.dir, typeof env === 'function' ? env() : env);
    context.api = client(context.app.url, tokenFor(data.dir, SUPPORT_WORKER));
  };
  beforeAll(start);
  afterAll(async () => {
    await context.app?.stop();
    data.remove();
  });
  return context;
}
