/**
 * A collection outside any transaction. Reads see committed documents and never wait; each
 * write runs as its own one-operation transaction, so it queues behind a running transaction
 * instead of interleaving with it.
 */
import {
  BulkWriteError,
  type BulkWriteOperation,
  type BulkWriteResult,
  type Collection,
  type DeleteResult,
  type Document,
  type Filter,
  type FindOptions,
  type ReadStoreTransaction,
  type UpdateDocument,
  type UpdateOptions,
  type UpdateResult,
} from '../read-store.port';
import type { DocumentSource } from './collection-state';
import { aggregateDocuments, countMatching, findDocuments } from './queries';

/** What an auto-commit collection needs from its store. */
export interface AutoCommitHost {
  /** Committed documents of a collection (throws once the store is closed). */
  committed(name: string): DocumentSource;
  withTransaction<R>(work: (tx: ReadStoreTransaction) => Promise<R>): Promise<R>;
}

export class AutoCommitCollection<T extends Document = Document> implements Collection<T> {
  constructor(
    readonly name: string,
    private readonly host: AutoCommitHost,
  ) {}

  private readonly resolve = (name: string): DocumentSource => this.host.committed(name);

  private write<R>(op: (collection: Collection<T>) => Promise<R>): Promise<R> {
    return this.host.withTransaction((tx) => op(tx.collection<T>(this.name)));
  }

  async findOne(filter: Filter, options: FindOptions = {}): Promise<T | null> {
    return (findDocuments(this.host.committed(this.name), filter, { ...options, limit: 1 })[0] as T | undefined) ?? null;
  }

  async find(filter: Filter, options?: FindOptions): Promise<T[]> {
    return findDocuments(this.host.committed(this.name), filter, options) as T[];
  }

  async countDocuments(filter: Filter = {}): Promise<number> {
    return countMatching(this.host.committed(this.name), filter);
  }

  async aggregate<R extends Document = Document>(pipeline: Document[]): Promise<R[]> {
    return aggregateDocuments(this.host.committed(this.name), pipeline, this.resolve) as R[];
  }

  insertOne(doc: T): Promise<void> {
    return this.write((c) => c.insertOne(doc));
  }

  replaceOne(filter: Filter, replacement: T, options?: UpdateOptions): Promise<UpdateResult> {
    return this.write((c) => c.replaceOne(filter, replacement, options));
  }

  updateOne(filter: Filter, update: UpdateDocument, options?: UpdateOptions): Promise<UpdateResult> {
    return this.write((c) => c.updateOne(filter, update, options));
  }

  updateMany(filter: Filter, update: UpdateDocument, options?: UpdateOptions): Promise<UpdateResult> {
    return this.write((c) => c.updateMany(filter, update, options));
  }

  deleteOne(filter: Filter): Promise<DeleteResult> {
    return this.write((c) => c.deleteOne(filter));
  }

  deleteMany(filter: Filter): Promise<DeleteResult> {
    return this.write((c) => c.deleteMany(filter));
  }

  /**
   * One SQLite transaction for the whole batch. As MongoDB's ordered bulkWrite outside a
   * transaction is not atomic, a failing write still commits the writes before it; the
   * BulkWriteError is thrown after that commit.
   */
  async bulkWrite(operations: ReadonlyArray<BulkWriteOperation<T>>): Promise<BulkWriteResult> {
    let failure: BulkWriteError | undefined;
    const result = await this.write(async (c) => {
      try {
        return await c.bulkWrite(operations);
      } catch (error) {
        if (!(error instanceof BulkWriteError)) throw error; // malformed batch: nothing was written
        failure = error;
        return error.result;
      }
    });
    if (failure) throw failure;
    return result;
  }
}
