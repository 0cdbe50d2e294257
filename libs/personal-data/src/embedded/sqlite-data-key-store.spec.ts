import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { KeyStoreLockedError } from '../errors';
import { aWrappedKey, describeDataKeyStoreContract } from '../testing/data-key-store.contract';
import { keysDirectory, SqliteDataKeyStore } from './sqlite-data-key-store';

let dataDir: string | undefined;
const freshDataDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'vjt-keys-'));

describeDataKeyStoreContract(
  'SqliteDataKeyStore',
  async () => SqliteDataKeyStore.open({ dataDir: (dataDir ??= freshDataDir()) }),
  async () => {
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  },
);

/** Every file under `directory`, read whole. */
function filesUnder(directory: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of fs.readdirSync(directory, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.set(entry.name, fs.readFileSync(path.join(entry.parentPath, entry.name)));
  }
  return files;
}

describe('SqliteDataKeyStore on disk', () => {
  let dir: string;
  let store: SqliteDataKeyStore;
  beforeEach(() => {
    dir = freshDataDir();
    store = SqliteDataKeyStore.open({ dataDir: dir });
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lives in <dataDir>/keys/data-keys.sqlite, apart from the event store files, in an owner-only folder', () => {
    expect(store.path).toBe(path.join(dir, 'keys', 'data-keys.sqlite'));
    expect(fs.statSync(keysDirectory(dir)).mode & 0o077).toBe(0);
  });

  it('runs WAL with synchronous=FULL, secure_delete on and an exclusive lock', () => {
    expect(store.settings()).toEqual({ journalMode: 'wal', synchronous: 'FULL', secureDelete: true, lockingMode: 'exclusive' });
  });

  it('refuses a second opener of the same folder with KeyStoreLockedError', () => {
    expect(() => SqliteDataKeyStore.open({ dataDir: dir })).toThrow(KeyStoreLockedError);
  });

  it.each([
    ['still in the WAL', false],
    ['checkpointed into the database file', true],
  ])('leaves no byte of a destroyed wrapped key in any file of the keys folder (key %s)', async (_, checkpointFirst) => {
    const victims = Array.from({ length: 20 }, () => aWrappedKey());
    const survivor = aWrappedKey();
    for (const key of [...victims, survivor]) await store.putIfAbsent(key);
    if (checkpointFirst) {
      await store.close(); // closing checkpoints the WAL into the database file
      store = SqliteDataKeyStore.open({ dataDir: dir });
    }
    const before = [...filesUnder(keysDirectory(dir)).values()];
    expect(before.some((bytes) => bytes.includes(Buffer.from(victims[0].wrapped, 'base64')))).toBe(true);

    for (const key of victims) await store.destroy(key.journeyId, new Date().toISOString());

    for (const [name, bytes] of filesUnder(keysDirectory(dir))) {
      for (const key of victims) {
        expect({ name, found: bytes.includes(Buffer.from(key.wrapped, 'base64')) }).toEqual({ name, found: false });
        expect({ name, found: bytes.includes(key.wrapped) }).toEqual({ name, found: false });
      }
    }
    const all = Buffer.concat([...filesUnder(keysDirectory(dir)).values()]);
    expect(all.includes(Buffer.from(survivor.wrapped, 'base64'))).toBe(true); // the scan does see live keys
  });

  it('keeps the journey ids of erased journeys (the tombstones) but no key material for them', async () => {
    const key = aWrappedKey(randomUUID());
    await store.putIfAbsent(key);
    await store.destroy(key.journeyId, '2025-01-01T00:00:00.000Z');
    await store.close();
    const db = new Database(store.path, { readonly: true });
    const row = db.prepare('SELECT * FROM data_keys').get();
    db.close();
    store = SqliteDataKeyStore.open({ dataDir: dir });
    expect(row).toEqual({ journey_id: key.journeyId, kek_id: null, wrapped: null, created_at: null, erased_at: '2025-01-01T00:00:00.000Z' });
  });

  it('rejects a rewrap carrying another journey\'s key', async () => {
    const key = aWrappedKey();
    await store.putIfAbsent(key);
    await expect(store.rewrap(key.journeyId, key.kekId, aWrappedKey())).rejects.toThrow(RangeError);
  });

  it('fails every call after close, with a message naming the file', async () => {
    await store.close();
    await expect(store.get('x')).rejects.toThrow(`The key store at ${store.path} is closed`);
  });
});
