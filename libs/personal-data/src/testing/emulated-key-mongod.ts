/**
 * Test-only: a command handler for the read store's scripted wire server (FakeMongod) that
 * emulates, in memory, just the MongoDB commands MongoDataKeyStore sends: find, findAndModify
 * and update with $set / $unset / $setOnInsert, upserts, replacements and E11000 on a
 * duplicate `_id`. It lets the DataKeyStore contract drive the real driver and adapter here,
 * where no mongod can run. It is not MongoDB: the contract against a real server
 * (mongo-data-key-store.spec.ts with MONGODB_URI) remains the proof of MongoDB's semantics.
 */
import { Query } from 'mingo';
import type { Document } from 'mongodb';
import { commandError, cursorReply, type CommandHandler, type ReceivedCommand } from '../../../read-store/src/testing/fake-mongod';

type Documents = Map<string, Document>;

function applyUpdate(doc: Document, update: Document, inserting: boolean): Document {
  const operators = Object.keys(update).some((key) => key.startsWith('$'));
  if (!operators) return { _id: doc._id, ...update };
  const next = { ...doc, ...(update.$set ?? {}), ...(inserting ? (update.$setOnInsert ?? {}) : {}) };
  for (const field of Object.keys(update.$unset ?? {})) delete next[field];
  return next;
}

/** The fields an upsert's filter fixes by equality (here only top-level plain values). */
function equalityFields(filter: Document): Document {
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => typeof value !== 'object' || value === null));
}

const duplicate = (id: unknown) => ({ code: 11000, errmsg: `E11000 duplicate key error index: _id_ dup key: { _id: ${JSON.stringify(id)} }` });

/** Finds the first match, or upserts; returns the outcome or a duplicate-key error. */
function upsertOne(docs: Documents, filter: Document, update: Document, upsert: boolean) {
  const query = new Query(filter);
  const found = [...docs.values()].find((doc) => query.test(doc));
  if (found) {
    const next = applyUpdate(found, update, false);
    docs.set(String(found._id), next);
    return { matched: true, before: found, after: next };
  }
  if (!upsert) return { matched: false };
  const inserted = applyUpdate(equalityFields(filter), update, true);
  if (docs.has(String(inserted._id))) return { error: duplicate(inserted._id) };
  docs.set(String(inserted._id), inserted);
  return { matched: false, upserted: inserted._id, after: inserted };
}

/** A handler holding its documents in memory; `reset()` empties every collection. */
export function emulatedKeyMongod(): CommandHandler & { reset(): void } {
  const collections = new Map<string, Documents>();
  const collection = (command: ReceivedCommand): Documents => {
    const ns = `${command.db}.${String(command.body[command.name])}`;
    if (!collections.has(ns)) collections.set(ns, new Map());
    return collections.get(ns)!;
  };
  const handler = (command: ReceivedCommand): Document | undefined => {
    const { body } = command;
    switch (command.name) {
      case 'createIndexes':
        return { numIndexesBefore: 1, numIndexesAfter: 2 };
      case 'find': {
        const query = new Query(body.filter ?? {});
        const found = [...collection(command).values()].filter((doc) => query.test(doc));
        found.sort((a, b) => (String(a._id) < String(b._id) ? -1 : String(a._id) > String(b._id) ? 1 : 0));
        return cursorReply(`${command.db}.${body.find}`, body.limit ? found.slice(0, Number(body.limit)) : found);
      }
      case 'findAndModify': {
        const outcome = upsertOne(collection(command), body.query, body.update, body.upsert === true);
        if (outcome.error) return commandError(outcome.error.code, 'DuplicateKey');
        const value = body.new ? outcome.after : outcome.before;
        return { lastErrorObject: { n: 1, updatedExisting: outcome.matched, ...(outcome.upserted ? { upserted: outcome.upserted } : {}) }, value: value ?? null };
      }
      case 'update': {
        const [only] = body.updates as Document[];
        const outcome = upsertOne(collection(command), only.q, only.u, only.upsert === true);
        if (outcome.error) return { n: 0, nModified: 0, writeErrors: [{ index: 0, ...outcome.error }] };
        if (outcome.upserted !== undefined) return { n: 1, nModified: 0, upserted: [{ index: 0, _id: outcome.upserted }] };
        return { n: outcome.matched ? 1 : 0, nModified: outcome.matched ? 1 : 0 };
      }
      default:
        return undefined;
    }
  };
  return Object.assign(handler, { reset: () => collections.clear() });
}
