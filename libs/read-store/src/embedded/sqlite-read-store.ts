import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  DuplicateKeyError,
  type Collection,
  type Document,
  type IndexSpec,
  type ReadStore,
  type ReadStoreTransaction,
} from '../read-store.port';
import { AutoCommitCollection, type AutoCommitHost } from './auto-commit-collection';
import { encodeDocument } from './codec';
import { crashPoint } from '../../../crash-points/src/crash-point';
import { CollectionState, DEFAULT_CACHED_DOCUMENTS } from './collection-state';
import { duplicateKeyOf, normalizeIndex, reconcileIndex, type IndexDefinition } from './indexes';
import { CollectionOverlay } from './overlay';
import { SqliteFile, type CommitBatch } from './sqlite-file';
import { TransactionCollection, type TransactionScope } from './transaction-collection';

export interface SqliteReadStoreOptions {
  /** Directory of the database file; created if missing. */
  directory: string;
  /** @default 'read-models.sqlite' */
  fileName?: string;
  /** Decoded documents kept per collection; the others are held as their stored text. @default 10,000 */
  cachedDocuments?: number;
}

function checkCollectionName(name: string): void {
  if (typeof name !== 'string' || name === '' || name.includes('$') || name.includes('\0') || name.startsWith('system.')) {
    throw new Error(`Invalid collection name: ${JSON.stringify(name)}`);
  }
}

/** The writes of one `withTransaction` call, one overlay per collection it touches. */
class StoreTransaction implements ReadStoreTransaction, TransactionScope {
  readonly overlays = new Map<string, CollectionOverlay>();
  private readonly collections = new Map<string, TransactionCollection>();
  private finished = false;

  constructor(private readonly committed: (name: string) => CollectionState) {}

  collection<T extends Document = Document>(name: string): Collection<T> {
    checkCollectionName(name);
    let collection = this.collections.get(name);
    if (!collection) this.collections.set(name, (collection = new TransactionCollection(name, this)));
    return collection as unknown as Collection<T>;
  }

  overlay(name: string): CollectionOverlay {
    if (this.finished) throw new Error('This transaction has already finished; use the store or a new transaction');
    let overlay = this.overlays.get(name);
    if (!overlay) this.overlays.set(name, (overlay = new CollectionOverlay(this.committed(name))));
    return overlay;
  }

  finish(): void {
    this.finished = true;
  }
}

/**
 * The embedded read store: documents are durable in one SQLite file and kept in memory as
 * their stored text (with a bounded cache of decoded ones, collection-state.ts), where mingo
 * answers MongoDB queries and aggregations against them (over the candidates the collection's
 * declared indexes leave, when they narrow the filter; sorted pages in an index's order).
 *
 * - Each collection is loaded into memory the first time it is used.
 * - Writes (in `withTransaction`, or single writes through `collection()`) run one at a time
 *   through a queue; a transaction's writes reach SQLite in one SQLite transaction and the
 *   in-memory state only after that commit, so readers see all of a transaction or none of it.
 * - Reads never wait: they see the last committed state.
 * - One process owns the file (it is opened with an exclusive lock).
 *
 * Do not call `withTransaction`, or write through `collection()`, from inside a transaction's
 * `work`: it would wait for the transaction it runs in. Use the `tx` handle.
 */
export class SqliteReadStore implements ReadStore {
  private readonly states = new Map<string, CollectionState>();
  private readonly existing: Set<string>;
  private readonly indexes = new Map<string, IndexDefinition[]>();
  private readonly collections = new Map<string, AutoCommitCollection>();
  private queue: Promise<unknown> = Promise.resolve();
  /** Set by close(): no new work is accepted, queued work still runs. */
  private closing: Promise<void> | undefined;
  private closed = false;
  private readonly autoCommitHost: AutoCommitHost = {
    committed: (name) => this.committed(name),
    withTransaction: (work) => this.withTransaction(work),
  };

  private constructor(
    private readonly file: SqliteFile,
    private readonly cachedDocuments = DEFAULT_CACHED_DOCUMENTS,
  ) {
    this.existing = new Set(file.collections());
    for (const { collection, definition } of file.indexes()) {
      this.indexes.set(collection, [...(this.indexes.get(collection) ?? []), definition]);
    }
  }

  /** Opens (creating if needed) the store file in `options.directory`. */
  static open(options: SqliteReadStoreOptions): SqliteReadStore {
    mkdirSync(options.directory, { recursive: true });
    return new SqliteReadStore(new SqliteFile(join(options.directory, options.fileName ?? 'read-models.sqlite')), options.cachedDocuments);
  }

  /** A collection outside any transaction: reads see committed data, each write commits alone. */
  collection<T extends Document = Document>(name: string): Collection<T> {
    checkCollectionName(name);
    let collection = this.collections.get(name);
    if (!collection) this.collections.set(name, (collection = new AutoCommitCollection(name, this.autoCommitHost)));
    return collection as unknown as Collection<T>;
  }

  /** Committed documents of a collection, loading it on first use. */
  private committed(name: string): CollectionState {
    if (this.closed) throw new Error('The read store is closed');
    let state = this.states.get(name);
    if (state) return state;
    state = new CollectionState(name, this.cachedDocuments);
    for (const [key, json] of this.file.documents(name)) state.load(key, json);
    state.addQueryIndexes(this.indexes.get(name) ?? []);
    for (const definition of this.indexes.get(name) ?? []) {
      if (!definition.unique) continue;
      const built = state.buildUniqueIndex(definition);
      if ('duplicateOf' in built) throw new Error(`read store file violates unique index ${name}.${definition.name}`);
      state.attachUniqueIndex(built);
    }
    this.states.set(name, state);
    return state;
  }

  /**
   * Runs `work` after every earlier write, with its own view of the collections; commits all
   * its writes in one SQLite transaction when it resolves, none if it throws.
   */
  withTransaction<R>(work: (tx: ReadStoreTransaction) => Promise<R>): Promise<R> {
    return this.enqueue(async () => {
      const tx = new StoreTransaction((name) => this.committed(name));
      let result: R;
      try {
        result = await work(tx);
      } finally {
        tx.finish();
      }
      this.commit(tx.overlays);
      return result;
    });
  }

  private commit(overlays: ReadonlyMap<string, CollectionOverlay>): void {
    const dirty = [...overlays.values()].filter((o) => o.changes.size > 0 || (o.created && !this.existing.has(o.name)));
    if (dirty.length === 0) return;
    // Only documents this transaction changed are serialized, once each, however often written.
    const batches: CommitBatch[] = dirty.map((o) => ({
      collection: o.name,
      create: o.created && !this.existing.has(o.name),
      rows: Array.from(o.changes, ([key, change]) => {
        if (change.doc) change.text = encodeDocument(change.doc);
        return { key, json: change.doc ? change.text! : null, reinserted: change.reinserted };
      }),
    }));
    this.file.commit(batches);
    crashPoint('read-store.after-commit'); // in SQLite, not yet in the in-memory collections
    for (const overlay of dirty) {
      overlay.base.apply(overlay.changes);
      if (overlay.created) this.existing.add(overlay.name);
    }
  }

  /**
   * Records index declarations and enforces unique ones from now on (throwing
   * DuplicateKeyError, and recording nothing, if existing documents already violate one).
   * Every declared index, unique or not, also narrows the queries that pin its leading
   * fields by equality (query-index.ts).
   */
  async ensureIndexes(collection: string, indexes: readonly IndexSpec[]): Promise<void> {
    checkCollectionName(collection);
    return this.enqueue(() => {
      const current = this.indexes.get(collection) ?? [];
      const added: IndexDefinition[] = [];
      for (const spec of indexes) {
        const definition = normalizeIndex(spec);
        const keys = Object.keys(definition.key);
        if (keys.length === 1 && keys[0] === '_id') continue; // the implicit unique _id index
        if (reconcileIndex([...current, ...added], definition) === 'new') added.push(definition);
      }
      if (added.length === 0 && this.existing.has(collection)) return;
      const state = this.committed(collection);
      const built = added.filter((d) => d.unique).map((definition) => {
        const index = state.buildUniqueIndex(definition);
        if ('duplicateOf' in index) throw new DuplicateKeyError(collection, duplicateKeyOf(state.get(index.duplicateOf)!, definition));
        return index;
      });
      this.file.addIndexes(collection, added);
      for (const index of built) state.attachUniqueIndex(index);
      state.addQueryIndexes(added);
      this.indexes.set(collection, [...current, ...added]);
      this.existing.add(collection);
    });
  }

  /** Collections that exist (written to, or given indexes, and not dropped), sorted by name. */
  async listCollections(): Promise<string[]> {
    if (this.closed) throw new Error('The read store is closed');
    return [...this.existing].sort();
  }

  /** Removes a collection's documents and indexes; dropping a missing collection is a no-op. */
  async dropCollection(name: string): Promise<void> {
    checkCollectionName(name);
    return this.enqueue(() => {
      this.file.drop(name);
      this.states.delete(name);
      this.indexes.delete(name);
      this.existing.delete(name);
    });
  }

  /**
   * An online copy of the file into `destination` (a new file), through SQLite's backup API on
   * this store's own connection: transactions committed meanwhile are copied too (the backup
   * never restarts), whole, each with its checkpoint. `progress` as for SqliteEventStore.backupTo.
   */
  backupTo(destination: string, progress?: (info: { totalPages: number; remainingPages: number }) => number | void): Promise<{ totalPages: number; remainingPages: number }> {
    if (this.closing || this.closed) return Promise.reject(new Error('The read store is closed'));
    return this.file.backupTo(destination, progress);
  }

  /** Lets queued writes finish, then closes the file. Later calls fail; repeated closes share one. */
  close(): Promise<void> {
    this.closing ??= this.queue.then(() => {
      this.closed = true;
      this.file.close();
      this.states.clear();
    });
    return this.closing;
  }

  private enqueue<R>(task: () => Promise<R> | R): Promise<R> {
    if (this.closing) return Promise.reject(new Error('The read store is closed'));
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
