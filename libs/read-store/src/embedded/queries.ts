/**
 * find / countDocuments / aggregate over a DocumentSource (a collection's committed state or a transaction's view).
 *
 * Filters that pin `_id` by equality or `$in` go straight to the `_id` map instead of scanning;
 * such results come in `_id` order, as MongoDB's `_id` index scan returns them. Everything else
 * tests, with mingo, the candidates a declared index leaves (query-index.ts), or every
 * document, in natural order either way. Results are always fresh copies.
 */
import type { FindOptions } from '../read-store.port';
import { compareValues, sortDocuments } from './bson-order';
import { cloneValue, isPlainObject, keyOf, type PlainObject } from './codec';
import type { DocumentSource, Ordered } from './collection-state';
import { compileFilter, projectDocuments, runPipeline } from './mingo-engine';

function isIdLookupValue(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value) || value instanceof Date;
}

/** The `_id` values a filter pins down by `_id: v`, `{ $eq: v }` or `{ $in: [...] }`, if it does. */
function pinnedIds(filter: PlainObject): unknown[] | null {
  if (!('_id' in filter)) return null;
  const condition = filter._id;
  if (isIdLookupValue(condition)) return [condition];
  if (!isPlainObject(condition)) return null;
  const operators = Object.keys(condition);
  if (operators.length !== 1) return null;
  if (operators[0] === '$eq' && isIdLookupValue(condition.$eq)) return [condition.$eq];
  if (operators[0] === '$in' && Array.isArray(condition.$in) && condition.$in.every(isIdLookupValue)) {
    return [...condition.$in].sort(compareValues);
  }
  return null;
}

/**
 * Documents matching `filter`, in natural order (or `_id` order for `_id` lookups), at most
 * `limit` of them. Returns the stored objects: callers copy before handing them out.
 */
export function matchDocuments(source: DocumentSource, filter: PlainObject, limit = Infinity): PlainObject[] {
  if (!isPlainObject(filter)) throw new TypeError('filter must be a plain object');
  const ids = pinnedIds(filter);
  const onlyId = ids !== null && Object.keys(filter).length === 1;
  const matcher = onlyId || Object.keys(filter).length === 0 ? null : compileFilter(filter);
  let pool: PlainObject[];
  if (ids !== null) {
    const seen = new Set<string>();
    pool = [];
    for (const id of ids) {
      const key = keyOf(id);
      const doc = seen.has(key) ? undefined : source.get(key);
      seen.add(key);
      if (doc) pool.push(doc);
    }
  } else {
    pool = source.candidates(filter);
  }
  if (!matcher) return limit < pool.length ? pool.slice(0, limit) : pool;
  const out: PlainObject[] = [];
  for (const doc of pool) {
    if (matcher.test(doc)) {
      out.push(doc);
      if (out.length >= limit) break;
    }
  }
  return out;
}

function checkCount(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value)) throw new TypeError(`${name} must be an integer`);
  if (name === 'skip' && value < 0) throw new RangeError('skip must be non-negative');
  return value;
}

/** MongoDB find: filter, then sort, skip, limit (0 means none) and projection. */
export function findDocuments(source: DocumentSource, filter: PlainObject, options: FindOptions = {}): PlainObject[] {
  const skip = checkCount('skip', options.skip) ?? 0;
  const rawLimit = checkCount('limit', options.limit) ?? 0;
  const limit = rawLimit === 0 ? Infinity : Math.abs(rawLimit);
  const sorted = options.sort !== undefined && Object.keys(options.sort).length > 0;
  // Ties keep natural order there, as the general sort keeps its input's order, which for an `_id` lookup is not natural.
  const inOrder = sorted && isPlainObject(filter) && !('_id' in filter) ? source.ordered?.(options.sort as Record<string, unknown>) : undefined;
  if (inOrder) return pageInOrder(inOrder, filter, skip, limit, options);
  let docs = matchDocuments(source, filter, sorted ? Infinity : skip + limit);
  if (sorted) docs = sortDocuments(docs, options.sort as Record<string, unknown>, skip + limit);
  docs = docs.slice(skip, skip + limit).map(cloneValue);
  const projection = options.projection;
  return projection && Object.keys(projection).length > 0 ? projectDocuments(docs, projection) : docs;
}

/** A page of documents already in the sort's order: read (and tested) only as far as the page needs. */
function pageInOrder(inOrder: Ordered, filter: PlainObject, skip: number, limit: number, options: FindOptions): PlainObject[] {
  const matcher = Object.keys(filter).length === 0 ? null : compileFilter(filter);
  const page: PlainObject[] = [];
  if (!matcher) {
    for (let i = skip; i < inOrder.length && page.length < limit; i++) page.push(cloneValue(inOrder.at(i)));
  } else {
    let skipped = 0;
    for (let i = 0; i < inOrder.length && page.length < limit; i++) {
      const doc = inOrder.at(i);
      if (!matcher.test(doc)) continue;
      if (skipped < skip) skipped++;
      else page.push(cloneValue(doc));
    }
  }
  const projection = options.projection;
  return projection && Object.keys(projection).length > 0 ? projectDocuments(page, projection) : page;
}

export function countMatching(source: DocumentSource, filter: PlainObject = {}): number {
  if (!isPlainObject(filter)) throw new TypeError('filter must be a plain object');
  // Every document matches an empty filter: count them without reading them.
  if (Object.keys(filter).length === 0) return source.count();
  return matchDocuments(source, filter).length;
}

/**
 * Stages that neither mutate their input documents nor need them copied first: with only
 * these, the pipeline runs on the stored objects and just its output is copied.
 */
const READ_ONLY_STAGES = new Set(['$match', '$group', '$sort', '$skip', '$limit', '$count', '$bucket', '$sortByCount']);

function isReadOnly(pipeline: PlainObject[]): boolean {
  return pipeline.every((stage) => {
    const [name] = Object.keys(stage);
    if (name === '$facet') return Object.values(stage.$facet as PlainObject).every((p) => isReadOnly(p as PlainObject[]));
    return READ_ONLY_STAGES.has(name);
  });
}

/** Runs an aggregation pipeline; `$lookup`-style stages read other collections via `resolve`. */
export function aggregateDocuments(
  source: DocumentSource,
  pipeline: PlainObject[],
  resolve: (collection: string) => DocumentSource,
): PlainObject[] {
  if (!Array.isArray(pipeline)) throw new TypeError('pipeline must be an array of stages');
  for (const stage of pipeline) {
    const names = isPlainObject(stage) ? Object.keys(stage) : [];
    if (names.length !== 1) throw new Error('A pipeline stage specification object must contain exactly one field.');
    if (names[0] === '$out' || names[0] === '$merge') {
      throw new Error(`${names[0]} is not supported by the read store: write results with the collection API`);
    }
  }
  let input: PlainObject[];
  let rest = pipeline;
  if (pipeline.length > 0 && '$match' in pipeline[0]) {
    input = matchDocuments(source, pipeline[0].$match as PlainObject);
    rest = pipeline.slice(1);
  } else {
    input = source.list();
  }
  const readOnly = isReadOnly(rest);
  const resolver = (name: string): PlainObject[] => resolve(name).list().map(cloneValue);
  const output = runPipeline(readOnly ? input : input.map(cloneValue), rest, resolver);
  // The output can reference stored (read-only path) or shared sub-objects: copy it all.
  return output.map(cloneValue);
}
