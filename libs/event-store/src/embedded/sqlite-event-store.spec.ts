import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { StoreLockedError, WrongExpectedRevisionError } from '../errors';
import type { EventToAppend } from '../event-store.port';
import { anEvent, rejectionOf, someEvents, SubscriptionReader } from '../testing/contract-support';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { DuplicateEventIdError, SqliteEventStore } from './sqlite-event-store';

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'event-store-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describeEventStoreContract('SqliteEventStore', async () => {
  const directory = tempDir();
  const store = SqliteEventStore.open({ directory, pageSize: 50 });
  return { store, cleanup: () => store.close() };
});

/** A child node process that uses better-sqlite3 directly on `file` (tests cannot run TS in a child). */
const childEnv = (file: string) => ({ ...process.env, DB_FILE: file, SQLITE_MODULE: require.resolve('better-sqlite3') });
const TRY_WRITE = `
  const Database = require(process.env.SQLITE_MODULE);
  try {
    const db = new Database(process.env.DB_FILE, { timeout: 100 });
    db.exec('BEGIN IMMEDIATE'); db.exec('ROLLBACK'); console.log('WROTE');
  } catch (e) { console.log(e.code); }`;
const HOLD_LOCK = `
  const Database = require(process.env.SQLITE_MODULE);
  const db = new Database(process.env.DB_FILE);
  db.pragma('locking_mode = EXCLUSIVE'); db.pragma('journal_mode = WAL'); db.exec('BEGIN EXCLUSIVE; COMMIT');
  console.log('LOCKED'); setInterval(() => {}, 1000);`;

function childTriesToWrite(file: string): string {
  return spawnSync(process.execPath, ['-e', TRY_WRITE], { env: childEnv(file), encoding: 'utf8' }).stdout.trim();
}

describe('SqliteEventStore (embedded-only promises)', () => {
  let directory: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    directory = tempDir();
    store = SqliteEventStore.open({ directory, pageSize: 4 });
  });
  afterEach(() => store.close());

  const positions = async () => {
    const read = [];
    for await (const event of store.readAll()) read.push(event.position);
    return read;
  };

  it('numbers positions 0, 1, 2… with no gap, even after appends that were rejected or rolled back', async () => {
    expect(await store.headPosition()).toBeUndefined();
    await store.append('a', someEvents(2), 'no_stream');
    await rejectionOf(store.append('a', [anEvent()], 'no_stream'), WrongExpectedRevisionError);
    const unserialisable: EventToAppend = anEvent({ amount: 1n });
    await expect(store.append('b', [anEvent(), unserialisable], 'any')).rejects.toThrow(TypeError);
    await store.append('b', someEvents(2), 'no_stream');
    expect(await positions()).toEqual([0n, 1n, 2n, 3n]);
    expect((await store.readStream('b')).map((e) => e.revision)).toEqual([0n, 1n]);
  });

  it('commits appends made in one turn of the event loop together, and a rejected one rolls back alone', async () => {
    await store.append('seen', someEvents(1), 'no_stream');
    const before = store.stats();
    const outcomes = await Promise.allSettled([
      store.append('x', someEvents(2), 'no_stream'),
      store.append('seen', someEvents(1), 'no_stream'), // wrong expected revision
      store.append('x', someEvents(1), 1n), // sees the first append of this group
      store.append('y', [anEvent(), anEvent({ amount: 1n })], 'any'), // cannot be serialised
      store.append('z', someEvents(1), 'no_stream'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect(outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.position] : []))).toEqual([2n, 3n, 4n]);
    expect(store.stats()).toEqual({ commits: before.commits + 1, appends: before.appends + 5 });
    expect(await positions()).toEqual([0n, 1n, 2n, 3n, 4n]);
    expect(await store.readStream('y')).toEqual([]);
    expect(await store.headPosition()).toBe(4n);
  });

  it('commits appends still waiting for their group when closed, before releasing the file', async () => {
    const appended = store.append('a', someEvents(3), 'no_stream');
    await store.close();
    await expect(appended).resolves.toMatchObject({ position: 2n });
    store = SqliteEventStore.open({ directory, pageSize: 4 });
    expect(await positions()).toEqual([0n, 1n, 2n]);
  });

  it('rejects an event id that is already stored, naming it, and appends nothing (no silent dedupe)', async () => {
    const event = anEvent();
    await store.append('a', [event], 'no_stream');
    const again = await rejectionOf(store.append('b', [anEvent(), event], 'any'), DuplicateEventIdError);
    expect(again.message).toContain(event.id);
    const twiceInOneAppend = anEvent();
    await rejectionOf(store.append('c', [twiceInOneAppend, twiceInOneAppend], 'any'), DuplicateEventIdError);
    expect(await positions()).toEqual([0n]);
    expect(await store.readStream('b')).toEqual([]);
  });

  it('treats an empty append as a check of the expected revision that stores nothing', async () => {
    expect(await store.append('a', [], 'no_stream')).toEqual({ streamId: 'a', nextExpectedRevision: -1n, position: -1n });
    await store.append('other', someEvents(2), 'no_stream');
    expect(await store.append('a', [], 'any')).toEqual({ streamId: 'a', nextExpectedRevision: -1n, position: 1n });
    await store.append('a', someEvents(1), 'no_stream');
    await store.append('other', someEvents(1), 1n);
    expect(await store.append('a', [], 0n)).toEqual({ streamId: 'a', nextExpectedRevision: 0n, position: 2n });
    await rejectionOf(store.append('a', [], 'no_stream'), WrongExpectedRevisionError);
    expect(await positions()).toEqual([0n, 1n, 2n, 3n]);
  });

  it('keeps events, streams and idempotency keys across close and reopen', async () => {
    const claim = { key: 'k-1', requestHash: 'h-1' };
    const result = await store.append('a', someEvents(3), 'no_stream', claim);
    await store.close();
    store = SqliteEventStore.open({ directory, pageSize: 4 });
    expect(await store.readStream('a')).toHaveLength(3);
    expect(await store.headPosition()).toBe(2n);
    expect(await store.findIdempotencyRecord('k-1')).toEqual({ ...claim, ...result });
    expect((await store.append('a', [anEvent()], 2n)).position).toBe(3n);
  });

  it('reads its own pragmas back as WAL, synchronous=FULL and exclusive locking', () => {
    expect(store.settings()).toEqual({ journalMode: 'wal', synchronous: 'FULL', lockingMode: 'exclusive', schemaVersion: 1 });
  });

  it('creates a missing data folder', async () => {
    const nested = path.join(tempDir(), 'not', 'yet', 'there');
    const other = SqliteEventStore.open({ directory: nested, fileName: 'log.db' });
    await other.close();
    expect(fs.existsSync(path.join(nested, 'log.db'))).toBe(true);
  });

  it('refuses a second open of the same folder in this process, naming the file, until the first closes', async () => {
    const error = await rejectionOf(Promise.resolve().then(() => SqliteEventStore.open({ directory })), StoreLockedError);
    expect(error.path).toBe(path.join(directory, 'events.sqlite'));
    expect(error.message).toContain(error.path);
    await store.close();
    store = SqliteEventStore.open({ directory });
  });

  it('keeps another process from writing to the file while open, and lets it once closed', async () => {
    await store.append('a', [anEvent()], 'no_stream');
    expect(childTriesToWrite(store.path)).toBe('SQLITE_BUSY');
    await store.close();
    expect(childTriesToWrite(store.path)).toBe('WROTE');
    store = SqliteEventStore.open({ directory });
  });

  it('fails with StoreLockedError while another process holds the folder, and opens once that process dies', async () => {
    await store.close();
    const file = path.join(directory, 'events.sqlite');
    const holder = spawn(process.execPath, ['-e', HOLD_LOCK], { env: childEnv(file), stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await waitForLine(holder, 'LOCKED');
      expect(() => SqliteEventStore.open({ directory })).toThrow(StoreLockedError);
    } finally {
      holder.kill('SIGKILL'); // no clean shutdown: the OS must release the lock
      await new Promise((resolve) => holder.once('exit', resolve));
    }
    store = SqliteEventStore.open({ directory });
  });

  it('refuses a file written by a newer schema version', async () => {
    await store.close();
    const db = new Database(path.join(directory, 'events.sqlite'));
    db.pragma('user_version = 99');
    db.close();
    expect(() => SqliteEventStore.open({ directory })).toThrow(/schema version 99/);
    store = SqliteEventStore.open({ directory: tempDir() });
  });

  it('reads the whole log in pages and signals caught_up once, with the head position', async () => {
    await store.append('a', someEvents(10), 'no_stream');
    let count = 0;
    for await (const event of store.readAll()) expect(event.position).toBe(BigInt(count++));
    expect(count).toBe(10);
    const reader = new SubscriptionReader(store.subscribeToAll(), ['a']);
    const messages = await reader.until((m) => m.some((x) => x.kind === 'caught_up'));
    expect(messages).toHaveLength(11);
    expect(messages[10]).toEqual({ kind: 'caught_up', position: 9n });
  });

  it('signals caught_up at an undefined position on an empty log', async () => {
    const reader = new SubscriptionReader(store.subscribeToAll(), []);
    expect(await reader.until((m) => m.length === 1)).toEqual([{ kind: 'caught_up', position: undefined }]);
  });

  it('ends subscriptions and rejects appends once closed', async () => {
    const reader = new SubscriptionReader(store.subscribeToAll(), []);
    await reader.until((m) => m.length === 1);
    const pending = reader.next(2000);
    await store.close();
    expect((await pending).done).toBe(true);
    await expect(store.append('a', [anEvent()], 'any')).rejects.toThrow(/closed/);
    await expect(store.readStream('a')).rejects.toThrow(/closed/);
  });
});

function waitForLine(child: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(line)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before printing ${line}`)));
  });
}
