import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWeb } from '../../../apps/web/build';
import { EVENT_STORE, PERSONAL_DATA_VAULT } from '../../../apps/api/src/infrastructure/tokens';
import type { EventStore } from '../../../libs/event-store/src/event-store.port';
import type { PersonalDataVault } from '../../../libs/personal-data/src/personal-data-vault';
import { seedEventStore, type SeedOptions } from '../../../seeds';
import { caughtUp, client, startApp, tokenFor, type RunningApp, type TestUser } from '../../support/running-app';

export const ANALYST: TestUser = { role: 'analyst', organisationId: 'home-office-analysis', userId: 'analyst-1' };
export const AUDITOR: TestUser = { role: 'auditor', organisationId: 'audit-office', userId: 'auditor-1' };

/**
 * The whole application with the front end freshly built (into a temporary WEB_DIR, so the
 * test never serves a stale dist/), on a data folder seeded with synthetic journeys and
 * fully projected before the tests of this file run.
 */
export function useSeededApp(seed: SeedOptions, env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'vjt-browser-'));
  const webDir = mkdtempSync(join(tmpdir(), 'vjt-web-'));
  const context = {
    app: undefined as unknown as RunningApp,
    get url() {
      return context.app.url;
    },
    token(user: TestUser): string {
      return tokenFor(dataDir, user);
    },
    as(user: TestUser) {
      return client(context.app.url, tokenFor(dataDir, user));
    },
  };
  beforeAll(async () => {
    // Readable bundles for stack traces; no compressed copies (test/e2e/web-pages checks those).
    await buildWeb(webDir, { minify: false, precompress: false });
    context.app = await startApp(dataDir, { WEB_DIR: webDir, ...env });
    const nest = context.app.app;
    await seedEventStore(nest.get(EVENT_STORE) as EventStore, nest.get(PERSONAL_DATA_VAULT) as PersonalDataVault, seed);
    await caughtUp(context.app.url, dataDir, 120_000);
  }, 180_000);
  afterAll(async () => {
    await context.app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(webDir, { recursive: true, force: true });
  });
  return context;
}
