/**
 * The embedded store's SQL, prepared once per connection, and the row shapes it returns.
 * The connection has defaultSafeIntegers on, so every INTEGER column arrives as a bigint.
 */
import type Database from 'better-sqlite3';
import type { AppendResult, EventMetadata, StoredEvent } from '../event-store.port';

export interface EventRow {
  position: bigint;
  stream_id: string;
  revision: bigint;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
}

export interface StreamRow {
  last_revision: bigint;
  last_position: bigint;
}

export interface IdempotencyRow {
  key: string;
  request_hash: string;
  stream_id: string;
  next_expected_revision: bigint;
  position: bigint;
  recorded_at: string;
}

const EVENT_COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata';

/** Prepares every statement the store uses; called once, when the store opens. */
export function prepareStatements(db: Database.Database) {
  return {
    selectHead: db.prepare<[], { head: bigint | null }>('SELECT max(position) AS head FROM events'),
    selectStream: db.prepare<[string], StreamRow>(
      'SELECT last_revision, last_position FROM streams WHERE stream_id = ?',
    ),
    selectStreamEvents: db.prepare<[string], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? ORDER BY revision`,
    ),
    selectPage: db.prepare<[bigint, number], EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`,
    ),
    insertEvent: db.prepare<[bigint, string, bigint, string, string, string, string]>(
      `INSERT INTO events (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    upsertStream: db.prepare<[string, bigint, bigint]>(
      `INSERT INTO streams (stream_id, last_revision, last_position) VALUES (?, ?, ?)
       ON CONFLICT (stream_id) DO UPDATE SET last_revision = excluded.last_revision, last_position = excluded.last_position`,
    ),
    selectIdempotency: db.prepare<[string], IdempotencyRow>(
      'SELECT key, request_hash, stream_id, next_expected_revision, position, recorded_at FROM idempotency WHERE key = ?',
    ),
    insertIdempotency: db.prepare<[string, string, string, bigint, bigint, string]>(
      `INSERT INTO idempotency (key, request_hash, stream_id, next_expected_revision, position, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;

/** Maps a row to the port's shape; the JSON columns were written by JSON.stringify. */
export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    id: row.event_id,
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
    type: row.type,
    data: JSON.parse(row.data) as Record<string, unknown>,
    metadata: JSON.parse(row.metadata) as EventMetadata,
  };
}

/** True when an insert failed because its event id is already stored. */
export function isDuplicateEventId(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 'SQLITE_CONSTRAINT_UNIQUE' && typeof message === 'string' && message.includes('events.event_id');
}

export function toAppendResult(row: IdempotencyRow): AppendResult {
  return { streamId: row.stream_id, nextExpectedRevision: row.next_expected_revision, position: row.position };
}
