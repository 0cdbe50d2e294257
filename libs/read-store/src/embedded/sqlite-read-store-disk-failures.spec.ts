/**
 * The embedded read store when the disk is full (a real SQLITE_FULL, from `max_page_count`): the
 * transaction rejects with ReadStoreWriteFailed, and nothing of it is stored, in memory or in
 * the file; once there is room the same write succeeds.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type Database from 'better-sqlite3';
import { ReadStoreWriteFailed } from '../read-store.port';
import { SqliteReadStore } from './sqlite-read-store';

const dbOf = (store: SqliteReadStore) => (store as unknown as { file: { db: Database.Database } }).file.db;

describe('SqliteReadStore when the disk is full', () => {
  let directory: string;
  let store: SqliteReadStore;

  beforeEach(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'vjt-read-faults-'));
    store = SqliteReadStore.open({ directory });
    await store.collection('docs').insertOne({ _id: 'a', n: 1 });
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('rolls a transaction back whole, in memory and on disk, and takes the same write once there is room', async () => {
    const db = dbOf(store);
    db.pragma(`max_page_count = ${Number(db.pragma('page_count', { simple: true }))}`);
    const write = () =>
      store.withTransaction(async (tx) => {
        await tx.collection('docs').updateOne({ _id: 'a' }, { $set: { n: 2 } });
        await tx.collection('docs').insertOne({ _id: 'big', text: 'x'.repeat(64 * 1024) });
      });
    const error = await write().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReadStoreWriteFailed);
    expect(error).toMatchObject({ type: 'read_store_write_failed', reason: 'SQLITE_FULL' });
    expect(await store.collection('docs').find({}, { sort: { _id: 1 } })).toEqual([{ _id: 'a', n: 1 }]);

    db.pragma('max_page_count = 1073741823');
    await write();
    expect((await store.collection('docs').find({}, { sort: { _id: 1 } })).map((d) => [d._id, d.n])).toEqual([['a', 2], ['big', undefined]]);
    await store.close();
    store = SqliteReadStore.open({ directory });
    expect(await store.collection('docs').countDocuments({})).toBe(2);
  });
});
