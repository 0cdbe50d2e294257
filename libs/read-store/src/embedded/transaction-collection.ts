/**
 * A collection inside a transaction: reads see the transaction's writes, writes go to the
 * collection's overlay. Every write copies its input, and updates work on a copy of the stored
 * document, so a write that throws half-way leaves the overlay as it was.
 */
import {
  DuplicateKeyError,
  type BulkWriteOperation,
  type BulkWriteResult,
  type Collection,
  type DeleteResult,
  type Document,
  type Filter,
  type FindOptions,
  type UpdateDocument,
  type UpdateOptions,
  type UpdateResult,
} from '../read-store.port';
import { valuesEqual } from './bson-order';
import { applyOrdered, checkBulkOperations, type BulkWriter } from './bulk-write';
import { canonicalize, cloneValue, generateId, keyOf, type PlainObject } from './codec';
import type { DocumentSource } from './collection-state';
import type { CollectionOverlay } from './overlay';
import { aggregateDocuments, countMatching, findDocuments, matchDocuments } from './queries';
import { applyUpdate, prepareReplacement, prepareUpdate, upsertSeed, withIdFirst, type PreparedUpdate } from './update';
import { ErrorCode, ReadStoreWriteError } from './write-error';

/** What a transaction collection needs from its transaction. */
export interface TransactionScope {
  /** The overlay of a collection in this transaction (throws once the transaction ended). */
  overlay(name: string): CollectionOverlay;
}

function checkId(id: unknown): void {
  if (Array.isArray(id) || id instanceof RegExp) {
    throw new ReadStoreWriteError(ErrorCode.BadValue, `The '_id' value cannot be of type ${Array.isArray(id) ? 'array' : 'regex'}`);
  }
}

export class TransactionCollection<T extends Document = Document> implements Collection<T> {
  constructor(
    readonly name: string,
    private readonly scope: TransactionScope,
  ) {}

  private get overlay(): CollectionOverlay {
    return this.scope.overlay(this.name);
  }

  private readonly resolve = (name: string): DocumentSource => this.scope.overlay(name);

  async findOne(filter: Filter, options: FindOptions = {}): Promise<T | null> {
    return (findDocuments(this.overlay, filter, { ...options, limit: 1 })[0] as T | undefined) ?? null;
  }

  async find(filter: Filter, options?: FindOptions): Promise<T[]> {
    return findDocuments(this.overlay, filter, options) as T[];
  }

  async countDocuments(filter: Filter = {}): Promise<number> {
    return countMatching(this.overlay, filter);
  }

  async aggregate<R extends Document = Document>(pipeline: Document[]): Promise<R[]> {
    return aggregateDocuments(this.overlay, pipeline, this.resolve) as R[];
  }

  /** Like the MongoDB driver, assigns a generated `_id` to `doc` itself when it has none. */
  async insertOne(doc: T): Promise<void> {
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new TypeError('document must be an object');
    // The driver generates an _id when it is null or undefined, and writes it into `doc`.
    if (doc._id == null && Object.isExtensible(doc)) (doc as Document)._id = generateId();
    const copy = canonicalize(doc) as PlainObject;
    if (copy._id == null) copy._id = generateId();
    this.insertNew(withIdFirst(copy));
  }

  private insertNew(doc: PlainObject): void {
    checkId(doc._id);
    const overlay = this.overlay;
    const key = keyOf(doc._id);
    if (overlay.get(key)) throw new DuplicateKeyError(this.name, { _id: doc._id });
    overlay.assertUnique(key, doc);
    overlay.insert(key, doc);
  }

  private store(key: string, doc: PlainObject): void {
    this.overlay.assertUnique(key, doc);
    this.overlay.replace(key, doc);
  }

  async replaceOne(filter: Filter, replacement: T, options: UpdateOptions = {}): Promise<UpdateResult> {
    return this.replace(filter, replacement, !!options.upsert);
  }

  private replace(filter: Filter, replacement: Document, upsert: boolean): UpdateResult {
    const next = prepareReplacement(replacement);
    const [match] = matchDocuments(this.overlay, filter, 1);
    if (match) {
      if ('_id' in next && !valuesEqual(next._id, match._id)) {
        throw new ReadStoreWriteError(ErrorCode.ImmutableField, "After applying the update, the (immutable) field '_id' was found to have been altered");
      }
      const doc = withIdFirst({ ...next, _id: cloneValue(match._id) });
      if (valuesEqual(doc, match)) return { matchedCount: 1, modifiedCount: 0, upsertedId: null };
      this.store(keyOf(match._id), doc);
      return { matchedCount: 1, modifiedCount: 1, upsertedId: null };
    }
    if (!upsert) return { matchedCount: 0, modifiedCount: 0, upsertedId: null };
    // Only the filter's _id carries over into a replacement upsert (manual: replaceOne, Upsert).
    const seed = upsertSeed(filter);
    if ('_id' in seed && '_id' in next && !valuesEqual(seed._id, next._id)) {
      throw new ReadStoreWriteError(ErrorCode.ImmutableField, "The _id field in the replacement differs from the _id in the filter");
    }
    const id = '_id' in next ? next._id : '_id' in seed ? seed._id : generateId();
    const doc = withIdFirst({ ...next, _id: id });
    this.insertNew(doc);
    return { matchedCount: 0, modifiedCount: 0, upsertedId: cloneValue(doc._id) };
  }

  async updateOne(filter: Filter, update: UpdateDocument, options: UpdateOptions = {}): Promise<UpdateResult> {
    return this.update(filter, prepareUpdate(update), options, 1);
  }

  async updateMany(filter: Filter, update: UpdateDocument, options: UpdateOptions = {}): Promise<UpdateResult> {
    return this.update(filter, prepareUpdate(update), options, Infinity);
  }

  private update(filter: Filter, update: PreparedUpdate, options: UpdateOptions, limit: number): UpdateResult {
    const matches = matchDocuments(this.overlay, filter, limit);
    let modifiedCount = 0;
    for (const match of matches) {
      const doc = cloneValue(match);
      if (applyUpdate(doc, update, filter, false)) {
        this.store(keyOf(doc._id), doc);
        modifiedCount++;
      }
    }
    if (matches.length > 0 || !options.upsert) {
      return { matchedCount: matches.length, modifiedCount, upsertedId: null };
    }
    const doc = upsertSeed(filter);
    applyUpdate(doc, update, filter, true);
    if (!('_id' in doc)) doc._id = generateId();
    const inserted = withIdFirst(doc);
    this.insertNew(inserted);
    return { matchedCount: 0, modifiedCount: 0, upsertedId: cloneValue(inserted._id) };
  }

  async deleteOne(filter: Filter): Promise<DeleteResult> {
    return this.delete(filter, 1);
  }

  async deleteMany(filter: Filter): Promise<DeleteResult> {
    return this.delete(filter, Infinity);
  }

  /**
   * Ordered bulkWrite: checks the whole batch, then applies it write by write. Writes before a
   * failing one stay in this transaction's view; they commit only if the transaction does.
   */
  async bulkWrite(operations: ReadonlyArray<BulkWriteOperation<T>>): Promise<BulkWriteResult> {
    checkBulkOperations(operations);
    this.scope.overlay(this.name); // a finished transaction fails here, not as a failed write 0
    return applyOrdered(operations, this.writer);
  }

  /** The synchronous single writes: no await per document in a batch of hundreds. */
  private readonly writer: BulkWriter = {
    replace: (filter, replacement, upsert) => this.replace(filter, replacement, upsert),
    update: (filter, update, upsert) => this.update(filter, prepareUpdate(update), { upsert }, 1),
    delete: (filter) => this.delete(filter, 1),
  };

  private delete(filter: Filter, limit: number): DeleteResult {
    const matches = matchDocuments(this.overlay, filter, limit);
    for (const doc of matches) this.overlay.remove(keyOf(doc._id));
    return { deletedCount: matches.length };
  }
}
