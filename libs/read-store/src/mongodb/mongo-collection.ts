/**
 * The port's Collection over a driver collection. Filters, updates, find options, pipelines and
 * bulk operations go to the driver as they are: the port speaks MongoDB's language, so there is
 * nothing to translate. What this class adds is the session (inside a transaction every call
 * carries it, so reads see the transaction's own writes), error mapping, and result shapes.
 */
import type {
  AnyBulkWriteOperation,
  ClientSession,
  Collection as DriverCollection,
  Document as DriverDocument,
  UpdateResult as DriverUpdateResult,
} from 'mongodb';
import type {
  BulkWriteOperation,
  BulkWriteResult,
  Collection,
  DeleteResult,
  Document,
  Filter,
  FindOptions,
  UpdateDocument,
  UpdateOptions,
  UpdateResult,
} from '../read-store.port';
import { bulkCounts, toBulkWriteError, toPortError } from './mongo-errors';

/** Where a collection's operations run: the store (no session) or one transaction attempt. */
export interface OperationScope {
  /** The transaction's session; undefined outside transactions. */
  readonly session?: ClientSession;
  /** Throws when no operation may start (store closed, transaction finished or failed). */
  beforeOperation(): void;
  /** Told of every failed operation: a transaction then refuses to commit. */
  failed(error: unknown): void;
}

function updateResult(result: DriverUpdateResult): UpdateResult {
  return { matchedCount: result.matchedCount, modifiedCount: result.modifiedCount, upsertedId: result.upsertedId ?? null };
}

/** The embedded store refuses these too: read models are written through the collection API. */
function refuseOutputStages(pipeline: Document[]): void {
  if (!Array.isArray(pipeline)) return; // the driver reports that
  for (const stage of pipeline) {
    for (const name of ['$out', '$merge']) {
      if (stage !== null && typeof stage === 'object' && name in stage) {
        throw new Error(`${name} is not supported by the read store: write results with the collection API`);
      }
    }
  }
}

const NO_WRITES: BulkWriteResult = { matchedCount: 0, modifiedCount: 0, upsertedCount: 0, deletedCount: 0 };

export class MongoCollection<T extends Document = Document> implements Collection<T> {
  readonly name: string;

  constructor(
    private readonly driver: DriverCollection<DriverDocument>,
    private readonly scope: OperationScope,
  ) {
    this.name = driver.collectionName;
  }

  /** Runs one driver call with the scope's session, mapping and reporting its failure. */
  private async run<R>(
    call: (session: { session?: ClientSession }) => Promise<R>,
    mapError: (error: unknown, collection: string) => unknown = toPortError,
  ): Promise<R> {
    this.scope.beforeOperation();
    try {
      return await call(this.scope.session ? { session: this.scope.session } : {});
    } catch (error) {
      const mapped = mapError(error, this.name);
      this.scope.failed(mapped);
      throw mapped;
    }
  }

  findOne(filter: Filter, options: FindOptions = {}): Promise<T | null> {
    return this.run((s) => this.driver.findOne<T>(filter, { ...options, ...s }));
  }

  find(filter: Filter, options: FindOptions = {}): Promise<T[]> {
    return this.run((s) => this.driver.find<T>(filter, { ...options, ...s }).toArray());
  }

  countDocuments(filter: Filter = {}): Promise<number> {
    return this.run((s) => this.driver.countDocuments(filter, s));
  }

  async aggregate<R extends Document = Document>(pipeline: Document[]): Promise<R[]> {
    refuseOutputStages(pipeline);
    return this.run((s) => this.driver.aggregate<R>(pipeline, s).toArray());
  }

  /** Like the driver (it does this itself), assigns a generated ObjectId `_id` to `doc` when it has none. */
  insertOne(doc: T): Promise<void> {
    return this.run(async (s) => {
      await this.driver.insertOne(doc, s);
    });
  }

  replaceOne(filter: Filter, replacement: T, options: UpdateOptions = {}): Promise<UpdateResult> {
    return this.run(async (s) => updateResult(await this.driver.replaceOne(filter, replacement, { upsert: options.upsert, ...s })));
  }

  updateOne(filter: Filter, update: UpdateDocument, options: UpdateOptions = {}): Promise<UpdateResult> {
    return this.run(async (s) => updateResult(await this.driver.updateOne(filter, update, { upsert: options.upsert, ...s })));
  }

  updateMany(filter: Filter, update: UpdateDocument, options: UpdateOptions = {}): Promise<UpdateResult> {
    return this.run(async (s) => updateResult(await this.driver.updateMany(filter, update, { upsert: options.upsert, ...s })));
  }

  deleteOne(filter: Filter): Promise<DeleteResult> {
    return this.run(async (s) => ({ deletedCount: (await this.driver.deleteOne(filter, s)).deletedCount }));
  }

  deleteMany(filter: Filter): Promise<DeleteResult> {
    return this.run(async (s) => ({ deletedCount: (await this.driver.deleteMany(filter, s)).deletedCount }));
  }

  /**
   * The driver's ordered bulkWrite: consecutive writes of one kind go to the server as one
   * command, so 500 replaceOne upserts are one round trip. An empty list returns zero counts
   * (the port's rule; the driver would throw "Batch cannot be empty").
   */
  async bulkWrite(operations: ReadonlyArray<BulkWriteOperation<T>>): Promise<BulkWriteResult> {
    if (Array.isArray(operations) && operations.length === 0) {
      this.scope.beforeOperation();
      return { ...NO_WRITES };
    }
    const driverOperations = operations as ReadonlyArray<AnyBulkWriteOperation<DriverDocument>>;
    return this.run(async (s) => bulkCounts(await this.driver.bulkWrite(driverOperations, { ordered: true, ...s })), toBulkWriteError);
  }
}
