/**
 * The read-store port: the subset of MongoDB's collection API that projections and queries
 * use, with MongoDB's semantics. The embedded store (SQLite + an in-memory MongoDB query
 * engine) and the MongoDB driver both sit behind it, so filters, updates and pipelines are
 * written once, in MongoDB's language, and mean the same on both.
 */

export type Document = Record<string, any>;
/** A MongoDB query filter, e.g. `{ status: { $in: ['referred'] } }`. */
export type Filter = Record<string, any>;
/** A MongoDB update document made of operators, e.g. `{ $set: {...}, $inc: {...} }`. */
export type UpdateDocument = Record<string, any>;
/** MongoDB sort order: 1 ascending, -1 descending; keys in priority order. */
export type SortSpec = Record<string, 1 | -1>;

export interface FindOptions {
  sort?: SortSpec;
  skip?: number;
  limit?: number;
  /** Inclusion (1) or exclusion (0) projection, as in MongoDB. */
  projection?: Record<string, 0 | 1>;
}

export interface UpdateOptions {
  /** Insert when nothing matches, built from the filter's equality fields plus the update. */
  upsert?: boolean;
}

export interface UpdateResult {
  matchedCount: number;
  modifiedCount: number;
  /** `_id` of the inserted document when an upsert inserted one. */
  upsertedId: unknown | null;
}

export interface DeleteResult {
  deletedCount: number;
}

/** One write of an ordered bulkWrite, in MongoDB's shape. */
export type BulkWriteOperation<T extends Document = Document> =
  | { replaceOne: { filter: Filter; replacement: T; upsert?: boolean } }
  | { updateOne: { filter: Filter; update: UpdateDocument; upsert?: boolean } }
  | { deleteOne: { filter: Filter } };

export interface BulkWriteResult {
  matchedCount: number;
  modifiedCount: number;
  upsertedCount: number;
  deletedCount: number;
}

/** Index declaration, as MongoDB's createIndex takes it. */
export interface IndexSpec {
  key: Record<string, 1 | -1>;
  name?: string;
  unique?: boolean;
}

export interface Collection<T extends Document = Document> {
  readonly name: string;
  findOne(filter: Filter, options?: FindOptions): Promise<T | null>;
  find(filter: Filter, options?: FindOptions): Promise<T[]>;
  countDocuments(filter?: Filter): Promise<number>;
  aggregate<R extends Document = Document>(pipeline: Document[]): Promise<R[]>;
  /** @throws DuplicateKeyError when `_id` (or a unique index) already exists. */
  insertOne(doc: T): Promise<void>;
  replaceOne(filter: Filter, replacement: T, options?: UpdateOptions): Promise<UpdateResult>;
  updateOne(filter: Filter, update: UpdateDocument, options?: UpdateOptions): Promise<UpdateResult>;
  updateMany(filter: Filter, update: UpdateDocument, options?: UpdateOptions): Promise<UpdateResult>;
  deleteOne(filter: Filter): Promise<DeleteResult>;
  deleteMany(filter: Filter): Promise<DeleteResult>;
  /**
   * Ordered writes in one call (MongoDB's bulkWrite with ordered: true): applied in order,
   * stopping at the first error. Inside a transaction, all or none commit with it. Outside one,
   * as in MongoDB, the writes before a failing one stay applied.
   *
   * An empty list writes nothing and returns zero counts (the MongoDB driver would throw).
   * A malformed operation (an update without operators, a replacement with them, an unknown
   * kind) is refused before anything is written, as the driver refuses the whole batch.
   * @throws BulkWriteError when a write fails: it carries the counts of the writes before it.
   */
  bulkWrite(operations: ReadonlyArray<BulkWriteOperation<T>>): Promise<BulkWriteResult>;
}

/** Collections whose writes commit together when the transaction's work resolves. */
export interface ReadStoreTransaction {
  collection<T extends Document = Document>(name: string): Collection<T>;
}

export interface ReadStore {
  /** A collection outside any transaction: each write commits on its own. */
  collection<T extends Document = Document>(name: string): Collection<T>;

  /**
   * Runs `work` so that all its writes commit atomically, or none do if it throws.
   * Reads inside `work` see its own earlier writes. Transactions run one at a time.
   */
  withTransaction<R>(work: (tx: ReadStoreTransaction) => Promise<R>): Promise<R>;

  /** Creates the indexes if missing (idempotent). */
  ensureIndexes(collection: string, indexes: readonly IndexSpec[]): Promise<void>;

  /** Names of existing collections. */
  listCollections(): Promise<string[]>;

  /** Removes a collection and its documents. */
  dropCollection(name: string): Promise<void>;

  close(): Promise<void>;
}

/** A write would break `_id` or a unique index (MongoDB error code 11000). */
export class DuplicateKeyError extends Error {
  readonly code = 11000;
  /** @param options.cause the adapter's own error (e.g. the driver's), kept for diagnostics. */
  constructor(
    readonly collection: string,
    readonly key: unknown,
    options?: ErrorOptions,
  ) {
    super(`E11000 duplicate key error collection: ${collection} dup key: ${JSON.stringify(key)}`, options);
    this.name = 'DuplicateKeyError';
  }
}

/**
 * An ordered bulkWrite stopped at `index` (MongoDB's MongoBulkWriteError, first write error).
 * `result` counts the writes before it; `cause` is the failing write's own error (e.g. a
 * DuplicateKeyError), whose `code` this error repeats.
 */
export class BulkWriteError extends Error {
  readonly code: number | undefined;
  constructor(
    readonly result: BulkWriteResult,
    readonly index: number,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`bulkWrite stopped at operation ${index}: ${reason}`, { cause });
    this.name = 'BulkWriteError';
    const code = (cause as { code?: unknown } | null)?.code;
    this.code = typeof code === 'number' ? code : undefined;
  }
}

/**
 * The store could not write (disk full, I/O error) and the transaction was rolled back whole:
 * nothing of it is stored, in memory or on disk. Unlike a rejected write, this may pass once the
 * disk recovers, so the projector retries from its checkpoint after a pause.
 */
export class ReadStoreWriteFailed extends Error {
  readonly type = 'read_store_write_failed' as const;
  /** @param reason the adapter's code for the failure, e.g. SQLITE_FULL. */
  constructor(
    readonly location: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`The read store at ${location} could not write (${reason}); the transaction was rolled back`, options);
    this.name = 'ReadStoreWriteFailed';
  }
}
