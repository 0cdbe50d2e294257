import { dirname } from 'node:path';
import type { AppendResult, ExpectedRevision } from './event-store.port';

/** The stream was not where the append expected it; nothing was appended. */
export class WrongExpectedRevisionError extends Error {
  readonly type = 'wrong_expected_revision' as const;
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual last revision, or 'no_stream'. */
    readonly actual: bigint | 'no_stream',
  ) {
    super(`Stream ${streamId} is at ${String(actual)}, expected ${String(expected)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/** An Idempotency-Key was reused for a different request; nothing was appended. */
export class IdempotencyKeyReusedError extends Error {
  readonly type = 'idempotency_key_reused' as const;
  constructor(readonly key: string) {
    super(`Idempotency-Key ${key} was already used for a different request`);
    this.name = 'IdempotencyKeyReusedError';
  }
}

/** An Idempotency-Key was already used for this same request; the original result stands. */
export class IdempotencyKeyAlreadyUsedError extends Error {
  readonly type = 'idempotency_key_already_used' as const;
  constructor(
    readonly key: string,
    readonly original: AppendResult,
  ) {
    super(`Idempotency-Key ${key} was already used for this request`);
    this.name = 'IdempotencyKeyAlreadyUsedError';
  }
}

/** The data folder is held by another process: only one writer may open it. */
export class StoreLockedError extends Error {
  readonly type = 'store_locked' as const;
  constructor(readonly path: string) {
    super(
      `The data folder ${dirname(path)} is in use by another process: its event store (${path}) is locked. ` +
        'Only one process may write to a data folder: stop the other one or choose another DATA_DIR.',
    );
    this.name = 'StoreLockedError';
  }
}

/**
 * The embedded event store could not write (disk full, I/O error): the append was rolled back
 * whole, so nothing of it was recorded, and a later append may succeed once the disk recovers.
 */
export class EventStoreWriteFailed extends Error {
  readonly type = 'event_store_write_failed' as const;
  constructor(
    readonly path: string,
    /** SQLite's extended result code, e.g. SQLITE_FULL or SQLITE_IOERR_WRITE. */
    readonly sqliteCode: string,
    options?: { cause?: unknown },
  ) {
    super(`The event store at ${path} could not write (${sqliteCode}); the append was rolled back and nothing was recorded`, options);
    this.name = 'EventStoreWriteFailed';
  }
}

/**
 * An fsync of an embedded store's file failed. Fatal: after a failed fsync the kernel may have
 * dropped the dirty pages it could not write and marked them clean, so a later fsync that
 * succeeds proves nothing about them (PostgreSQL's "fsyncgate", 2018). Retrying could
 * acknowledge data that is not on disk, so the store refuses every write from then on and the
 * process stops; a restart recovers the store from what is actually on disk. Whether the writes
 * in flight were recorded is unknown: they may or may not be there after the restart, whole.
 */
export class StoreDurabilityLost extends Error {
  readonly type = 'store_durability_lost' as const;
  constructor(
    /** Which store: 'event store' or 'key store'. */
    readonly store: string,
    readonly path: string,
    readonly sqliteCode: string,
    options?: { cause?: unknown },
  ) {
    super(
      `An fsync of the ${store} at ${path} failed (${sqliteCode}): the store's durability cannot be guaranteed, ` +
        'so nothing in flight is acknowledged and nothing is retried; this process must stop, and a restart recovers the store from what is on disk',
      options,
    );
    this.name = 'StoreDurabilityLost';
  }
}
