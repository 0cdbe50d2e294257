/**
 * The SQLite side of the embedded read store: one table of documents keyed by
 * (collection, `_id` key text), plus the collections that exist and their index declarations.
 * `seq` (the rowid) preserves natural order: an update keeps its row, a re-insert gets a new one.
 */
import Database from 'better-sqlite3';
import type { IndexDefinition } from './indexes';
import { ReadStoreWriteFailed } from '../read-store.port';
import { classifySqliteFailure, sqliteCodeOf } from '../../../event-store/src/embedded/sqlite-failures';

const SCHEMA_VERSION = 1;

/** One collection's part of a commit. */
export interface CommitBatch {
  collection: string;
  /** Record the collection as existing (its first write). */
  create: boolean;
  /** In application order; `json` null deletes, `reinserted` moves the row to the end. */
  rows: Array<{ key: string; json: string | null; reinserted: boolean }>;
}

function prepareStatements(db: Database.Database) {
  return {
    collections: db.prepare('SELECT name FROM collections').pluck(),
    indexes: db.prepare('SELECT collection, spec FROM indexes ORDER BY rowid'),
    documents: db.prepare('SELECT id, doc FROM documents INDEXED BY documents_in_order WHERE collection = ? ORDER BY seq').raw(),
    createCollection: db.prepare('INSERT OR IGNORE INTO collections (name) VALUES (?)'),
    upsert: db.prepare(
      'INSERT INTO documents (collection, id, doc) VALUES (?, ?, ?) ON CONFLICT (collection, id) DO UPDATE SET doc = excluded.doc',
    ),
    insert: db.prepare('INSERT INTO documents (collection, id, doc) VALUES (?, ?, ?)'),
    delete: db.prepare('DELETE FROM documents WHERE collection = ? AND id = ?'),
    insertIndex: db.prepare('INSERT INTO indexes (collection, name, spec) VALUES (?, ?, ?)'),
    dropDocuments: db.prepare('DELETE FROM documents WHERE collection = ?'),
    dropIndexes: db.prepare('DELETE FROM indexes WHERE collection = ?'),
    dropCollection: db.prepare('DELETE FROM collections WHERE name = ?'),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

/** The read store's file is held by another process: only one may open a data folder. */
export class ReadStoreLockedError extends Error {
  readonly type = 'read_store_locked' as const;
  constructor(readonly path: string) {
    super(
      `The read store at ${path} is in use by another process. ` +
        'Only one process may open a data folder: stop the other one or choose another DATA_DIR.',
    );
    this.name = 'ReadStoreLockedError';
  }
}

/** How long to wait for another connection's lock before giving up (it is held for life). */
const LOCK_WAIT_MS = 200;

export class SqliteFile {
  private readonly db: Database.Database;
  private readonly statements: Statements;
  private readonly commitBatches: (batches: CommitBatch[]) => void;

  constructor(private readonly path: string) {
    this.db = new Database(path, { timeout: LOCK_WAIT_MS });
    try {
      // One process owns the file: the documents held in memory would go stale behind another writer,
      // so a second process fails at open ("database is locked") instead of reading stale data.
      this.db.pragma('locking_mode = EXCLUSIVE');
      this.db.pragma('journal_mode = WAL');
      // NORMAL, not FULL: WAL with NORMAL never corrupts and never splits a transaction, so a
      // batch's documents and its checkpoint survive or vanish together; a power cut may only
      // lose the last batches, which the projector then re-applies from the event store (the
      // durable record). It saves an fsync per projector batch on every live command.
      this.db.pragma('synchronous = NORMAL');
      // Take the lock now, not at the first write, so a second process is refused at open.
      this.db.exec('BEGIN EXCLUSIVE; COMMIT');
      this.migrate();
    } catch (error) {
      this.db.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new ReadStoreLockedError(path);
      throw error;
    }
    this.statements = prepareStatements(this.db);
    const s = this.statements;
    this.commitBatches = this.db.transaction((batches: CommitBatch[]) => {
      for (const { collection, create, rows } of batches) {
        if (create) s.createCollection.run(collection);
        for (const { key, json, reinserted } of rows) {
          if (json === null || reinserted) s.delete.run(collection, key);
          if (json === null) continue;
          if (reinserted) s.insert.run(collection, key, json);
          else s.upsert.run(collection, key, json);
        }
      }
    });
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(`read store file has schema version ${version}; this code knows up to ${SCHEMA_VERSION}`);
    }
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS collections (name TEXT PRIMARY KEY) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS documents (
        seq INTEGER PRIMARY KEY,
        collection TEXT NOT NULL,
        id TEXT NOT NULL,
        doc TEXT NOT NULL
      );
      CREATE UNIQUE INDEX IF NOT EXISTS documents_by_id ON documents (collection, id);
      -- Entries are ordered by (collection, rowid): loads read in natural order without a sort.
      CREATE INDEX IF NOT EXISTS documents_in_order ON documents (collection);
      CREATE TABLE IF NOT EXISTS indexes (
        collection TEXT NOT NULL,
        name TEXT NOT NULL,
        spec TEXT NOT NULL,
        PRIMARY KEY (collection, name)
      );
      PRAGMA user_version = ${SCHEMA_VERSION};
    `);
  }

  collections(): string[] {
    return this.statements.collections.all() as string[];
  }

  indexes(): Array<{ collection: string; definition: IndexDefinition }> {
    return (this.statements.indexes.all() as Array<{ collection: string; spec: string }>).map((row) => ({
      collection: row.collection,
      definition: JSON.parse(row.spec) as IndexDefinition,
    }));
  }

  /** `[id key, document JSON]` rows of a collection in natural order. */
  documents(collection: string): Array<[string, string]> {
    return this.statements.documents.all(collection) as Array<[string, string]>;
  }

  /** Writes all batches in one SQLite transaction (all or nothing). */
  commit(batches: CommitBatch[]): void {
    this.writing(() => this.commitBatches(batches));
  }

  addIndexes(collection: string, definitions: readonly IndexDefinition[]): void {
    this.writing(() => this.db.transaction(() => {
      this.statements.createCollection.run(collection);
      for (const d of definitions) this.statements.insertIndex.run(collection, d.name, JSON.stringify(d));
    })());
  }

  drop(collection: string): void {
    this.writing(() => this.db.transaction(() => {
      this.statements.dropDocuments.run(collection);
      this.statements.dropIndexes.run(collection);
      this.statements.dropCollection.run(collection);
    })());
  }

  /**
   * A write the disk refused (SQLITE_FULL, SQLITE_IOERR_*, SQLITE_READONLY*) becomes
   * ReadStoreWriteFailed: SQLite rolled the transaction back, and the callers update their
   * in-memory state only after a commit returns, so nothing of it is anywhere. (No fsync here
   * at commit: synchronous=NORMAL syncs only at SQLite's checkpoints, whose errors SQLite keeps
   * to itself and retries; and this file is rebuilt from the event store if ever in doubt.)
   */
  private writing(write: () => void): void {
    try {
      write();
    } catch (error) {
      // A failed fsync too (only SQLite's checkpoints sync here): this file can be rebuilt from the log.
      if (classifySqliteFailure(error)) throw new ReadStoreWriteFailed(this.path, sqliteCodeOf(error)!, { cause: error });
      throw error;
    }
  }

  /** SQLite's online backup of this file, on this connection (see SqliteReadStore.backupTo). */
  backupTo(destination: string, progress?: (info: Database.BackupMetadata) => number | void): Promise<Database.BackupMetadata> {
    return this.db.backup(destination, progress ? { progress: progress as (info: Database.BackupMetadata) => number } : undefined);
  }

  close(): void {
    this.db.close();
  }
}
