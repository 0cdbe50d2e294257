/**
 * Reading a backup's SQLite copies read-only: their figures for the manifest, and SQLite's own
 * integrity check. A backup's copies are in rollback-journal mode (take-backup.ts switches them
 * from WAL after copying), so opening one read-only creates and changes nothing beside it.
 */
import Database from 'better-sqlite3';
import { AUDIT_STATE, LEDGER_STATE_ID } from '../../audit/src/ledger';

/** The read store's collection of projection checkpoints (apps/projector/src/checkpoints.ts, CHECKPOINTS: a spec checks they agree). */
export const PROJECTION_CHECKPOINTS = 'projection_checkpoints';

function withReadOnly<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.defaultSafeIntegers(true);
    return read(db);
  } finally {
    db.close();
  }
}

/** `PRAGMA integrity_check`: 'ok', or SQLite's findings joined. */
export function integrityCheck(file: string): string {
  return withReadOnly(file, (db) => (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((row) => row.integrity_check).join('; '));
}

/** Journal mode a file's header says ('wal' or 'delete'), without opening it as a database. */
export function journalModeOf(file: string): string {
  return withReadOnly(file, (db) => String(db.pragma('journal_mode', { simple: true })));
}

export interface EventStoreFigures {
  head: bigint | null;
  events: number;
  streams: number;
  journeys: number;
}

/** The head and counts of an event-store file (libs/event-store/src/embedded/sqlite-schema.ts). */
export function eventStoreFigures(file: string): EventStoreFigures {
  return withReadOnly(file, (db) => {
    const row = db.prepare('SELECT max(position) AS head, count(*) AS events FROM events').get() as { head: bigint | null; events: bigint };
    const streams = db.prepare("SELECT count(*) AS streams, count(*) FILTER (WHERE substr(stream_id, 1, 8) = 'journey-') AS journeys FROM streams").get() as { streams: bigint; journeys: bigint };
    return { head: row.head, events: Number(row.events), streams: Number(streams.streams), journeys: Number(streams.journeys) };
  });
}

/** The id of the event at `position` in an event-store file, if there is one. */
export function eventIdAt(file: string, position: bigint): string | undefined {
  return withReadOnly(file, (db) => db.prepare('SELECT event_id FROM events WHERE position = ?').pluck().get(position) as string | undefined);
}

export interface ReadStoreFigures {
  checkpoints: Record<string, string>;
  auditLedger: string | null;
}

/** Each projection collection's checkpoint and the audit ledger's position in a read-store file (libs/read-store/src/embedded/sqlite-file.ts). */
export function readStoreFigures(file: string): ReadStoreFigures {
  return withReadOnly(file, (db) => {
    const docs = (collection: string) => (db.prepare('SELECT doc FROM documents WHERE collection = ?').pluck().all(collection) as string[]).map((doc) => JSON.parse(doc) as { _id: string; position: string });
    const checkpoints: Record<string, string> = {};
    for (const doc of docs(PROJECTION_CHECKPOINTS).sort((a, b) => (a._id < b._id ? -1 : 1))) checkpoints[doc._id] = doc.position;
    const ledger = docs(AUDIT_STATE).find((doc) => doc._id === LEDGER_STATE_ID);
    return { checkpoints, auditLedger: ledger?.position ?? null };
  });
}

export interface KeyStoreFigures {
  keys: number;
  erased: number;
  erasureCheckpoint: string | null;
}

/** Counts of a key-store file (libs/personal-data/src/embedded/sqlite-key-schema.ts). */
export function keyStoreFigures(file: string): KeyStoreFigures {
  return withReadOnly(file, (db) => {
    const row = db.prepare('SELECT count(*) FILTER (WHERE erased_at IS NULL) AS keys, count(*) FILTER (WHERE erased_at IS NOT NULL) AS erased FROM data_keys').get() as { keys: bigint; erased: bigint };
    const checkpoint = db.prepare("SELECT value FROM key_store_state WHERE name = 'erasure_checkpoint'").pluck().get() as string | undefined;
    return { keys: Number(row.keys), erased: Number(row.erased), erasureCheckpoint: checkpoint ?? null };
  });
}
