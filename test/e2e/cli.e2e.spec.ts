import { analyticsProjection } from '../../projections/analytics/analytics.projection';
import { journeyProjection } from '../../projections/journeys/journey.projection';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';

/**
 * The operator's command line, run as operators run it: the compiled CLI in a child
 * process, on data folders of its own.
 */
const root = resolve(__dirname, '../..');
const cliMain = join(root, 'dist/apps/cli/src/main.js');

function cli(dataDir: string, ...args: string[]): { status: number; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [cliMain, ...args], { cwd: root, env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8', timeout: 120_000 });
  return { status: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

function json(dataDir: string, ...args: string[]): any {
  const run = cli(dataDir, ...args, '--json');
  if (run.status !== 0) throw new Error(`cli ${args.join(' ')} failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** Every document of the serving journeys collection, canonical, straight from the file. */
function journeyDocuments(dataDir: string): string {
  const db = new Database(join(dataDir, 'read-models.sqlite'), { readonly: true });
  try {
    const catalog = db.prepare(`SELECT doc FROM documents WHERE collection = 'projections'`).all() as Array<{ doc: string }>;
    const serving = JSON.parse(catalog[0].doc).collection;
    const rows = db.prepare('SELECT doc FROM documents WHERE collection = ? ORDER BY id').all(serving) as Array<{ doc: string }>;
    return rows.map((r) => r.doc).join('\n');
  } finally {
    db.close();
  }
}

describe('the operator CLI', () => {
  const dirs: string[] = [];
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'vjt-cli-'));
    dirs.push(dir);
    return dir;
  };
  beforeAll(() => {
    // Incremental: nearly free when CI has just built.
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  }, 180_000);
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('seeds, rebuilds, exports, and imports into an empty folder with identical read models', () => {
    const source = folder();
    const seeded = json(source, 'seed', '--journeys', '300', '--seed', '7');
    expect(seeded).toMatchObject({ journeys: 300, skipped: 0, interrupted: false, projected: { position: expect.any(String) } });
    expect(json(source, 'seed', '--journeys', '300', '--seed', '7')).toMatchObject({ journeys: 0, skipped: 300 });

    const rebuilt = json(source, 'rebuild');
    expect(rebuilt.rebuilt).toEqual([
      expect.objectContaining({ name: 'journeys', serving: expect.stringMatching(new RegExp(`^journeys__v${journeyProjection.version}__`)) }),
      expect.objectContaining({ name: 'analytics', serving: expect.stringMatching(new RegExp(`^analytics__v${analyticsProjection.version}__`)) }),
    ]);
    const status = json(source, 'status');
    expect(status.projections[0]).toMatchObject({ name: 'journeys', behind: false, lagEvents: 0 });
    expect(json(source, 'verify').ok).toBe(true);

    const file = join(folder(), 'events.ndjson');
    expect(json(source, 'export', '--out', file)).toMatchObject({ events: seeded.events, interrupted: false });
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(seeded.events);

    const target = folder();
    expect(json(target, 'import', '--in', file)).toMatchObject({ appended: seeded.events, skipped: 0 });
    expect(json(target, 'import', '--in', file)).toMatchObject({ appended: 0, skipped: seeded.events });
    json(target, 'rebuild');
    json(source, 'rebuild');
    expect(journeyDocuments(target)).toBe(journeyDocuments(source));
    expect(json(target, 'verify').ok).toBe(true);
  });

  it('replays a journey event by event with its state', () => {
    const dir = folder();
    json(dir, 'seed', '--journeys', '20', '--seed', '3', '--no-project');
    const exported = join(dir, 'out.ndjson');
    json(dir, 'export', '--out', exported);
    const journeyId = JSON.parse(readFileSync(exported, 'utf8').split('\n')[0]).streamId.slice('journey-'.length);
    const replay = json(dir, 'replay', journeyId);
    expect(replay.events[0]).toMatchObject({ revision: '0', type: 'VictimIdentified', state: { status: expect.any(String) } });
    const text = cli(dir, 'replay', journeyId);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('VictimIdentified');
  });

  it('reports a read model that no longer matches the log', () => {
    const dir = folder();
    json(dir, 'seed', '--journeys', '10', '--seed', '5');
    const db = new Database(join(dir, 'read-models.sqlite'));
    db.prepare(`UPDATE documents SET doc = json_set(doc, '$.stage', 'exited') WHERE collection LIKE 'journeys%' AND rowid = (SELECT min(rowid) FROM documents WHERE collection LIKE 'journeys%')`).run();
    db.close();
    const run = cli(dir, 'verify', '--json');
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout).findings.find((f: any) => f.check === 'read model journeys')).toMatchObject({ ok: false });
  });

  it('mints a token signed with the data folder’s secret', () => {
    const dir = folder();
    const { token, claims } = json(dir, 'token', '--role', 'support_worker', '--user', 'worker-7', '--organisation', 'met-police', '--ttl', '600');
    expect(claims).toMatchObject({ sub: 'worker-7', role: 'support_worker', organisationId: 'met-police' });
    const [header, payload, signature] = token.split('.');
    const secret = Buffer.from(readFileSync(join(dir, 'secrets/jwt-hs256.key'), 'utf8'), 'base64');
    expect(createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url')).toBe(signature);
    expect(cli(dir, 'token', '--role', 'wizard', '--user', 'x').status).toBe(1);
  });

  it('stops seeding cleanly on Ctrl-C, leaving a well-formed log and read models', async () => {
    const dir = folder();
    const child = spawn(process.execPath, [cliMain, 'seed', '--journeys', '20000', '--seed', '9', '--no-project', '--json'], { cwd: root, env: { ...process.env, DATA_DIR: dir } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    // Interrupt once journeys are being appended (the write-ahead log grows), not after a fixed
    // delay: on a busy machine the CLI may not have started, and installed its handler, by then.
    const wal = join(dir, 'events.sqlite-wal');
    for (let waited = 0; !(existsSync(wal) && statSync(wal).size > 256 * 1024); waited += 50) {
      if (waited > 30_000) throw new Error('the seed never started appending');
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(0);
    const stopped = JSON.parse(out);
    expect(stopped.interrupted).toBe(true);
    expect(stopped.journeys).toBeLessThan(20000);
    expect(json(dir, 'verify').ok).toBe(true);
  }, 60_000);
});
