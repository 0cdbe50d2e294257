import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '../../event-store/src/embedded/sqlite-event-store';
import { anEvent } from '../../event-store/src/testing/contract-support';
import { SqliteReadStore } from '../../read-store/src/embedded/sqlite-read-store';
import { SqliteDataKeyStore } from '../../personal-data/src/embedded/sqlite-data-key-store';
import { isErasedDataKey } from '../../personal-data/src/data-key-store.port';
import { KeyEncryptionKeys } from '../../personal-data/src/key-encryption-keys';
import { PersonalDataVault } from '../../personal-data/src/personal-data-vault';
import { loadOrCreateEmbeddedSecret } from '../../personal-data/src/embedded-secrets';
import { toStoredEventJson } from '../../event-store/src/stored-event-json';
import { CHECKPOINTS } from '../../../apps/projector/src/checkpoints';
import { PROJECTION_CHECKPOINTS } from './inspect';
import { MANIFEST_FILE, parseManifest, STORE_FILES } from './manifest';
import { BackupRefusedError, takeBackup, type BackupSources } from './take-backup';
import { verifyBackup } from './verify-backup';
import { assertNotInUse, prepareTarget, RestoreRefusedError } from './restore-target';
import { applyNewerErasures, readNewerErasures, reapplyLoggedErasures } from './erasures';

const keks = KeyEncryptionKeys.from({ current: Buffer.alloc(32, 9) });
const OPTIONS = { appVersion: 'test', takenBy: 'cli' as const };

describe('backups of the embedded stores', () => {
  const made: string[] = [];
  const folder = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vjt-backup-'));
    made.push(dir);
    return dir;
  };
  afterAll(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  /** Opened stores of a fresh data folder, with a vault and a closer. */
  function openFolder(dataDir = folder()) {
    const events = SqliteEventStore.open({ directory: dataDir });
    const readStore = SqliteReadStore.open({ directory: dataDir });
    const keys = SqliteDataKeyStore.open({ dataDir });
    const vault = new PersonalDataVault({ store: keys, keks });
    const sources: BackupSources = { dataDir, eventStore: events, readStore, keyStore: keys };
    return {
      dataDir, events, readStore, keys, vault, sources,
      close: async () => {
        await keys.close();
        await readStore.close();
        await events.close();
      },
    };
  }

  /** A journey as the API records one: its key first, then its events; the projector's checkpoint after the append. */
  async function recordJourney(store: ReturnType<typeof openFolder>, journeyId = randomUUID()): Promise<string> {
    const sealed = await store.vault.seal(journeyId, { name: `person ${journeyId}` });
    const { position } = await store.events.append(`journey-${journeyId}`, [anEvent({ personalDetails: sealed }, 'VictimIdentified'), anEvent({ n: 2 })], 'no_stream');
    await store.readStore.withTransaction(async (tx) => {
      await tx.collection('journeys').replaceOne({ _id: journeyId }, { _id: journeyId, filler: 'x'.repeat(2000) }, { upsert: true });
      await tx.collection(PROJECTION_CHECKPOINTS).replaceOne({ _id: 'journeys' }, { _id: 'journeys', version: 1, position: position.toString(), updatedAt: 'now' }, { upsert: true });
    });
    return journeyId;
  }

  /** Every event of an event-store file, read from a copy of it (opening a store changes its file: WAL). */
  async function readAll(file: string) {
    const copy = path.join(folder(), 'events.sqlite');
    fs.copyFileSync(file, copy);
    const store = SqliteEventStore.open({ directory: path.dirname(copy) });
    try {
      const all = [];
      for await (const event of store.readAll()) all.push(toStoredEventJson(event));
      return all;
    } finally {
      await store.close();
    }
  }

  it('reads the same checkpoint collection the projector writes', () => {
    expect(PROJECTION_CHECKPOINTS).toBe(CHECKPOINTS);
  });

  it('copies the three stores online while they are written, consistently, with the manifest last', async () => {
    const source = openFolder();
    loadOrCreateEmbeddedSecret(source.dataDir, 'kek.key');
    for (let i = 0; i < 150; i++) await recordJourney(source);
    const headBefore = (await source.events.headPosition())!;

    let writing = true;
    const writers = Promise.all(Array.from({ length: 3 }, async () => {
      while (writing) await recordJourney(source);
    }));
    const out = path.join(folder(), 'backup');
    let steps = 0;
    const manifest = await takeBackup(source.sources, out, {
      ...OPTIONS, pagesPerStep: 4, // a few pages a turn: the writers get in between many times
      onProgress: (p) => {
        if (p.type !== 'progress') return;
        steps++;
        expect(fs.existsSync(path.join(out, MANIFEST_FILE))).toBe(false);
      },
    });
    writing = false;
    await writers;
    const headAfter = (await source.events.headPosition())!;
    expect(steps).toBeGreaterThan(20);
    expect(BigInt(manifest.eventStore.head!)).toBeGreaterThan(headBefore); // appends during the backup are in it...
    expect(BigInt(manifest.eventStore.head!)).toBeLessThan(headAfter); // ...up to the copy's last step
    await source.close();

    // The copy is the source's log, exactly, up to its head.
    const copied = await readAll(path.join(out, STORE_FILES.eventStore));
    const original = (await readAll(path.join(source.dataDir, STORE_FILES.eventStore))).slice(0, copied.length);
    expect(copied.length).toBe(Number(manifest.eventStore.head) + 1);
    expect(copied).toEqual(original);
    expect(manifest.eventStore.journeys).toBe(copied.length / 2);
    // Read models at or before the head; every key an event of the copy needs is in the copied key store.
    expect(BigInt(manifest.readStore.checkpoints.journeys)).toBeLessThanOrEqual(BigInt(manifest.eventStore.head!));
    const keyDb = new Database(path.join(out, STORE_FILES.keyStore), { readonly: true });
    const keyed = new Set(keyDb.prepare('SELECT journey_id FROM data_keys').pluck().all() as string[]);
    keyDb.close();
    for (const event of copied.filter((e) => e.type === 'VictimIdentified')) expect(keyed.has(event.streamId.slice('journey-'.length))).toBe(true);

    expect(manifest.files.map((f) => f.name)).toEqual(['read-models.sqlite', 'events.sqlite', 'keys/data-keys.sqlite', 'secrets/kek.key']);
    expect(manifest.secrets.included).toEqual(['kek.key']);
    expect(parseManifest(fs.readFileSync(path.join(out, MANIFEST_FILE), 'utf8'))).toEqual(manifest);
    expect(fs.statSync(out).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(out, 'secrets', 'kek.key')).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(out).sort()).toEqual(['events.sqlite', 'keys', 'manifest.json', 'read-models.sqlite', 'secrets']); // no -wal, no temporary manifest
    expect(await verifyBackup(out)).toMatchObject({ ok: true, problem: null });
  }, 30_000);

  it('refuses a folder that exists and is not empty, or a relative one, and writes nothing', async () => {
    const source = openFolder();
    await recordJourney(source);
    const out = folder();
    fs.writeFileSync(path.join(out, 'notes.txt'), 'mine');
    await expect(takeBackup(source.sources, out, OPTIONS)).rejects.toThrow(BackupRefusedError);
    await expect(takeBackup(source.sources, 'relative/backup', OPTIONS)).rejects.toThrow(/absolute/);
    expect(fs.readdirSync(out)).toEqual(['notes.txt']);
    await source.close();
  });

  it('abandons a backup when asked, removing what it had written', async () => {
    const source = openFolder();
    for (let i = 0; i < 50; i++) await recordJourney(source);
    const out = path.join(folder(), 'abandoned');
    const controller = new AbortController();
    const taking = takeBackup(source.sources, out, { ...OPTIONS, pagesPerStep: 2, signal: controller.signal, onProgress: (p) => p.type === 'progress' && p.step === 'event store' && controller.abort(new Error('stop')) });
    await expect(taking).rejects.toThrow('stop');
    expect(fs.existsSync(out)).toBe(false);
    await source.close();
  });

  describe('verifying a backup', () => {
    let good: string;
    beforeAll(async () => {
      const source = openFolder();
      for (let i = 0; i < 30; i++) await recordJourney(source);
      good = path.join(folder(), 'good');
      await takeBackup(source.sources, good, OPTIONS);
      await source.close();
    });
    const damaged = (damage: (dir: string) => void) => {
      const dir = path.join(folder(), 'damaged');
      fs.cpSync(good, dir, { recursive: true });
      damage(dir);
      return dir;
    };

    it('passes a whole backup, naming what it checked', async () => {
      const result = await verifyBackup(good);
      expect(result.ok).toBe(true);
      expect(result.checks.map((c) => c.check)).toEqual(['manifest', 'files', 'sqlite', 'event store', 'read store', 'secrets']);
    });

    it.each([
      ['a truncated file', (dir: string) => fs.truncateSync(path.join(dir, STORE_FILES.eventStore), 4096), /events\.sqlite is 4096 bytes; the manifest says \d+ \(truncated/],
      ['a flipped byte', (dir: string) => {
        const file = path.join(dir, STORE_FILES.readStore);
        const bytes = fs.readFileSync(file);
        bytes[bytes.length - 100] ^= 0xff;
        fs.writeFileSync(file, bytes);
      }, /read-models\.sqlite does not match its SHA-256/],
      ['a missing manifest', (dir: string) => fs.rmSync(path.join(dir, MANIFEST_FILE)), /manifest\.json is missing: the backup is partial/],
      ['a missing file', (dir: string) => fs.rmSync(path.join(dir, STORE_FILES.keyStore)), /keys\/data-keys\.sqlite is missing/],
      ['a journal beside a copy', (dir: string) => fs.writeFileSync(path.join(dir, 'events.sqlite-journal'), 'x'), /events\.sqlite-journal is beside/],
      ['a manifest naming a file outside the backup', (dir: string) => {
        const manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8'));
        manifest.files.push({ name: '../../etc/passwd', role: 'secret', bytes: 1, sha256: '0'.repeat(64) });
        fs.writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest));
      }, /lists a file it may not/],
      ['a manifest whose head is not the copy\u2019s', (dir: string) => {
        const manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8'));
        manifest.eventStore.head = '1';
        fs.writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest));
      }, /the event store's head is \d+; the manifest says 1/],
      ['a manifest of another format version', (dir: string) => {
        const manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8'));
        manifest.formatVersion = 99;
        fs.writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest));
      }, /format version 99/],
    ])('refuses %s, naming it', async (_what, damage, problem) => {
      const result = await verifyBackup(damaged(damage));
      expect(result.ok).toBe(false);
      expect(result.problem).toMatch(problem);
      expect(result.checks.at(-1)).toMatchObject({ ok: false });
    });
  });

  describe('erasures after a restore', () => {
    it('brings a key store checkpoint past the restored head back to it, so later erasures are not skipped', async () => {
      const store = openFolder();
      const [kept, erased] = [await recordJourney(store), await recordJourney(store)];
      await store.events.append(`journey-${erased}`, [anEvent({ reason: 'x' }, 'PersonalDataErased')], 'any');
      await reapplyLoggedErasures(store.events, store.keys);
      expect(await store.keys.erasureCheckpoint()).toBe('4');
      await store.keys.saveErasureCheckpoint('1000'); // copied after the source's log had gone on to 1000
      expect(await reapplyLoggedErasures(store.events, store.keys)).toEqual({ applied: 0, checkpointWas: '1000', checkpointSetTo: '4' });
      // The restored log goes on from 4: an erasure at 5 must be applied, not taken as done.
      await store.events.append(`journey-${kept}`, [anEvent({ reason: 'y' }, 'PersonalDataErased')], 'any');
      expect(await reapplyLoggedErasures(store.events, store.keys)).toEqual({ applied: 1, checkpointWas: '4', checkpointSetTo: null });
      expect(isErasedDataKey((await store.keys.get(kept))!)).toBe(true);
      await store.close();
    });

    it('erases again what the restored log erased after the key store\u2019s checkpoint', async () => {
      const store = openFolder();
      const [kept, erased] = [await recordJourney(store), await recordJourney(store)];
      await reapplyLoggedErasures(store.events, store.keys);
      await store.events.append(`journey-${erased}`, [anEvent({ reason: 'x' }, 'PersonalDataErased')], 'any');
      expect(await reapplyLoggedErasures(store.events, store.keys)).toEqual({ applied: 1, checkpointWas: '3', checkpointSetTo: null });
      expect(isErasedDataKey((await store.keys.get(erased))!)).toBe(true);
      expect(isErasedDataKey((await store.keys.get(kept))!)).toBe(false);
      await store.close();
    });

    it('reads a newer log\u2019s erasures from a stopped data folder or an export, and destroys those keys', async () => {
      const older = openFolder();
      const [one, two] = [await recordJourney(older), await recordJourney(older)];
      const head = (await older.events.headPosition())!;
      await older.close();
      const newer = openFolder(older.dataDir);
      await newer.events.append(`journey-${one}`, [anEvent({ reason: 'x' }, 'PersonalDataErased')], 'any');
      const late = await recordJourney(newer);
      await newer.events.append(`journey-${late}`, [anEvent({ reason: 'y' }, 'PersonalDataErased')], 'any');
      const exported = path.join(folder(), 'export.ndjson');
      const lines: string[] = [];
      for await (const event of newer.events.readAll()) lines.push(JSON.stringify(toStoredEventJson(event)));
      fs.writeFileSync(exported, `${lines.join('\n')}\n`);
      await newer.close();

      const fromFolder = await readNewerErasures(older.dataDir, head);
      const fromExport = await readNewerErasures(exported, head);
      expect(fromFolder.erasures.map((e) => e.journeyId)).toEqual([one, late]);
      expect(fromExport).toEqual({ ...fromFolder, kind: 'export', path: exported });
      expect(fromFolder.eventIdAtHead).toEqual(expect.any(String));

      const restored = openFolder();
      await restored.vault.seal(one, { name: 'one' });
      await restored.vault.seal(two, { name: 'two' });
      const applied = await applyNewerErasures(restored.keys, fromFolder.erasures);
      expect(applied.applied.map((e) => e.journeyId)).toEqual([one, late]);
      expect(await restored.keys.get(one)).toEqual({ journeyId: one, erasedAt: fromFolder.erasures[0].recordedAt });
      expect(isErasedDataKey((await restored.keys.get(two))!)).toBe(false);
      expect(isErasedDataKey((await restored.keys.get(late))!)).toBe(true); // a tombstone: no key can ever be made for it
      expect((await applyNewerErasures(restored.keys, fromFolder.erasures)).alreadyErased).toBe(2);
      await restored.close();
    });
  });

  describe('the restore target', () => {
    it('refuses a non-empty folder unless forced, then moves it aside whole', () => {
      const parent = folder();
      const target = path.join(parent, 'data');
      fs.mkdirSync(target);
      fs.writeFileSync(path.join(target, 'old.txt'), 'old');
      const backupDir = folder();
      expect(() => prepareTarget(target, { force: false, backupDir })).toThrow(RestoreRefusedError);
      expect(fs.readdirSync(target)).toEqual(['old.txt']);
      const prepared = prepareTarget(target, { force: true, backupDir, now: new Date('2025-01-02T03:04:05Z') });
      expect(prepared.movedAside).toBe(`${target}.before-restore-20250102T030405Z`);
      expect(fs.readFileSync(path.join(prepared.movedAside!, 'old.txt'), 'utf8')).toBe('old');
      expect(fs.readdirSync(target)).toEqual([path.basename(prepared.staging)]);
      expect(() => prepareTarget(parent, { force: true, backupDir: path.join(parent, 'data') })).toThrow(/inside the target/);
    });

    it('refuses a folder a process holds', async () => {
      const store = openFolder();
      await recordJourney(store);
      expect(() => assertNotInUse(store.dataDir)).toThrow(/in use by another process/);
      expect(() => prepareTarget(store.dataDir, { force: true, backupDir: folder() })).toThrow(/in use/);
      await store.close();
      expect(() => assertNotInUse(store.dataDir)).not.toThrow();
    });
  });

  it('the key store figures read the checkpoint the store writes', async () => {
    const store = openFolder();
    await store.keys.saveErasureCheckpoint('42');
    await recordJourney(store);
    const out = path.join(folder(), 'b');
    const manifest = await takeBackup(store.sources, out, OPTIONS);
    expect(manifest.keyStore).toEqual({ keys: 1, erased: 0, erasureCheckpoint: '42' });
    await store.close();
  });
});
