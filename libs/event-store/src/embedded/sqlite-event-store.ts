/**
 * The embedded, durable event store: one SQLite file (better-sqlite3, WAL, synchronous=FULL).
 *
 * Positions: 0-based and gap-free. The first event ever appended is at position 0, and each
 * append takes head + 1 inside its own transaction, so a rejected or rolled-back append leaves
 * no hole. Revisions are 0-based and contiguous per stream.
 *
 * Single writer: the connection holds an exclusive lock on the file for its whole life (see
 * sqlite-schema.ts), so the in-memory head below can never be stale.
 *
 * Group commit: appends called during one turn of the event loop are committed together, in one
 * SQLite transaction and so one fsync, at the end of that turn (setImmediate). Each append runs
 * in its own savepoint inside it, so a rejected append (wrong expected revision, reused id)
 * rolls back alone and the others commit. No promise resolves before the commit that holds its
 * events is on disk: durability per acknowledged append is unchanged, while a burst of
 * concurrent commands pays one fsync instead of one each (see docs/performance.md).
 *
 * Disk failures: a write the disk refuses (SQLITE_FULL, SQLITE_IOERR_*) rolls the group back and
 * rejects its appends with EventStoreWriteFailed; the next append simply tries again. A failed
 * fsync is fatal: the store refuses every write from then on and calls onDurabilityLost, which
 * stops the process (StoreDurabilityLost and sqlite-failures.ts say why).
 *
 * Event ids: EventStoreDB silently drops an event whose id it has already stored. Here a reused
 * id rejects the whole append instead (DuplicateEventIdError): retries are made safe by
 * Idempotency-Keys, so a reused id means a bug, and dropping it silently would hide that.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type Database from 'better-sqlite3';
import {
  EventStoreWriteFailed,
  IdempotencyKeyAlreadyUsedError,
  IdempotencyKeyReusedError,
  StoreDurabilityLost,
  WrongExpectedRevisionError,
} from '../errors';
import type {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  GlobalPosition,
  IdempotencyClaim,
  IdempotencyRecord,
  ReadAllOptions,
  StoredEvent,
  SubscribeOptions,
  Subscription,
} from '../event-store.port';
import { openLockedDatabase } from './sqlite-schema';
import { classifySqliteFailure, type DurabilityLostHandler, sqliteCodeOf, stopProcessOnDurabilityLost } from './sqlite-failures';
import { AppendSignal, SqliteSubscription, type SubscriptionSource } from './sqlite-subscription';
import { isDuplicateEventId, prepareStatements, type Statements, toAppendResult, toStoredEvent } from './sqlite-statements';
import { crashPoint } from '../../../crash-points/src/crash-point';

/** An event id that is already stored (or repeated within the append); nothing was appended. */
export class DuplicateEventIdError extends Error {
  constructor(readonly eventId: string) {
    super(`Event id ${eventId} is already stored; the append was rejected and nothing was appended`);
    this.name = 'DuplicateEventIdError';
  }
}

export interface SqliteEventStoreOptions {
  /** Data folder; created if missing. Only one process may open it at a time. */
  directory: string;
  /** Defaults to 'events.sqlite'. */
  fileName?: string;
  /** Events per read for readAll and subscriptions. Defaults to 1000. */
  pageSize?: number;
  /**
   * Called once if an fsync fails (see StoreDurabilityLost); the store already refuses every
   * write by then. Defaults to stopping the process (exit code 70). Tests pass their own.
   */
  onDurabilityLost?: DurabilityLostHandler;
}

/** An append waiting for the group commit at the end of this event-loop turn. */
interface PendingAppend {
  streamId: string;
  events: readonly EventToAppend[];
  expected: ExpectedRevision;
  claim: IdempotencyClaim | undefined;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/** Group-commit counters since open, for metrics: appends per commit shows how much grouping saves. */
export interface SqliteEventStoreStats {
  /** Transactions committed by the append path (one fsync each). */
  commits: number;
  /** Append calls settled, successful or rejected. */
  appends: number;
}

/** The connection's effective settings, for health checks and tests. */
export interface SqliteEventStoreSettings {
  journalMode: string;
  synchronous: 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA';
  lockingMode: string;
  schemaVersion: number;
}

function expectationHolds(expected: ExpectedRevision, actual: bigint | 'no_stream'): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === 'no_stream';
    case 'stream_exists':
      return actual !== 'no_stream';
    default:
      return actual === expected;
  }
}

/** EventStore on a local SQLite file. Create it with {@link SqliteEventStore.open}. */
export class SqliteEventStore implements EventStore {
  readonly gapFreePositions = true;
  private closed = false;
  private head: GlobalPosition | undefined;
  private readonly statements: Statements;
  private readonly signal = new AppendSignal();
  private readonly subscriptions = new Set<SqliteSubscription>();
  private readonly source: SubscriptionSource;
  /** Appends called this turn, committed together by flush(). */
  private pending: PendingAppend[] = [];
  private readonly counters: SqliteEventStoreStats = { commits: 0, appends: 0 };
  /** Set when an fsync failed: from then on every append is refused, never retried. */
  private durabilityLost: StoreDurabilityLost | undefined;
  /** One append in its own savepoint (a nested better-sqlite3 transaction). */
  private readonly appendInSavepoint: (append: PendingAppend, head: GlobalPosition | undefined) => AppendResult;
  /** Runs the whole group in one transaction; returns each append's result or error. */
  private readonly commitGroup: (group: PendingAppend[]) => Array<{ result: AppendResult } | { error: unknown }>;

  private constructor(
    private readonly db: Database.Database,
    /** The database file, as named in StoreLockedError. */
    readonly path: string,
    private readonly pageSize: number,
    private readonly onDurabilityLost: DurabilityLostHandler,
  ) {
    this.statements = prepareStatements(db);
    this.head = this.statements.selectHead.get()?.head ?? undefined;
    this.appendInSavepoint = db.transaction(this.appendUnsafe.bind(this));
    this.commitGroup = db.transaction((group: PendingAppend[]) => {
      // A group of one needs no savepoint: its failure rolls back only itself anyway.
      if (group.length === 1) return [{ result: this.appendUnsafe(group[0], this.head) }];
      let head = this.head;
      return group.map((append) => {
        try {
          const result = this.appendInSavepoint(append, head);
          if (append.events.length > 0) head = result.position;
          return { result };
        } catch (error) {
          // After some I/O errors SQLite rolls back the whole transaction: then none of the group stands.
          if (!db.inTransaction) throw error;
          return { error }; // its savepoint is rolled back; the rest of the group goes on
        }
      });
    });
    this.source = {
      pageSize,
      signal: this.signal,
      head: () => this.head,
      readPage: (after, limit) => this.readPage(after, limit),
    };
  }

  /**
   * Opens the store in `directory` (created if missing) and takes its exclusive lock.
   * @throws StoreLockedError when another connection, in this process or another, has it open.
   */
  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    const pageSize = options.pageSize ?? 1000;
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
    fs.mkdirSync(options.directory, { recursive: true });
    const file = path.join(options.directory, options.fileName ?? 'events.sqlite');
    return new SqliteEventStore(openLockedDatabase(file), file, pageSize, options.onDurabilityLost ?? stopProcessOnDurabilityLost);
  }

  /**
   * {@inheritDoc EventStore.append}
   * An empty `events` only checks `expected` and returns where the stream is: its last revision
   * and the position of its last event; for a stream that does not exist, revision -1n and the
   * head position (-1n when the log is empty). A claim on an empty append is still recorded.
   * @throws DuplicateEventIdError when an event id is already stored.
   * @throws EventStoreWriteFailed when the disk refused the write (nothing was appended).
   * @throws StoreDurabilityLost when an fsync failed, then and for every later append.
   */
  async append(
    streamId: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
    claim?: IdempotencyClaim,
  ): Promise<AppendResult> {
    this.assertOpen();
    if (this.durabilityLost) throw this.durabilityLost;
    return new Promise<AppendResult>((resolve, reject) => {
      if (this.pending.push({ streamId, events, expected, claim, resolve, reject }) === 1) setImmediate(() => this.flush());
    });
  }

  /** Commits every pending append in one transaction, then settles their promises. */
  private flush(): void {
    const group = this.pending;
    if (group.length === 0) return;
    this.pending = [];
    if (this.durabilityLost) {
      for (const append of group) append.reject(this.durabilityLost);
      return;
    }
    let outcomes: ReturnType<typeof this.commitGroup>;
    try {
      outcomes = this.commitGroup(group);
      this.counters.commits++;
      this.counters.appends += group.length;
    } catch (error) {
      const failure = this.failure(error);
      for (const append of group) append.reject(failure); // the commit itself failed: none is acknowledged
      if (failure instanceof StoreDurabilityLost) this.onDurabilityLost(failure); // SQLite syncs only at commit: only here
      return;
    }
    crashPoint('event-store.after-commit'); // committed and fsynced, nothing acknowledged yet
    let appended = false;
    for (const [i, outcome] of outcomes.entries()) {
      if ('error' in outcome) continue;
      if (group[i].events.length > 0) {
        // Only after the commit: subscribers must never see what could still roll back.
        this.head = outcome.result.position;
        appended = true;
      }
    }
    if (appended) this.signal.notify();
    outcomes.forEach((outcome, i) => ('error' in outcome ? group[i].reject(this.failure(outcome.error)) : group[i].resolve(outcome.result)));
  }

  /**
   * What a failed append is rejected with: a write the disk refused becomes EventStoreWriteFailed
   * (SQLite rolled it back); a failed fsync marks the store lost for good (StoreDurabilityLost).
   */
  private failure(error: unknown): unknown {
    const kind = classifySqliteFailure(error);
    if (kind === 'fsync') return (this.durabilityLost ??= new StoreDurabilityLost('event store', this.path, sqliteCodeOf(error)!, { cause: error }));
    if (kind === 'write') return new EventStoreWriteFailed(this.path, sqliteCodeOf(error)!, { cause: error });
    return error;
  }

  async readStream(streamId: string): Promise<StoredEvent[]> {
    this.assertOpen();
    return this.statements.selectStreamEvents.all(streamId).map(toStoredEvent);
  }

  /** Reads `pageSize` events per query, so the whole log is never in memory. */
  async *readAll(options: ReadAllOptions = {}): AsyncGenerator<StoredEvent, void, undefined> {
    let cursor = options.after ?? -1n;
    let remaining = options.limit ?? Number.POSITIVE_INFINITY;
    while (remaining > 0) {
      this.assertOpen();
      const size = Math.min(this.pageSize, remaining);
      const page = this.readPage(cursor, size);
      for (const event of page) yield event;
      if (page.length < size) return;
      cursor = page[page.length - 1].position;
      remaining -= page.length;
    }
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    const subscription = new SqliteSubscription(this.source, options.after, (s) => this.subscriptions.delete(s));
    this.subscriptions.add(subscription);
    return subscription;
  }

  async findIdempotencyRecord(key: string): Promise<IdempotencyRecord | undefined> {
    this.assertOpen();
    const row = this.statements.selectIdempotency.get(key);
    return row && { key: row.key, requestHash: row.request_hash, ...toAppendResult(row) };
  }

  async headPosition(): Promise<GlobalPosition | undefined> {
    this.assertOpen();
    return this.head;
  }

  stats(): SqliteEventStoreStats {
    return { ...this.counters };
  }

  /** Reads back the pragmas that durability and locking rely on. */
  settings(): SqliteEventStoreSettings {
    this.assertOpen();
    const levels = ['OFF', 'NORMAL', 'FULL', 'EXTRA'] as const;
    return {
      journalMode: String(this.db.pragma('journal_mode', { simple: true })),
      synchronous: levels[Number(this.db.pragma('synchronous', { simple: true }))],
      lockingMode: String(this.db.pragma('locking_mode', { simple: true })),
      schemaVersion: Number(this.db.pragma('user_version', { simple: true })),
    };
  }

  /**
   * An online copy of the whole file into `destination` (a new file), through SQLite's backup
   * API on this store's own connection: appends committed meanwhile are copied too (the backup
   * never restarts), and the copy is the store as of the backup's last step, whole appends only.
   * `progress` is better-sqlite3's: called between steps, it may return how many pages to copy
   * in the next one, and throwing from it abandons the backup. Used by libs/backup.
   */
  backupTo(destination: string, progress?: (info: Database.BackupMetadata) => number | void): Promise<Database.BackupMetadata> {
    this.assertOpen();
    return this.db.backup(destination, progress ? { progress: progress as (info: Database.BackupMetadata) => number } : undefined);
  }

  /** Ends every subscription, then closes the database and so releases the lock. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.flush(); // appends already accepted are committed, not dropped
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    this.db.close();
  }

  /** Runs inside the append's savepoint; any throw rolls the whole append back. `head` is the group's head so far. */
  private appendUnsafe({ streamId, events, expected, claim }: PendingAppend, head: GlobalPosition | undefined): AppendResult {
    const s = this.statements;
    // The claim first: a retry must get its original result even though the stream has moved on.
    if (claim) {
      const used = s.selectIdempotency.get(claim.key);
      if (used && used.request_hash === claim.requestHash) throw new IdempotencyKeyAlreadyUsedError(claim.key, toAppendResult(used));
      if (used) throw new IdempotencyKeyReusedError(claim.key);
    }
    const stream = s.selectStream.get(streamId);
    const actual = stream ? stream.last_revision : 'no_stream';
    if (!expectationHolds(expected, actual)) throw new WrongExpectedRevisionError(streamId, expected, actual);

    let revision = stream?.last_revision ?? -1n;
    let position = events.length > 0 || !stream ? (head ?? -1n) : stream.last_position;
    for (const event of events) {
      revision += 1n;
      position += 1n;
      try {
        s.insertEvent.run(position, streamId, revision, event.id, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata));
      } catch (error) {
        throw isDuplicateEventId(error) ? new DuplicateEventIdError(event.id) : error;
      }
    }
    if (events.length > 0) s.upsertStream.run(streamId, revision, position);
    const result: AppendResult = { streamId, nextExpectedRevision: revision, position };
    if (claim) {
      s.insertIdempotency.run(claim.key, claim.requestHash, streamId, revision, position, new Date().toISOString());
    }
    return result;
  }

  private readPage(after: GlobalPosition, limit: number): StoredEvent[] {
    this.assertOpen();
    return this.statements.selectPage.all(after, limit).map(toStoredEvent);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`The event store at ${this.path} is closed`);
  }
}
