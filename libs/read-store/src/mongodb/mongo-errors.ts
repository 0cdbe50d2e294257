/**
 * Maps the driver's errors onto the port's, so callers catch the same classes whichever
 * adapter runs: E11000 becomes DuplicateKeyError, an ordered bulk's first write error becomes
 * BulkWriteError. Everything else is rethrown as the driver threw it.
 *
 * Errors labelled for a transaction retry are never mapped: ClientSession.withTransaction
 * retries only MongoErrors carrying TransientTransactionError / UnknownTransactionCommitResult,
 * and a port error in their place would turn a retryable conflict into a failure.
 */
import {
  MongoBulkWriteError,
  MongoError,
  MongoErrorLabel,
  MongoServerError,
  type BulkWriteResult as DriverBulkWriteResult,
  type WriteError,
} from 'mongodb';
import { BulkWriteError, DuplicateKeyError, type BulkWriteResult } from '../read-store.port';

/** MongoDB's DuplicateKey error code (manual: "Error Codes"). */
export const DUPLICATE_KEY = 11000;

/** True for errors the driver's transaction loop retries (so they must reach it unchanged). */
export function isTransactionRetryable(error: unknown): boolean {
  return (
    error instanceof MongoError &&
    (error.hasErrorLabel(MongoErrorLabel.TransientTransactionError) ||
      error.hasErrorLabel(MongoErrorLabel.UnknownTransactionCommitResult))
  );
}

/** The duplicated key as the server reports it (`keyValue`, MongoDB 4.2+), else null. */
function keyValueOf(details: unknown): unknown {
  return (details as { keyValue?: unknown } | null)?.keyValue ?? null;
}

/**
 * The driver keeps only code and message of a bulk's write errors (not `keyValue`), so there
 * the key is the server's text after "dup key: ", e.g. `{ _id: "a" }`, or null.
 */
function keyTextOf(message: string | undefined): string | null {
  const at = message?.indexOf('dup key: ') ?? -1;
  return at === -1 ? null : message!.slice(at + 'dup key: '.length);
}

/** E11000 from insertOne/updateOne/replaceOne/createIndexes → DuplicateKeyError (driver error kept as cause). */
export function toPortError(error: unknown, collection: string): unknown {
  if (error instanceof MongoServerError && error.code === DUPLICATE_KEY && !isTransactionRetryable(error)) {
    return new DuplicateKeyError(collection, keyValueOf(error), { cause: error });
  }
  return error;
}

/** The port's counts from the driver's BulkWriteResult (insertedCount is not in the port). */
export function bulkCounts(result: DriverBulkWriteResult): BulkWriteResult {
  return {
    matchedCount: result.matchedCount,
    modifiedCount: result.modifiedCount,
    upsertedCount: result.upsertedCount,
    deletedCount: result.deletedCount,
  };
}

/**
 * An ordered bulkWrite's MongoBulkWriteError → BulkWriteError at the first write error's index
 * (the driver reports indexes of the caller's array, across its internal batches). Errors with
 * no write error (a write concern error, a network or command error) stay as they are: they do
 * not name an operation the bulk stopped at.
 */
export function toBulkWriteError(error: unknown, collection: string): unknown {
  if (!(error instanceof MongoBulkWriteError) || isTransactionRetryable(error)) return toPortError(error, collection);
  const writeErrors: WriteError[] = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  const first = writeErrors.find((e) => e !== undefined);
  if (!first) return error;
  const key = keyValueOf(first.err) ?? keyTextOf(first.errmsg);
  const cause = first.code === DUPLICATE_KEY ? new DuplicateKeyError(collection, key, { cause: error }) : error;
  return new BulkWriteError(bulkCounts(error.result), first.index, cause);
}
