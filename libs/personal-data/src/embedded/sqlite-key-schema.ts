/**
 * Opening and migrating the embedded key store's SQLite file. The pragmas, in order:
 *  1. `locking_mode=EXCLUSIVE` first, as the event store does: one process owns the file for
 *     its life, WAL keeps its index in memory (no -shm file), and a second opener fails fast.
 *  2. `journal_mode=WAL`, `synchronous=FULL`: a destroy is on disk before it is acknowledged.
 *  3. `secure_delete=ON`: SQLite overwrites deleted content and freed pages with zeros, so a
 *     destroyed wrapped key does not linger in the file's free space. (The WAL still holds the
 *     old page until a checkpoint; the store checkpoints with TRUNCATE after every destroy.)
 */
import Database from 'better-sqlite3';
import { KeyStoreLockedError } from '../errors';

const SCHEMA_VERSION = 1;
const LOCK_WAIT_MS = 200;

/**
 * A row is a live key (kek_id, wrapped, created_at set) or a tombstone (only erased_at set);
 * the CHECK makes a half-destroyed row impossible.
 */
const SCHEMA_V1 = `
  CREATE TABLE data_keys (
    journey_id TEXT PRIMARY KEY,
    kek_id     TEXT,
    wrapped    BLOB,
    created_at TEXT,
    erased_at  TEXT,
    CHECK ((erased_at IS NULL) = (kek_id IS NOT NULL AND wrapped IS NOT NULL AND created_at IS NOT NULL)),
    CHECK (erased_at IS NULL OR (kek_id IS NULL AND wrapped IS NULL AND created_at IS NULL))
  ) WITHOUT ROWID;
  CREATE INDEX data_keys_by_kek ON data_keys (kek_id, journey_id) WHERE kek_id IS NOT NULL;
  CREATE TABLE key_store_state (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
`;

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

function migrate(db: Database.Database, file: string): void {
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version > SCHEMA_VERSION) {
    throw new Error(`The key store at ${file} has schema version ${version}; this build understands up to ${SCHEMA_VERSION}.`);
  }
  if (version === SCHEMA_VERSION) return;
  db.transaction(() => {
    db.exec(SCHEMA_V1);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}

/**
 * Opens (creating if needed) the key store file, takes its exclusive lock and migrates it.
 * @throws KeyStoreLockedError when another connection holds the file.
 */
export function openKeyDatabase(file: string): Database.Database {
  const db = new Database(file, { timeout: LOCK_WAIT_MS });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`Could not switch ${file} to WAL (got ${String(mode)})`);
    db.pragma('synchronous = FULL');
    db.pragma('secure_delete = ON');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
    migrate(db, file);
    return db;
  } catch (error) {
    db.close();
    if (isBusy(error)) throw new KeyStoreLockedError(file);
    throw error;
  }
}

/** A data_keys row as SQLite returns it. */
export interface DataKeyRow {
  journey_id: string;
  kek_id: string | null;
  wrapped: Buffer | null;
  created_at: string | null;
  erased_at: string | null;
}

export function prepareKeyStatements(db: Database.Database) {
  const columns = 'journey_id, kek_id, wrapped, created_at, erased_at';
  return {
    select: db.prepare<[string], DataKeyRow>(`SELECT ${columns} FROM data_keys WHERE journey_id = ?`),
    insertIfAbsent: db.prepare<[string, string, Buffer, string]>(
      'INSERT INTO data_keys (journey_id, kek_id, wrapped, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (journey_id) DO NOTHING',
    ),
    // Keeps the first erased_at: a second destroy matches no row to update.
    destroy: db.prepare<[string, string]>(
      `INSERT INTO data_keys (journey_id, erased_at) VALUES (?, ?)
       ON CONFLICT (journey_id) DO UPDATE SET kek_id = NULL, wrapped = NULL, created_at = NULL, erased_at = excluded.erased_at
       WHERE erased_at IS NULL`,
    ),
    wrappedUnder: db.prepare<[string, number], DataKeyRow>(
      `SELECT ${columns} FROM data_keys WHERE kek_id IS NOT NULL AND kek_id <> ? ORDER BY journey_id LIMIT ?`,
    ),
    rewrap: db.prepare<[string, Buffer, string, string]>(
      'UPDATE data_keys SET kek_id = ?, wrapped = ? WHERE journey_id = ? AND kek_id = ? AND erased_at IS NULL',
    ),
    selectState: db.prepare<[string], string>('SELECT value FROM key_store_state WHERE name = ?').pluck(),
    upsertState: db.prepare<[string, string]>(
      'INSERT INTO key_store_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
    ),
  };
}

export type KeyStatements = ReturnType<typeof prepareKeyStatements>;
