/**
 * MongoDB's comparison and sort order for the value types the store keeps.
 *
 * mingo's own `$sort` differs from MongoDB in ways a read model can see: it compares objects
 * with their keys sorted, uses an array's smallest element for descending sorts too, orders
 * strings by UTF-16 code unit rather than by UTF-8 bytes, and puts NaN after the numbers.
 * This module implements the MongoDB rules (manual: "Comparison/Sort Order") and is used for
 * find's sort, the aggregation `$sort` stage, `$min`/`$max` updates and `$push` `$sort`.
 */
import { isPlainObject, type PlainObject } from './codec';

/**
 * Sort key of an empty array: MongoDB sorts `[]` before null and missing fields.
 * (manual: cursor.sort(), "Sort by an array field")
 */
export const EMPTY_ARRAY_KEY: unique symbol = Symbol('empty array');

/** BSON type brackets, lowest first (manual: "Comparison/Sort Order"). */
function typeRank(value: unknown): number {
  if (value === null || value === undefined) return 1;
  switch (typeof value) {
    case 'number':
      return 2;
    case 'string':
      return 3;
    case 'boolean':
      return 8;
    case 'symbol':
      return 0; // only EMPTY_ARRAY_KEY reaches here
  }
  if (Array.isArray(value)) return 5;
  if (value instanceof Date) return 9;
  if (value instanceof RegExp) return 11;
  return 4;
}

function compareNumbers(a: number, b: number): number {
  // MongoDB orders NaN below every other number.
  if (a !== a) return b !== b ? 0 : -1;
  if (b !== b) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Code-point order, which is the UTF-8 byte order MongoDB uses without a collation. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) must sort after U+E000..U+FFFF.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : 1;
}

function compareObjects(a: PlainObject, b: PlainObject): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const n = Math.min(ka.length, kb.length);
  for (let i = 0; i < n; i++) {
    const va = a[ka[i]];
    const vb = b[kb[i]];
    const rank = typeRank(va) - typeRank(vb);
    if (rank !== 0) return rank < 0 ? -1 : 1;
    const name = compareStrings(ka[i], kb[i]);
    if (name !== 0) return name;
    const c = compareValues(va, vb);
    if (c !== 0) return c;
  }
  return ka.length === kb.length ? 0 : ka.length < kb.length ? -1 : 1;
}

function compareArrays(a: unknown[], b: unknown[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Compares two values by MongoDB's order: type bracket first, then value. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 2:
      return compareNumbers(a as number, b as number);
    case 3:
      return compareStrings(a as string, b as string);
    case 4:
      return compareObjects(a as PlainObject, b as PlainObject);
    case 5:
      return compareArrays(a as unknown[], b as unknown[]);
    case 8:
      return a === b ? 0 : a ? 1 : -1;
    case 9:
      return compareNumbers((a as Date).getTime(), (b as Date).getTime());
    case 11: {
      const ra2 = a as RegExp;
      const rb2 = b as RegExp;
      return compareStrings(ra2.source, rb2.source) || compareStrings(ra2.flags, rb2.flags);
    }
    default:
      return 0;
  }
}

/** MongoDB equality (numbers by value, Dates by instant, documents field by field in order). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  return a === b || compareValues(a, b) === 0;
}

const INDEX = /^(0|[1-9]\d*)$/;

/**
 * Every value a dotted path reaches, as MongoDB's index keys see it: arrays met on the way are
 * traversed element by element, an array at the end contributes its elements (an empty one
 * EMPTY_ARRAY_KEY), and a missing field contributes null.
 */
export function pathValues(doc: unknown, segments: readonly string[], from = 0, out: unknown[] = []): unknown[] {
  let value = doc;
  for (let i = from; i < segments.length; i++) {
    const segment = segments[i];
    if (Array.isArray(value)) {
      if (INDEX.test(segment)) {
        value = value[Number(segment)];
        continue;
      }
      if (value.length === 0) out.push(null);
      for (const element of value) {
        if (isPlainObject(element)) pathValues(element, segments, i, out);
        else out.push(null);
      }
      return out;
    }
    value = isPlainObject(value) ? value[segment] : undefined;
    if (value === undefined) break;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) out.push(EMPTY_ARRAY_KEY);
    else for (const element of value) out.push(element);
  } else {
    out.push(value === undefined ? null : value);
  }
  return out;
}

/** A sort key with its type bracket and scalar form worked out once, not per comparison. */
interface SortKey {
  rank: number;
  num: number;
  str: string;
  raw: unknown;
}

function toSortKey(value: unknown): SortKey {
  const rank = typeRank(value);
  return {
    rank,
    num: rank === 2 ? (value as number) : rank === 9 ? (value as Date).getTime() : 0,
    str: rank === 3 ? (value as string) : '',
    raw: value,
  };
}

function compareSortKeys(a: SortKey, b: SortKey): number {
  if (a.rank !== b.rank) return a.rank < b.rank ? -1 : 1;
  if (a.rank === 2 || a.rank === 9) return compareNumbers(a.num, b.num);
  if (a.rank === 3) return compareStrings(a.str, b.str);
  return compareValues(a.raw, b.raw);
}

/** Sort key of one field: the smallest value for ascending, the largest for descending. */
function sortKey(doc: unknown, segments: readonly string[], descending: boolean): SortKey {
  // Fast path: no array on the way, which is what most sort fields look like.
  let value = doc;
  for (let i = 0; i < segments.length && value !== undefined; i++) {
    if (Array.isArray(value)) break;
    value = value !== null && typeof value === 'object' && !(value instanceof Date) ? (value as PlainObject)[segments[i]] : undefined;
  }
  if (!Array.isArray(value)) return toSortKey(value === undefined ? null : value);
  const values = pathValues(doc, segments);
  let best = values[0];
  for (let i = 1; i < values.length; i++) {
    const c = compareValues(values[i], best);
    if (descending ? c > 0 : c < 0) best = values[i];
  }
  return toSortKey(best);
}

/** Above this many wanted results a full sort beats keeping a sorted top-k. */
const TOP_K_LIMIT = 1000;

/**
 * Sorts documents by a MongoDB sort specification. Ties keep the input order (the natural
 * order, when the input is a collection scan), which makes results deterministic where
 * MongoDB leaves them unspecified. `{ $natural: -1 }` reverses the input order. With
 * `keep`, only the first `keep` results are returned (and only those are fully ordered).
 */
export function sortDocuments<T>(docs: readonly T[], spec: Record<string, unknown>, keep = Infinity): T[] {
  const fields = Object.keys(spec).map((path) => {
    const direction = spec[path];
    if (direction !== 1 && direction !== -1) {
      throw new Error(`$sort key ordering must be 1 (for ascending) or -1 (for descending): ${path}`);
    }
    return { path, segments: path.split('.'), descending: direction === -1 };
  });
  if (fields.length === 0) throw new Error('$sort stage must have at least one sort key');
  const decorated = docs.map((doc, index) => ({
    doc,
    index,
    keys: fields.map((f) => (f.path === '$natural' ? toSortKey(index) : sortKey(doc, f.segments, f.descending))),
  }));
  type Decorated = (typeof decorated)[number];
  const compare = (x: Decorated, y: Decorated): number => {
    for (let i = 0; i < fields.length; i++) {
      const c = compareSortKeys(x.keys[i], y.keys[i]);
      if (c !== 0) return fields[i].descending ? -c : c;
    }
    return x.index - y.index;
  };
  if (keep >= decorated.length || keep > TOP_K_LIMIT) {
    return decorated.sort(compare).slice(0, keep).map((d) => d.doc);
  }
  const top: Decorated[] = [];
  for (const d of decorated) {
    if (top.length === keep && compare(d, top[keep - 1]) >= 0) continue;
    let lo = 0;
    let hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(d, top[mid]) < 0) hi = mid;
      else lo = mid + 1;
    }
    top.splice(lo, 0, d);
    if (top.length > keep) top.pop();
  }
  return top.map((d) => d.doc);
}
