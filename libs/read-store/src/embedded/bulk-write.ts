/**
 * Ordered bulkWrite for the embedded store (MongoDB manual: db.collection.bulkWrite(),
 * "Ordered vs Unordered Operations"): writes apply one by one, in order, and the first failure
 * stops the rest, reported as a BulkWriteError with the counts of the writes before it.
 *
 * The batch is checked as a whole first because the Node.js driver builds the whole batch
 * (and refuses a malformed operation) before it sends anything: a malformed fifth operation
 * must not leave the first four written.
 */
import {
  BulkWriteError,
  type BulkWriteOperation,
  type BulkWriteResult,
  type DeleteResult,
  type Document,
  type Filter,
  type UpdateDocument,
  type UpdateResult,
} from '../read-store.port';
import { isPlainObject } from './codec';
import { ErrorCode, ReadStoreWriteError } from './write-error';

/** The single-document writes a bulk is made of, applied synchronously by the collection. */
export interface BulkWriter {
  replace(filter: Filter, replacement: Document, upsert: boolean): UpdateResult;
  update(filter: Filter, update: UpdateDocument, upsert: boolean): UpdateResult;
  delete(filter: Filter): DeleteResult;
}

const KINDS = new Set(['replaceOne', 'updateOne', 'deleteOne']);

/** The driver's test (`hasAtomicOperators`): an update document's first key is an operator. */
function startsWithOperator(doc: unknown): boolean {
  if (!isPlainObject(doc)) return false;
  const [first] = Object.keys(doc);
  return first !== undefined && first.startsWith('$');
}

function refuse(index: number, reason: string): never {
  throw new ReadStoreWriteError(ErrorCode.FailedToParse, `bulkWrite operation ${index}: ${reason}`);
}

/** Refuses the whole batch if any operation is malformed, before anything is written. */
export function checkBulkOperations(operations: ReadonlyArray<BulkWriteOperation>): void {
  if (!Array.isArray(operations)) throw new TypeError('bulkWrite operations must be an array');
  operations.forEach((operation: unknown, index) => {
    const kinds = isPlainObject(operation) ? Object.keys(operation) : [];
    if (kinds.length !== 1 || !KINDS.has(kinds[0])) refuse(index, 'must have exactly one of replaceOne, updateOne, deleteOne');
    const args = (operation as Record<string, unknown>)[kinds[0]] as Record<string, unknown>;
    if (!isPlainObject(args) || !isPlainObject(args.filter)) refuse(index, `${kinds[0]} needs a filter object`);
    if (kinds[0] === 'replaceOne' && (!isPlainObject(args.replacement) || startsWithOperator(args.replacement))) {
      refuse(index, 'Replacement document must not contain atomic operators');
    }
    if (kinds[0] === 'updateOne' && !startsWithOperator(args.update)) refuse(index, 'Update document requires atomic operators');
  });
}

/**
 * Applies checked operations in order through `writer`. An upsert counts as upserted when it
 * matched nothing and did not throw: that is exactly when an upsert inserts.
 * @throws BulkWriteError at the first failing write; the writes before it stay applied.
 */
export function applyOrdered(operations: ReadonlyArray<BulkWriteOperation>, writer: BulkWriter): BulkWriteResult {
  const result: BulkWriteResult = { matchedCount: 0, modifiedCount: 0, upsertedCount: 0, deletedCount: 0 };
  const counted = (outcome: UpdateResult, upsert: boolean): void => {
    result.matchedCount += outcome.matchedCount;
    result.modifiedCount += outcome.modifiedCount;
    if (upsert && outcome.matchedCount === 0) result.upsertedCount++;
  };
  for (let index = 0; index < operations.length; index++) {
    const operation = operations[index];
    try {
      if ('replaceOne' in operation) {
        const { filter, replacement, upsert = false } = operation.replaceOne;
        counted(writer.replace(filter, replacement, upsert), upsert);
      } else if ('updateOne' in operation) {
        const { filter, update, upsert = false } = operation.updateOne;
        counted(writer.update(filter, update, upsert), upsert);
      } else {
        result.deletedCount += writer.delete(operation.deleteOne.filter).deletedCount;
      }
    } catch (error) {
      throw new BulkWriteError({ ...result }, index, error);
    }
  }
  return result;
}
