/**
 * The embedded event store when the disk fails: a refused write rejects with
 * EventStoreWriteFailed and stores nothing, a failed fsync is fatal (StoreDurabilityLost). A
 * real SQLITE_FULL comes from `max_page_count`; the codes SQLite gives for EIO and failed
 * fsyncs are thrown by fakes. test/resilience/disk-faults.spec.ts makes the disk itself fail.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { EventStoreWriteFailed, StoreDurabilityLost } from '../errors';
import type { StoredEvent } from '../event-store.port';
import { anEvent, rejectionOf, someEvents } from '../testing/contract-support';
import { SqliteEventStore } from './sqlite-event-store';

const sqliteError = (code: string) => new Database.SqliteError('disk trouble', code);

/** The store's private parts a fault needs. */
interface Internals {
  db: Database.Database;
  statements: { insertEvent: { run: (...args: unknown[]) => unknown } };
  commitGroup: (group: unknown[]) => unknown;
}
const internals = (store: SqliteEventStore) => store as unknown as Internals;

async function all(store: SqliteEventStore): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  return events;
}

describe('SqliteEventStore when the disk fails', () => {
  let directory: string;
  let store: SqliteEventStore;
  let lost: StoreDurabilityLost[];

  beforeEach(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'event-store-faults-'));
    lost = [];
    store = SqliteEventStore.open({ directory, onDurabilityLost: (error) => lost.push(error) });
    await store.append('before', someEvents(2), 'no_stream');
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('rejects an append with EventStoreWriteFailed when the disk is full, stores nothing, and appends again once there is room', async () => {
    const db = internals(store).db;
    db.pragma(`max_page_count = ${Number(db.pragma('page_count', { simple: true }))}`);
    const big = anEvent({ text: 'x'.repeat(64 * 1024) });
    const error = await rejectionOf(store.append('full', [big], 'no_stream'), EventStoreWriteFailed);
    expect(error).toMatchObject({ type: 'event_store_write_failed', sqliteCode: 'SQLITE_FULL' });
    expect(error.message).toMatch(/could not write \(SQLITE_FULL\).*nothing was recorded/);
    expect(await store.headPosition()).toBe(1n);
    expect(await store.readStream('full')).toEqual([]);

    db.pragma('max_page_count = 1073741823');
    expect(await store.append('full', [big], 'no_stream')).toMatchObject({ position: 2n, nextExpectedRevision: 0n });
    expect((await all(store)).map((e) => e.position)).toEqual([0n, 1n, 2n]);
    expect(lost).toEqual([]);
  });

  it('rejects only the append whose write failed when the rest of its group could commit', async () => {
    const statements = internals(store).statements;
    const run = statements.insertEvent.run.bind(statements.insertEvent);
    statements.insertEvent.run = (...args: unknown[]) => {
      if (args[1] === 'refused') throw sqliteError('SQLITE_FULL'); // a statement-level failure: its savepoint rolls back
      return run(...args);
    };
    const [a, refused, b] = await Promise.allSettled([
      store.append('a', someEvents(1), 'no_stream'),
      store.append('refused', someEvents(2), 'no_stream'),
      store.append('b', someEvents(1), 'no_stream'),
    ]);
    expect(a).toMatchObject({ status: 'fulfilled', value: { position: 2n } });
    expect(refused).toMatchObject({ status: 'rejected', reason: expect.any(EventStoreWriteFailed) });
    expect(b).toMatchObject({ status: 'fulfilled', value: { position: 3n } });
    expect((await all(store)).map((e) => [e.streamId, e.position])).toEqual([['before', 0n], ['before', 1n], ['a', 2n], ['b', 3n]]);
  });

  it('rejects the whole group, and stores none of it, when SQLite rolled the whole transaction back', async () => {
    const { db, statements } = internals(store);
    const run = statements.insertEvent.run.bind(statements.insertEvent);
    statements.insertEvent.run = (...args: unknown[]) => {
      if (args[1] !== 'torn') return run(...args);
      db.exec('ROLLBACK'); // what SQLite does itself after some I/O errors in a statement
      throw sqliteError('SQLITE_IOERR_WRITE');
    };
    const outcomes = await Promise.allSettled([
      store.append('a', someEvents(1), 'no_stream'),
      store.append('torn', someEvents(1), 'no_stream'),
      store.append('b', someEvents(1), 'no_stream'),
    ]);
    // None stands: the appends after the failed one must not have committed on their own.
    expect(outcomes.map((o) => o.status === 'rejected' && o.reason instanceof EventStoreWriteFailed)).toEqual([true, true, true]);
    expect((await all(store)).map((e) => e.streamId)).toEqual(['before', 'before']);
    expect(await store.headPosition()).toBe(1n);

    statements.insertEvent.run = run;
    expect(await store.append('a', someEvents(1), 'no_stream')).toMatchObject({ position: 2n });
  });

  it('makes a failed fsync fatal: the group is rejected, the handler hears once, and no append is ever tried again', async () => {
    const real = internals(store).commitGroup;
    let commits = 0;
    internals(store).commitGroup = () => {
      commits++;
      throw sqliteError('SQLITE_IOERR_FSYNC');
    };
    const outcomes = await Promise.allSettled([store.append('a', someEvents(1), 'no_stream'), store.append('b', someEvents(1), 'no_stream')]);
    expect(outcomes.map((o) => o.status === 'rejected' && o.reason)).toEqual([expect.any(StoreDurabilityLost), expect.any(StoreDurabilityLost)]);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ store: 'event store', path: path.join(directory, 'events.sqlite'), sqliteCode: 'SQLITE_IOERR_FSYNC' });
    expect(lost[0].message).toMatch(/durability cannot be guaranteed/);

    // Even with a disk that works again, nothing is retried: every append is refused at once.
    internals(store).commitGroup = real;
    await expect(store.append('c', someEvents(1), 'no_stream')).rejects.toBe(lost[0]);
    expect(commits).toBe(1);
    expect(lost).toHaveLength(1);
    // Reads still answer from what was committed before.
    expect((await all(store)).map((e) => e.streamId)).toEqual(['before', 'before']);
  });

  it('passes the store’s own refusals through unchanged', async () => {
    await expect(store.append('before', someEvents(1), 'no_stream')).rejects.toMatchObject({ name: 'WrongExpectedRevisionError' });
  });
});
