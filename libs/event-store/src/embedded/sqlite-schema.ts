/**
 * Opening, locking and migrating the embedded event store's SQLite file.
 *
 * Kept apart from the store so that the order of the pragmas (which matters) is in one place:
 *  1. `locking_mode=EXCLUSIVE` before anything touches the file, so that WAL keeps its index in
 *     heap memory (no -shm file) and the first access takes a lock that is never given back
 *     until the connection closes. The OS drops that lock if the process dies, which is why this
 *     is safer than a pid file.
 *  2. `journal_mode=WAL` is the first read: if another connection (this process or another)
 *     holds the lock it fails with SQLITE_BUSY after the short busy timeout.
 *  3. `synchronous=FULL`: WAL is fsynced at every commit, so an acknowledged append survives
 *     power loss, not only a process crash.
 *  4. `BEGIN EXCLUSIVE; COMMIT` takes the write lock now rather than on the first append.
 */
import Database from 'better-sqlite3';
import { StoreLockedError } from '../errors';

/** Bumped by every migration; stored in `PRAGMA user_version`. */
export const SCHEMA_VERSION = 1;

/** How long a second opener waits for the lock before giving up. Short: the lock is held for the store's lifetime, waiting longer never helps. */
const LOCK_WAIT_MS = 200;

/**
 * Version 1. `position` is the global position, 0-based and gap-free: the store assigns
 * head + 1 inside the append transaction, so a rolled-back append leaves no hole.
 * JSON columns are TEXT written by JSON.stringify (which escapes U+0000, so text never holds NUL).
 */
const SCHEMA_V1 = `
  CREATE TABLE events (
    position  INTEGER PRIMARY KEY,
    stream_id TEXT    NOT NULL,
    revision  INTEGER NOT NULL,
    event_id  TEXT    NOT NULL UNIQUE,
    type      TEXT    NOT NULL,
    data      TEXT    NOT NULL,
    metadata  TEXT    NOT NULL,
    UNIQUE (stream_id, revision)
  );
  CREATE TABLE streams (
    stream_id     TEXT    PRIMARY KEY,
    last_revision INTEGER NOT NULL,
    last_position INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE idempotency (
    key                    TEXT    PRIMARY KEY,
    request_hash           TEXT    NOT NULL,
    stream_id              TEXT    NOT NULL,
    next_expected_revision INTEGER NOT NULL,
    position               INTEGER NOT NULL,
    recorded_at            TEXT    NOT NULL
  ) WITHOUT ROWID;
`;

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

function migrate(db: Database.Database, file: string): void {
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version > SCHEMA_VERSION) {
    throw new Error(
      `The event store at ${file} has schema version ${version}; this build understands up to ${SCHEMA_VERSION}.`,
    );
  }
  if (version === SCHEMA_VERSION) return;
  // Each step runs in one transaction with its user_version bump, so a crash mid-migration
  // leaves the previous version intact.
  db.transaction(() => {
    if (version < 1) db.exec(SCHEMA_V1);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}

/**
 * Opens (creating if needed) the database file, takes the exclusive lock and brings the schema
 * up to date. Every integer comes back as a bigint.
 * @throws StoreLockedError when another connection holds the file.
 */
export function openLockedDatabase(file: string): Database.Database {
  const db = new Database(file, { timeout: LOCK_WAIT_MS });
  try {
    db.defaultSafeIntegers(true);
    db.pragma('locking_mode = EXCLUSIVE');
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new Error(`Could not switch ${file} to WAL (got ${String(mode)})`);
    db.pragma('synchronous = FULL');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
    migrate(db, file);
    return db;
  } catch (error) {
    db.close();
    if (isBusy(error)) throw new StoreLockedError(file);
    throw error;
  }
}
