import { logOf } from '../support/event-log';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../apps/api/src/config';
import { personalDataVault } from '../../apps/api/src/infrastructure/security';
import { backupDataFolder, type BackupOutcome } from '../../apps/cli/src/commands/backup.command';
import { catchUpReadModels, restoreBackup, RESTORE_LOG_FILE } from '../../apps/cli/src/commands/restore.command';
import { SqliteEventStore } from '../../libs/event-store/src/embedded/sqlite-event-store';
import { toStoredEventJson, type StoredEventJson } from '../../libs/event-store/src/stored-event-json';
import { SqliteReadStore } from '../../libs/read-store/src/embedded/sqlite-read-store';
import { SqliteDataKeyStore } from '../../libs/personal-data/src/embedded/sqlite-data-key-store';
import { MANIFEST_FILE, STORE_FILES } from '../../libs/backup/src/manifest';
import { RestoreRefusedError } from '../../libs/backup/src/restore-target';
import { consent, identification, referral } from '../../seeds/journey-requests';
import { copyStoreFiles, LOG_FILES, seedLog } from '../resilience/crash-harness';
import { readModelDigest } from '../resilience/children/read-model-digest';
import { expectSameReadModel, readModelOf } from '../resilience/read-models';
import { CATALOG, readCatalogEntry } from '../../apps/projector/src/projection-catalog';
import { journeyProjection } from '../../projections/journeys/journey.projection';
import { caughtUp, client, startApp, SUPPORT_WORKER, tokenFor, type RunningApp } from '../support/running-app';
import { temporaryFolders } from '../support/temporary-folders';
import { spawnTs } from '../support/ts-child';

/**
 * Backups of the embedded default end to end: taken by the running API under write load
 * through the operator socket (asked by the real CLI in a child process), verified, refused
 * when damaged, restored to a log and read models equal to the source's at the backup's
 * position, and erasures recorded after the backup applied again on restore.
 */
const CLI = resolve(__dirname, '../../apps/cli/src/main.ts');
const NO_LIMITS = { RATE_LIMIT_PER_WINDOW: '10000000', RATE_LIMIT_PER_USER_PER_WINDOW: '10000000' };

/** The real CLI, as operators run it, compiled on load like the tests (test/support/ts-child.ts). */
function runCli(dataDir: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnTs(CLI, args, { env: { ...process.env, DATA_DIR: dataDir } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

async function allEvents(dataDir: string): Promise<StoredEventJson[]> {
  return (await logOf(dataDir)).map(toStoredEventJson);
}

/** The read models' digest (test/resilience/children/read-model-digest.ts) of a stopped data folder, caught up first. */
async function caughtUpDigest(dataDir: string) {
  const events = SqliteEventStore.open({ directory: dataDir });
  const readStore = SqliteReadStore.open({ directory: dataDir });
  try {
    await catchUpReadModels(loadConfig({ DATA_DIR: dataDir }), events, readStore);
    return await readModelDigest(readStore);
  } finally {
    await readStore.close();
    await events.close();
  }
}

/** Leaves a socket file at `path` that nothing answers on: a process listening there, killed. */
function staleSocketAt(path: string): void {
  const died = spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`]);
  expect(died.signal).toBe('SIGKILL');
  expect(fs.lstatSync(path).isSocket()).toBe(true);
}

describe('backups of the embedded default', () => {
  const folders = temporaryFolders('vjt-backup-e2e-');
  const running: RunningApp[] = [];
  afterAll(async () => {
    await Promise.all(running.map((app) => app.stop().catch(() => undefined)));
    folders.removeAll();
  });
  const start = async (dataDir: string) => {
    const app = await startApp(dataDir, NO_LIMITS);
    running.push(app);
    return app;
  };

  let backupDir: string;
  let manifestHead: string;

  it('takes a backup under write load through the API\u2019s operator socket, and restores the log and read models as they were at its position', async () => {
    const source = folders.make();
    // Enough to copy in many steps (2 MiB a turn), so the writers' commands land between them.
    await seedLog(source, { journeys: 400, seed: 12 });
    const app = await start(source);
    await caughtUp(app.url, source);
    const api = client(app.url, tokenFor(source, SUPPORT_WORKER));
    let writing = true;
    let recorded = 0;
    const writer = async () => {
      while (writing) {
        const { body } = await api.post('/journeys', identification());
        await api.post(`/journeys/${body.journeyId}/consents`, consent());
        await api.post(`/journeys/${body.journeyId}/referrals`, referral());
        recorded++;
      }
    };
    const writers = Array.from({ length: 4 }, writer);
    while (recorded < 40) await new Promise((r) => setTimeout(r, 20));
    const recordedBefore = recorded;

    backupDir = join(folders.make(), 'backup');
    const cli = await runCli(source, ['backup', '--out', backupDir, '--json']);
    const recordedDuring = recorded - recordedBefore;
    while (recorded < recordedBefore + recordedDuring + 10) await new Promise((r) => setTimeout(r, 20)); // and on after it
    writing = false;
    await Promise.all(writers);
    await app.stop();
    expect(fs.existsSync(join(source, 'operator.sock'))).toBe(false); // removed when the API closed

    if (cli.code !== 0) throw new Error(`backup exited ${cli.code}:\n${cli.stderr}`);
    const outcome = JSON.parse(cli.stdout) as BackupOutcome;
    expect(outcome.via).toBe('api'); // the API held the folder: the CLI asked it on the socket
    expect(outcome.manifest.takenBy).toBe('api');
    expect(recordedDuring).toBeGreaterThan(0); // the API kept serving writes while it backed up
    manifestHead = outcome.manifest.eventStore.head!;
    const sourceEvents = await allEvents(source);
    expect(sourceEvents.length).toBeGreaterThan(Number(manifestHead) + 1); // writes went on after the backup

    const target = join(folders.make(), 'restored');
    const restored = await restoreBackup(loadConfig({ DATA_DIR: target }), { in: backupDir });
    expect(restored).toMatchObject({ target, movedAside: null, position: manifestHead, events: Number(manifestHead) + 1, journeys: outcome.manifest.eventStore.journeys });
    expect(restored.readModels.position).toBe(manifestHead);
    expect(restored.steps.map((s) => s.step)).toEqual([
      'verify the backup', 'prepare the target', 'copy the files', 're-apply erasures in the log', 'bring read models up to date', 'move into place',
    ]);
    expect(fs.readdirSync(target).sort()).toEqual(['events.sqlite', 'keys', 'read-models.sqlite', RESTORE_LOG_FILE, 'secrets'].sort());

    // The restored log is the source's, exactly (ids, revisions, positions, data, metadata), up to the backup's head.
    const restoredEvents = await allEvents(target);
    expect(restoredEvents.length).toBe(Number(manifestHead) + 1);
    expect(restoredEvents).toEqual(sourceEvents.slice(0, restoredEvents.length));

    // Read models: the backup's, caught up by the restore, equal a fresh projection of the restored log.
    const fresh = folders.make();
    copyStoreFiles(target, fresh, LOG_FILES);
    const [afterRestore, rebuilt] = [await caughtUpDigest(target), await caughtUpDigest(fresh)];
    expect(afterRestore.documents).toBeGreaterThan(0);
    expect(afterRestore).toEqual(rebuilt);
    expect(Object.values(afterRestore.checkpoints)).toEqual(Object.values(afterRestore.checkpoints).map(() => manifestHead));

    // A read model built by an older projection version is rebuilt by the catch-up a restore runs.
    const bumped = folders.make();
    copyStoreFiles(target, bumped, [...LOG_FILES, STORE_FILES.readStore]);
    const bumpedReads = SqliteReadStore.open({ directory: bumped });
    const older = (await readCatalogEntry(bumpedReads, journeyProjection.name))!;
    await bumpedReads.collection(CATALOG).replaceOne({ _id: older._id }, { ...older, version: journeyProjection.version - 1 });
    await bumpedReads.close();
    const bumpedEvents = SqliteEventStore.open({ directory: bumped });
    const rebuiltReads = SqliteReadStore.open({ directory: bumped });
    const caught = await catchUpReadModels(loadConfig({ DATA_DIR: bumped }), bumpedEvents, rebuiltReads);
    expect(caught.rebuilt).toEqual([journeyProjection.name]);
    expect(caught.serving[journeyProjection.name]).not.toBe(older.collection);
    const freshReads = SqliteReadStore.open({ directory: fresh });
    expectSameReadModel('journeys rebuilt after the version bump', await readModelOf(rebuiltReads, caught.serving[journeyProjection.name]), await readModelOf(freshReads, older.collection));
    await Promise.all([freshReads.close(), rebuiltReads.close()]);
    await bumpedEvents.close();

    // The restored folder serves: the API starts on it and finds every journey's personal data.
    const again = await start(target);
    const journeys = restoredEvents.filter((e) => e.type === 'VictimIdentified');
    const read = await client(again.url, tokenFor(target, SUPPORT_WORKER)).get(`/journeys/${journeys.at(-1)!.streamId.slice('journey-'.length)}/personal-details`, { 'x-purpose': 'case_management' });
    expect(read.body).toMatchObject({ status: 'held', personalDetails: { name: 'Test Person' } });
    await again.stop();
  }, 60_000);

  it('refuses a truncated, corrupted, partial or incomplete backup: verify-backup names the problem, restore leaves the target untouched', async () => {
    const damages: Array<[string, (dir: string) => void, RegExp]> = [
      ['truncated', (dir) => fs.truncateSync(join(dir, STORE_FILES.eventStore), 8192), /events\.sqlite is 8192 bytes; the manifest says/],
      ['flipped byte', (dir) => {
        const file = join(dir, STORE_FILES.keyStore);
        const bytes = fs.readFileSync(file);
        bytes[bytes.length >> 1] ^= 0x01;
        fs.writeFileSync(file, bytes);
      }, /keys\/data-keys\.sqlite does not match its SHA-256/],
      ['partial', (dir) => fs.rmSync(join(dir, MANIFEST_FILE)), /manifest\.json is missing: the backup is partial/],
      ['missing file', (dir) => fs.rmSync(join(dir, STORE_FILES.readStore)), /read-models\.sqlite is missing/],
    ];
    for (const [name, damage, problem] of damages) {
      const damaged = join(folders.make(), name);
      fs.cpSync(backupDir, damaged, { recursive: true });
      damage(damaged);
      const parent = folders.make();
      const target = join(parent, 'data');
      fs.mkdirSync(target);
      fs.writeFileSync(join(target, 'keep-me.txt'), 'the data folder as it was');
      const refusal = restoreBackup(loadConfig({ DATA_DIR: target }), { in: damaged, force: true });
      await expect(refusal).rejects.toThrow(RestoreRefusedError);
      await expect(refusal).rejects.toThrow(problem);
      expect(fs.readdirSync(target)).toEqual(['keep-me.txt']); // not moved aside, not touched
      expect(fs.readdirSync(parent)).toEqual(['data']); // nothing moved aside beside it
      const missing = join(folders.make(), 'never-made');
      await expect(restoreBackup(loadConfig({ DATA_DIR: missing }), { in: damaged })).rejects.toThrow(problem);
      expect(fs.existsSync(missing)).toBe(false);
    }
    // The operator's verify-backup says the same, and exits 1.
    const partial = join(folders.make(), 'partial');
    fs.cpSync(backupDir, partial, { recursive: true });
    fs.rmSync(join(partial, MANIFEST_FILE));
    const verify = await runCli(folders.make(), ['verify-backup', '--in', partial]);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/FAIL manifest: manifest\.json is missing: the backup is partial/);
    const whole = await runCli(folders.make(), ['verify-backup', '--in', backupDir, '--json']);
    expect(whole.code).toBe(0);
    expect(JSON.parse(whole.stdout)).toMatchObject({ ok: true, manifest: { eventStore: { head: manifestHead } } });
  }, 40_000);

  it('re-applies on restore an erasure recorded after the backup, read from the newer (stopped) data folder; a stale operator socket does not stop the API', async () => {
    const source = folders.make();
    staleSocketAt(join(source, 'operator.sock')); // a crashed API's leftover
    const app = await start(source);
    const api = client(app.url, tokenFor(source, SUPPORT_WORKER));
    const admin = client(app.url, tokenFor(source, { role: 'admin', organisationId: 'ops', userId: 'admin-1' }));
    const [erasedLater, kept] = [(await api.post('/journeys', identification())).body.journeyId, (await api.post('/journeys', identification())).body.journeyId];
    expect(fs.statSync(join(source, 'operator.sock')).mode & 0o777).toBe(0o600);

    const backup = join(folders.make(), 'backup');
    const taken = await backupDataFolder(loadConfig({ DATA_DIR: source }), backup); // the stores are locked: through the socket
    expect(taken.via).toBe('api');
    expect((await admin.post(`/journeys/${erasedLater}/erasure`, { reason: 'DPO-2026-5', legalBasis: 'objection' })).status).toBe(201);
    await app.stop();

    const open = async (dataDir: string, journeyId: string) => {
      const config = loadConfig({ DATA_DIR: dataDir });
      const events = SqliteEventStore.open({ directory: dataDir });
      const keys = SqliteDataKeyStore.open({ dataDir });
      try {
        const [identified] = await events.readStream(`journey-${journeyId}`);
        return (await personalDataVault(config, keys).open(journeyId, identified.data.personalDetails as never)).status;
      } finally {
        await keys.close();
        await events.close();
      }
    };

    // Without the newer log, the backup brings the key back: its log has no erasure to apply.
    const plain = join(folders.make(), 'plain');
    await restoreBackup(loadConfig({ DATA_DIR: plain }), { in: backup });
    expect(await open(plain, erasedLater)).toBe('available');

    const target = join(folders.make(), 'restored');
    const restored = await restoreBackup(loadConfig({ DATA_DIR: target }), { in: backup, erasuresFrom: source });
    expect(restored.erasures.fromNewerLog).toMatchObject({ kind: 'data folder', continuity: 'checked', found: 1, alreadyErased: 0, applied: [{ journeyId: erasedLater }] });
    expect(await open(target, erasedLater)).toBe('erased');
    expect(await open(target, kept)).toBe('available');
    expect(JSON.parse(fs.readFileSync(join(target, RESTORE_LOG_FILE), 'utf8')).erasures.fromNewerLog.applied).toEqual([expect.objectContaining({ journeyId: erasedLater })]);
    // The log itself is the backup's: no erasure event was appended to it.
    expect((await allEvents(target)).some((e) => e.type === 'PersonalDataErased')).toBe(false);

    // Restoring over a folder: refused when not empty, then with --force the old one is moved aside, whole.
    await expect(restoreBackup(loadConfig({ DATA_DIR: target }), { in: backup })).rejects.toThrow(/is not empty/);
    const forced = await restoreBackup(loadConfig({ DATA_DIR: target }), { in: backup, force: true, erasuresFrom: source });
    expect(forced.movedAside).toMatch(/restored\.before-restore-/);
    expect(fs.readdirSync(forced.movedAside!)).toContain('events.sqlite');
    expect(await open(target, erasedLater)).toBe('erased');
  }, 40_000);
});
