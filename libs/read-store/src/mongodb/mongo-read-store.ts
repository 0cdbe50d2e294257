import {
  MongoClient,
  MongoServerError,
  ReadPreference,
  WriteConcern,
  type ClientSession,
  type Db,
  type MongoClientOptions,
  type TransactionOptions,
} from 'mongodb';
import type { Collection, Document, IndexSpec, ReadStore, ReadStoreTransaction } from '../read-store.port';
import { deploymentProblem, resolveDatabaseName } from './deployment';
import { MongoCollection, type OperationScope } from './mongo-collection';
import { toPortError } from './mongo-errors';

export interface MongoReadStoreOptions {
  /** e.g. `mongodb://db1,db2,db3/victim-journeys?replicaSet=rs0`: a replica set or a mongos. */
  uri: string;
  /** @default the URI's database, else 'victim-journeys' */
  databaseName?: string;
  /** Further driver options (timeouts, TLS, pool size), merged over the URI's. */
  clientOptions?: MongoClientOptions;
}

/**
 * Snapshot reads, and a commit acknowledged by a majority with the journal written: a committed
 * batch (documents plus its checkpoint) survives a primary failover. Reads go to the primary,
 * as transactions require.
 */
const TRANSACTION_OPTIONS: TransactionOptions = {
  readConcern: { level: 'snapshot' },
  // journal: true goes on the wire as `j: true` (`j` itself is deprecated in driver 7).
  writeConcern: new WriteConcern('majority', undefined, true),
  readPreference: ReadPreference.primary,
};

const NAMESPACE_EXISTS = 48;
const NAMESPACE_NOT_FOUND = 26;

/** One attempt of a transaction's `work`: the driver may run several attempts. */
class TransactionAttempt implements ReadStoreTransaction, OperationScope {
  private failure: { error: unknown } | undefined;
  private finished = false;

  constructor(
    private readonly db: Db,
    readonly session: ClientSession,
  ) {}

  collection<T extends Document = Document>(name: string): Collection<T> {
    return new MongoCollection<T>(this.db.collection(name), this);
  }

  beforeOperation(): void {
    if (this.finished) throw new Error('This transaction has already finished; use the store or a new transaction');
    if (this.failure) {
      throw new Error('An earlier operation of this transaction failed and MongoDB has aborted the transaction; let that error propagate out of work');
    }
  }

  failed(error: unknown): void {
    this.failure ??= { error };
  }

  /**
   * Ends the attempt; throws the first failed operation's error even if `work` caught it. MongoDB
   * aborts a transaction on a failed write, so committing would meet NoSuchTransaction, which the
   * driver treats as transient and retries for up to 120 s; throwing the real error stops that.
   */
  finish(): void {
    this.finished = true;
    if (this.failure) throw this.failure.error;
  }
}

/**
 * The read store on MongoDB (replica set or sharded cluster, 4.4+, 5.0+ recommended), through
 * the official driver. Each collection call outside a transaction is one plain driver
 * operation with the client's default write concern.
 *
 * `withTransaction` runs `work` in a driver transaction (snapshot reads, majority + journal
 * commit), one transaction at a time in this process. The driver retries the whole `work` on
 * TransientTransactionError (e.g. a write conflict with another process) and the commit on
 * UnknownTransactionCommitResult, for up to 120 s, so **`work` must be safe to run again**: no
 * side effects outside the `tx` handle, results recomputed from what it reads. A failed
 * operation fails the transaction even if `work` catches it (MongoDB aborts it server-side).
 *
 * Documents come back as the driver decodes them: Dates as Dates, generated `_id`s as ObjectId,
 * 64-bit integers as numbers while within ±2^53 and as bson `Long` beyond (JavaScript numbers
 * themselves are stored as int32 or double, so only other writers produce such Longs).
 */
export class MongoReadStore implements ReadStore {
  private queue: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | undefined;
  private readonly collections = new Map<string, MongoCollection>();
  private readonly scope: OperationScope = {
    beforeOperation: () => {
      if (this.closing) throw new Error('The read store is closed');
    },
    failed: () => undefined,
  };

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {}

  /**
   * Connects and checks the deployment. Fails with a plain message on a standalone mongod
   * (no transactions there) rather than at the first transaction.
   */
  static async connect(options: MongoReadStoreOptions): Promise<MongoReadStore> {
    const databaseName = resolveDatabaseName(options.uri, options.databaseName);
    const client = new MongoClient(options.uri, options.clientOptions);
    try {
      await client.connect();
      const admin = client.db('admin');
      // `hello` arrived in 4.4.2; 4.4.0 and 4.4.1 know only its legacy name (CommandNotFound, 59).
      const hello = await admin.command({ hello: 1 }).catch((error: unknown) => {
        if (error instanceof MongoServerError && error.code === 59) return admin.command({ isMaster: 1 });
        throw error;
      });
      const problem = deploymentProblem(hello);
      if (problem) throw new Error(problem);
      return new MongoReadStore(client, client.db(databaseName));
    } catch (error) {
      await client.close().catch(() => undefined);
      throw error;
    }
  }

  /** The database this store uses. */
  get databaseName(): string {
    return this.db.databaseName;
  }

  /** A collection outside any transaction: each write is its own driver operation. */
  collection<T extends Document = Document>(name: string): Collection<T> {
    let collection = this.collections.get(name);
    if (!collection) this.collections.set(name, (collection = new MongoCollection(this.db.collection(name), this.scope)));
    return collection as unknown as Collection<T>;
  }

  /** Runs `work` in a MongoDB transaction after every earlier one; see the class comment on retries. */
  withTransaction<R>(work: (tx: ReadStoreTransaction) => Promise<R>): Promise<R> {
    return this.enqueue(async () => {
      const session = this.client.startSession();
      try {
        return await session.withTransaction(async (s) => {
          const attempt = new TransactionAttempt(this.db, s);
          let result: R;
          try {
            result = await work(attempt);
          } catch (error) {
            attempt.finish(); // a caught earlier failure is the root cause: it wins
            throw error;
          }
          attempt.finish();
          return result;
        }, TRANSACTION_OPTIONS);
      } finally {
        await session.endSession();
      }
    });
  }

  /**
   * createIndexes, naming each index as MongoDB would (`field_1_other_-1`) unless named.
   * Idempotent for identical specs; a unique index existing documents violate fails with
   * DuplicateKeyError. `_id` indexes are skipped: MongoDB keeps a unique one on every collection.
   */
  async ensureIndexes(collection: string, indexes: readonly IndexSpec[]): Promise<void> {
    this.scope.beforeOperation();
    const descriptions = indexes
      .filter((spec) => !(Object.keys(spec.key).length === 1 && '_id' in spec.key))
      .map((spec) => ({
        key: spec.key,
        name: spec.name ?? Object.entries(spec.key).map(([field, direction]) => `${field}_${direction}`).join('_'),
        ...(spec.unique ? { unique: true } : {}),
      }));
    try {
      if (descriptions.length > 0) await this.db.collection(collection).createIndexes(descriptions);
      else await this.db.createCollection(collection); // as the embedded store, the collection then exists
    } catch (error) {
      if (error instanceof MongoServerError && error.code === NAMESPACE_EXISTS) return;
      throw toPortError(error, collection);
    }
  }

  /** Collection names, sorted, without MongoDB's own `system.*` collections. */
  async listCollections(): Promise<string[]> {
    this.scope.beforeOperation();
    const infos = await this.db.listCollections({}, { nameOnly: true, authorizedCollections: true }).toArray();
    return infos.map((info) => info.name).filter((name) => !name.startsWith('system.')).sort();
  }

  /** Drops a collection with its indexes; a missing collection is a no-op. */
  async dropCollection(name: string): Promise<void> {
    this.scope.beforeOperation();
    try {
      await this.db.dropCollection(name); // driver 7 already returns false on NamespaceNotFound
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === NAMESPACE_NOT_FOUND)) throw error;
    }
  }

  /** Lets queued transactions finish, then closes the client. Later calls fail. */
  close(): Promise<void> {
    this.closing ??= this.queue.then(() => this.client.close());
    return this.closing;
  }

  private enqueue<R>(task: () => Promise<R>): Promise<R> {
    if (this.closing) return Promise.reject(new Error('The read store is closed'));
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
