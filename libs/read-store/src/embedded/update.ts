/**
 * Update documents, upserts and replacements with MongoDB's rules (manual:
 * db.collection.updateOne / replaceOne, "Upsert Behavior"; "Update Operators").
 */
import { compareStrings, valuesEqual } from './bson-order';
import { canonicalize, isPlainObject, type PlainObject } from './codec';
import { compileFilter } from './mingo-engine';
import { CREATING_OPERATORS, OPERATORS } from './update-operators';
import { readPlainPath, resolveTargets, splitPath, writeChild, type PositionalResolver } from './update-paths';
import { ErrorCode, ReadStoreWriteError } from './write-error';

const ALL_OPERATORS = new Set([...Object.keys(OPERATORS), '$setOnInsert', '$rename']);
const INDEX = /^(0|[1-9]\d*)$/;

interface Entry {
  op: string;
  path: string;
  /** `path` split at its dots, once, when the update is prepared. */
  segments: readonly string[];
  arg: unknown;
}

/** A validated update document in MongoDB's application order. */
export interface PreparedUpdate {
  readonly entries: readonly Entry[];
}

/** MongoDB 5.0+ applies fields in lexicographic order, numeric segments numerically. */
function compareSegments(sa: readonly string[], sb: readonly string[]): number {
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    if (sa[i] === sb[i]) continue;
    if (INDEX.test(sa[i]) && INDEX.test(sb[i])) return Number(sa[i]) - Number(sb[i]);
    return compareStrings(sa[i], sb[i]);
  }
  return sa.length - sb.length;
}

/** `b` is `a` or lies inside it (sorted neighbours are enough: a path sorts right before what lies inside it). */
function overlaps(a: readonly string[], b: readonly string[]): boolean {
  if (a.length > b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function conflict(a: string, b: string): never {
  throw new ReadStoreWriteError(ErrorCode.ConflictingUpdateOperators, `Updating the path '${b}' would create a conflict at '${a}'`);
}

/**
 * Validates an update document (operators only, known operators, no two operators on
 * overlapping paths) and copies its values so the caller's objects are never stored.
 */
export function prepareUpdate(update: unknown): PreparedUpdate {
  if (!isPlainObject(update)) {
    throw new ReadStoreWriteError(ErrorCode.FailedToParse, 'Update document requires atomic operators');
  }
  const entries: Entry[] = [];
  let operators = 0;
  let renames = false;
  for (const op in update) {
    operators++;
    if (!op.startsWith('$')) throw new ReadStoreWriteError(ErrorCode.FailedToParse, 'Update document requires atomic operators');
    if (!ALL_OPERATORS.has(op)) throw new ReadStoreWriteError(ErrorCode.FailedToParse, `Unknown modifier: ${op}`);
    const fields = update[op];
    if (!isPlainObject(fields)) {
      throw new ReadStoreWriteError(ErrorCode.FailedToParse, `Modifiers operate on fields but we found another type instead: ${op}`);
    }
    if (op === '$rename') renames = true;
    for (const path in fields) entries.push({ op, path, segments: splitPath(path), arg: canonicalize(fields[path]) });
  }
  if (operators === 0) {
    throw new ReadStoreWriteError(ErrorCode.FailedToParse, 'Update document requires atomic operators');
  }
  const byPath = (a: { segments: readonly string[] }, b: { segments: readonly string[] }) => compareSegments(a.segments, b.segments);
  entries.sort(byPath);
  // A rename touches its target too: every touched path is checked, in path order.
  const targets = renames ? entries.filter((e) => e.op === '$rename').map((e) => ({ path: String(e.arg), segments: String(e.arg).split('.') })) : [];
  const touched = targets.length > 0 ? [...entries, ...targets].sort(byPath) : entries;
  for (let i = 1; i < touched.length; i++) {
    if (overlaps(touched[i - 1].segments, touched[i].segments)) conflict(touched[i - 1].path, touched[i].path);
  }
  return { entries };
}

/** `$` stands for the first element of `arrayPath` that satisfies the filter's conditions on it. */
function positionalResolver(filter: PlainObject): PositionalResolver {
  return (arrayPath, array) => {
    const keys = Object.keys(filter).filter((k) => k === arrayPath || k.startsWith(`${arrayPath}.`));
    const conditions = keys.map((k) => compileFilter({ [k]: filter[k] }));
    const segments = arrayPath.split('.');
    for (let i = 0; conditions.length > 0 && i < array.length; i++) {
      const probe = segments.reduceRight<unknown>((inner, s) => ({ [s]: inner }), [array[i]]) as PlainObject;
      if (conditions.every((q) => q.test(probe))) return i;
    }
    throw new ReadStoreWriteError(ErrorCode.BadValue, 'The positional operator did not find the match needed from the query.');
  };
}

function rename(doc: PlainObject, from: string, to: unknown, positional: PositionalResolver): boolean {
  if (typeof to !== 'string') throw new ReadStoreWriteError(ErrorCode.BadValue, `The 'to' field for $rename must be a string: ${from}`);
  if (to.includes('$') || from.includes('$')) throw new ReadStoreWriteError(ErrorCode.BadValue, '$rename cannot use positional operators');
  const source = readPlainPath(doc, from);
  if (!source) return false;
  const value = source.parent[source.key];
  delete source.parent[source.key];
  for (const target of resolveTargets(doc, to, true, positional)) {
    if (Array.isArray(target.parent)) {
      throw new ReadStoreWriteError(ErrorCode.BadValue, `The destination field cannot be an array element, '${to}'`);
    }
    writeChild(target.parent, target.key, value);
  }
  return true;
}

/**
 * Applies a prepared update to `doc` in place and returns whether the document changed.
 * `$setOnInsert` applies only when `isInsert` (an upsert inserting). Changing `_id` throws.
 */
export function applyUpdate(doc: PlainObject, update: PreparedUpdate, filter: PlainObject, isInsert: boolean): boolean {
  const positional = positionalResolver(filter);
  const hadId = '_id' in doc;
  const id = doc._id;
  let modified = false;
  for (const { op, path, segments, arg } of update.entries) {
    if (op === '$setOnInsert' && !isInsert) continue;
    if (op === '$rename') {
      modified = rename(doc, path, arg, positional) || modified;
      continue;
    }
    const apply = OPERATORS[op === '$setOnInsert' ? '$set' : op];
    for (const target of resolveTargets(doc, path, CREATING_OPERATORS.has(op), positional, segments)) {
      modified = apply(target, arg) || modified;
    }
  }
  if (hadId && !(('_id' in doc) && valuesEqual(doc._id, id))) {
    throw new ReadStoreWriteError(ErrorCode.ImmutableField, "Performing an update on the path '_id' would modify the immutable field '_id'");
  }
  return modified;
}

const NO_EQUALITY = Symbol('no equality');

function equalityOf(condition: unknown): unknown {
  if (condition instanceof RegExp) return NO_EQUALITY;
  if (isPlainObject(condition)) {
    const keys = Object.keys(condition);
    if (keys.length > 0 && keys[0].startsWith('$')) return '$eq' in condition ? condition.$eq : NO_EQUALITY;
  }
  return condition;
}

function collectEqualities(filter: PlainObject, seed: PlainObject): void {
  for (const key of Object.keys(filter)) {
    if (key === '$and' && Array.isArray(filter.$and)) {
      for (const clause of filter.$and) if (isPlainObject(clause)) collectEqualities(clause, seed);
      continue;
    }
    if (key.startsWith('$')) continue; // $or, $nor, $expr... contribute nothing
    const value = equalityOf(filter[key]);
    if (value === NO_EQUALITY) continue;
    for (const target of resolveTargets(seed, key, true, () => 0)) writeChild(target.parent, target.key, canonicalize(value));
  }
}

/**
 * The document an upsert starts from: the filter's equality conditions (`field: value`,
 * `field: { $eq: value }`, also inside `$and`), with dotted paths as nested documents.
 */
export function upsertSeed(filter: PlainObject): PlainObject {
  const seed: PlainObject = {};
  collectEqualities(filter, seed);
  return seed;
}

/** Returns `doc` with `_id` as its first field, as the server stores inserted documents. */
export function withIdFirst(doc: PlainObject): PlainObject {
  if (Object.keys(doc)[0] === '_id') return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

/** Validates and copies a replacement document (no operators, `_id` only if unchanged). */
export function prepareReplacement(replacement: unknown): PlainObject {
  if (replacement === null || typeof replacement !== 'object' || Array.isArray(replacement)) {
    throw new ReadStoreWriteError(ErrorCode.FailedToParse, 'Replacement document must be an object');
  }
  if (Object.keys(replacement as PlainObject).some((k) => k.startsWith('$'))) {
    throw new ReadStoreWriteError(ErrorCode.FailedToParse, 'Replacement document must not contain atomic operators');
  }
  return canonicalize(replacement) as PlainObject;
}
