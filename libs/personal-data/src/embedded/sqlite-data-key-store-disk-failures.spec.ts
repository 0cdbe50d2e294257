/**
 * The embedded key store when the disk fails: a refused write is KeyStoreWriteFailed (the API's
 * 503) and stores nothing; a failed fsync is fatal, as in the event store. A real SQLITE_FULL
 * comes from `max_page_count`; a failed fsync's code is thrown by a fake.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { StoreDurabilityLost } from '../../../event-store/src/errors';
import { KeyStoreWriteFailed } from '../errors';
import { aWrappedKey } from '../testing/data-key-store.contract';
import { SqliteDataKeyStore } from './sqlite-data-key-store';

interface Internals {
  db: Database.Database;
  statements: { upsertState: { run: (...args: unknown[]) => unknown } };
}
const internals = (store: SqliteDataKeyStore) => store as unknown as Internals;

describe('SqliteDataKeyStore when the disk fails', () => {
  let dataDir: string;
  let store: SqliteDataKeyStore;
  let lost: StoreDurabilityLost[];

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vjt-keys-faults-'));
    lost = [];
    store = SqliteDataKeyStore.open({ dataDir, onDurabilityLost: (error) => lost.push(error) });
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('rejects keys it cannot store with KeyStoreWriteFailed, stores none of them, and stores them once there is room', async () => {
    const db = internals(store).db;
    db.pragma(`max_page_count = ${Number(db.pragma('page_count', { simple: true }))}`);
    // Offered in one turn, so written in one transaction that needs pages the file may not have.
    const keys = Array.from({ length: 200 }, () => aWrappedKey());
    const outcomes = await Promise.allSettled(keys.map((key) => store.putIfAbsent(key)));
    expect(outcomes.every((o) => o.status === 'rejected' && o.reason instanceof KeyStoreWriteFailed)).toBe(true);
    expect((outcomes[0] as PromiseRejectedResult).reason).toMatchObject({ type: 'key_store_write_failed', sqliteCode: 'SQLITE_FULL' });
    expect(await store.get(keys[0].journeyId)).toBeUndefined();

    db.pragma('max_page_count = 1073741823');
    await Promise.all(keys.map((key) => store.putIfAbsent(key)));
    expect(await store.get(keys[199].journeyId)).toMatchObject({ journeyId: keys[199].journeyId, kekId: 'kek-a' });
    expect(lost).toEqual([]);
  });

  it('makes a failed fsync fatal: the handler hears once, and every later write is refused', async () => {
    const statements = internals(store).statements;
    const run = statements.upsertState.run.bind(statements.upsertState);
    statements.upsertState.run = () => {
      throw new Database.SqliteError('disk I/O error', 'SQLITE_IOERR_FSYNC');
    };
    const error = await store.saveErasureCheckpoint('7').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreDurabilityLost);
    expect(lost).toEqual([error]);
    expect(lost[0]).toMatchObject({ store: 'key store', sqliteCode: 'SQLITE_IOERR_FSYNC' });

    statements.upsertState.run = run;
    await expect(store.putIfAbsent(aWrappedKey())).rejects.toBe(error);
    await expect(store.saveErasureCheckpoint('8')).rejects.toBe(error);
    expect(await store.erasureCheckpoint()).toBeNull();
    expect(lost).toHaveLength(1);
  });
});
