/**
 * The embedded data-key store: one SQLite file, `<dataDir>/keys/data-keys.sqlite`, in a
 * folder of its own so that it can be backed up, restored and wiped apart from the event
 * store's and read store's files (which live in `<dataDir>` itself).
 *
 * Erasure leaves nothing behind in the folder: secure_delete zeroes the destroyed row's bytes
 * in the new page, and a TRUNCATE checkpoint right after the destroy copies that page into
 * the database file and empties the WAL, which held the older page versions. (Copies the
 * file system or the disk keeps elsewhere are out of SQLite's reach; see README.)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type Database from 'better-sqlite3';
import type { DataKeyRecord, DataKeyStore, WrappedDataKey } from '../data-key-store.port';
import { KeyStoreWriteFailed } from '../errors';
import { StoreDurabilityLost } from '../../../event-store/src/errors';
import {
  classifySqliteFailure, type DurabilityLostHandler, sqliteCodeOf, stopProcessOnDurabilityLost,
} from '../../../event-store/src/embedded/sqlite-failures';
import { openKeyDatabase, prepareKeyStatements, type DataKeyRow, type KeyStatements } from './sqlite-key-schema';

const CHECKPOINT = 'erasure_checkpoint';

/** The connection's effective settings, for health checks and tests. */
export interface SqliteDataKeyStoreSettings {
  journalMode: string;
  synchronous: 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA';
  secureDelete: boolean;
  lockingMode: string;
}

export interface SqliteDataKeyStoreOptions {
  /** The data folder; the store lives in its `keys` subfolder (created, owner-only). */
  dataDir: string;
  /**
   * Called once if an fsync fails: a key must be on disk before events sealed with it are
   * appended, and a destroyed key must stay destroyed, so the key store treats a failed fsync as
   * the event store does (StoreDurabilityLost). Defaults to stopping the process.
   */
  onDurabilityLost?: DurabilityLostHandler;
}

/** `<dataDir>/keys`: the folder the embedded key store owns. */
export function keysDirectory(dataDir: string): string {
  return path.join(dataDir, 'keys');
}

function toRecord(row: DataKeyRow): DataKeyRecord {
  if (row.erased_at !== null) return { journeyId: row.journey_id, erasedAt: row.erased_at };
  return { journeyId: row.journey_id, kekId: row.kek_id!, wrapped: row.wrapped!.toString('base64'), createdAt: row.created_at! };
}

/** DataKeyStore on a local SQLite file. Create it with {@link SqliteDataKeyStore.open}. */
export class SqliteDataKeyStore implements DataKeyStore {
  private closed = false;
  private readonly statements: KeyStatements;
  private offered: Array<{ key: WrappedDataKey; resolve: (record: DataKeyRecord) => void; reject: (error: unknown) => void }> = [];
  /** Set when an fsync failed: from then on every write is refused, never retried. */
  private durabilityLost: StoreDurabilityLost | undefined;

  private constructor(
    private readonly db: Database.Database,
    /** The database file. */
    readonly path: string,
    private readonly onDurabilityLost: DurabilityLostHandler,
  ) {
    this.statements = prepareKeyStatements(db);
  }

  /**
   * Opens the store under `dataDir` and takes its exclusive lock.
   * @throws KeyStoreLockedError when another connection has it open.
   */
  static open(options: SqliteDataKeyStoreOptions): SqliteDataKeyStore {
    const directory = keysDirectory(options.dataDir);
    fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
    const file = path.join(directory, 'data-keys.sqlite');
    return new SqliteDataKeyStore(openKeyDatabase(file), file, options.onDurabilityLost ?? stopProcessOnDurabilityLost);
  }

  /**
   * Group commit: keys offered during one turn of the event loop are written in one
   * transaction, so one fsync covers them all. Every new journey needs its key durable before
   * its first event is appended; one fsync each would halve the rate of identifications.
   */
  putIfAbsent(key: WrappedDataKey): Promise<DataKeyRecord> {
    this.assertOpen();
    return new Promise((resolve, reject) => {
      this.offered.push({ key, resolve, reject });
      if (this.offered.length === 1) setImmediate(() => this.writeOffered());
    });
  }

  private writeOffered(): void {
    const batch = this.offered;
    this.offered = [];
    if (batch.length === 0) return;
    try {
      this.assertOpen();
      // better-sqlite3 is synchronous: nothing can run between each insert and its read-back.
      const stored = this.writing(() => this.db.transaction(() => batch.map(({ key }) => {
        this.statements.insertIfAbsent.run(key.journeyId, key.kekId, Buffer.from(key.wrapped, 'base64'), key.createdAt);
        return toRecord(this.statements.select.get(key.journeyId)!);
      }))());
      batch.forEach((offer, i) => offer.resolve(stored[i]));
    } catch (error) {
      for (const offer of batch) offer.reject(error);
    }
  }

  async get(journeyId: string): Promise<DataKeyRecord | undefined> {
    this.assertOpen();
    const row = this.statements.select.get(journeyId);
    return row && toRecord(row);
  }

  async destroy(journeyId: string, erasedAt: string): Promise<void> {
    this.assertOpen();
    this.writing(() => this.statements.destroy.run(journeyId, erasedAt));
    // Exclusive locking means no reader can hold the WAL back, so TRUNCATE always completes.
    const [result] = this.writing(() => this.db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>);
    if (result.busy !== 0) throw new Error(`The key store at ${this.path} could not checkpoint its WAL after a destroy`);
  }

  async wrappedUnder(kekIdNot: string, limit: number): Promise<WrappedDataKey[]> {
    this.assertOpen();
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
    return this.statements.wrappedUnder.all(kekIdNot, limit).map((row) => toRecord(row) as WrappedDataKey);
  }

  async rewrap(journeyId: string, fromKekId: string, next: WrappedDataKey): Promise<boolean> {
    this.assertOpen();
    if (next.journeyId !== journeyId) throw new RangeError(`rewrap of journey ${journeyId} was given the key of journey ${next.journeyId}`);
    const result = this.writing(() => this.statements.rewrap.run(next.kekId, Buffer.from(next.wrapped, 'base64'), journeyId, fromKekId));
    return result.changes === 1;
  }

  async erasureCheckpoint(): Promise<string | null> {
    this.assertOpen();
    return this.statements.selectState.get(CHECKPOINT) ?? null;
  }

  async saveErasureCheckpoint(position: string): Promise<void> {
    this.assertOpen();
    this.writing(() => this.statements.upsertState.run(CHECKPOINT, position));
  }

  /** Reads back the pragmas that durability and erasure rely on. */
  settings(): SqliteDataKeyStoreSettings {
    this.assertOpen();
    const levels = ['OFF', 'NORMAL', 'FULL', 'EXTRA'] as const;
    return {
      journalMode: String(this.db.pragma('journal_mode', { simple: true })),
      synchronous: levels[Number(this.db.pragma('synchronous', { simple: true }))],
      secureDelete: Number(this.db.pragma('secure_delete', { simple: true })) === 1,
      lockingMode: String(this.db.pragma('locking_mode', { simple: true })),
    };
  }

  /**
   * An online copy of the whole file into `destination` (a new file), through SQLite's backup
   * API on this store's own connection (writes meanwhile are copied too; the copy is the store
   * as of the backup's last step). `progress` as for SqliteEventStore.backupTo. Used by libs/backup.
   */
  backupTo(destination: string, progress?: (info: Database.BackupMetadata) => number | void): Promise<Database.BackupMetadata> {
    this.assertOpen();
    return this.db.backup(destination, progress ? { progress: progress as (info: Database.BackupMetadata) => number } : undefined);
  }

  /** Closes the file and releases the lock. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.writeOffered(); // keys already offered are written, not dropped
    this.closed = true;
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`The key store at ${this.path} is closed`);
  }

  /**
   * Runs a write: a write the disk refused becomes KeyStoreWriteFailed (SQLite rolled it back);
   * a failed fsync marks the store lost for good (it refuses every later write) and calls
   * onDurabilityLost.
   */
  private writing<T>(write: () => T): T {
    if (this.durabilityLost) throw this.durabilityLost;
    try {
      return write();
    } catch (error) {
      const kind = classifySqliteFailure(error);
      if (kind === 'fsync' && !this.durabilityLost) {
        this.durabilityLost = new StoreDurabilityLost('key store', this.path, sqliteCodeOf(error)!, { cause: error });
        this.onDurabilityLost(this.durabilityLost); // by default the process stops here
      }
      if (kind === 'fsync') throw this.durabilityLost;
      if (kind === 'write') throw new KeyStoreWriteFailed(this.path, sqliteCodeOf(error)!, { cause: error });
      throw error;
    }
  }
}
