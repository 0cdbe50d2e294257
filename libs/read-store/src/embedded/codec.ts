/**
 * Values as the embedded store keeps them, and their text form in SQLite.
 *
 * Canonical values are what a MongoDB round trip would give back: JSON scalars, Dates,
 * RegExps, arrays and plain objects. `undefined` becomes `null` (the driver's default,
 * `ignoreUndefined: false`), function- and symbol-valued fields are dropped (BSON skips them),
 * class instances become plain objects of their own enumerable fields, and a `bigint` becomes
 * a number (the driver promotes int64 to number) when it is a safe integer.
 *
 * Text form ("tagged JSON", a subset of MongoDB Extended JSON v2):
 * - Date            -> `{"$date": "2024-01-31T12:00:00.000Z"}` (ISO-8601, millisecond precision;
 *                      an invalid Date is `{"$date": null}`)
 * - NaN, ±Infinity  -> `{"$numberDouble": "NaN" | "Infinity" | "-Infinity"}`
 * - RegExp          -> `{"$regularExpression": {"pattern": "...", "options": "..."}}`
 * - a stored object whose only key is one of those tags (or `$literal`) is wrapped as
 *   `{"$literal": {...}}` so it cannot be mistaken for a tagged value.
 * Every other number is a plain JSON number, so integers stay exact up to 2^53. `-0` is
 * written as `0` (MongoDB's indexes treat them as equal too).
 */
import { randomBytes } from 'node:crypto';

const TAGS = new Set(['$date', '$numberDouble', '$regularExpression', '$literal']);
/** MongoDB rejects documents nested deeper than 100 levels; the same limit stops cycles. */
const MAX_DEPTH = 100;

export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Returns a fresh canonical copy of `value` (see the module comment for the rules). */
export function canonicalize(value: unknown, depth = 0): unknown {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'undefined':
      return null;
    case 'bigint':
      if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
        throw new TypeError(`bigint ${value} is outside the safe integer range the read store keeps`);
      }
      return Number(value);
    case 'function':
    case 'symbol':
      return null;
  }
  if (value === null) return null;
  if (depth > MAX_DEPTH) throw new TypeError('document is nested too deeply (or contains a cycle)');
  if (value instanceof Date) return new Date(value.getTime());
  if (value instanceof RegExp) return new RegExp(value.source, value.flags);
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = canonicalize(value[i], depth + 1);
    return out;
  }
  const obj = value as PlainObject;
  if (ArrayBuffer.isView(obj) || obj instanceof Map || obj instanceof Set || '_bsontype' in obj) {
    throw new TypeError(`values of type ${obj.constructor?.name ?? 'unknown'} are not supported by the read store`);
  }
  const out: PlainObject = {};
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    if (typeof v === 'function' || typeof v === 'symbol') continue;
    // Assigning it would replace the copy's prototype instead of adding a field.
    if (key === '__proto__') throw new TypeError('the field name __proto__ is not supported by the read store');
    out[key] = canonicalize(v, depth + 1);
  }
  return out;
}

/** Deep copy of a canonical value; the store hands these out so callers cannot reach its state. */
export function cloneValue<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = cloneValue(value[i]);
    return out as T;
  }
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (value instanceof RegExp) return new RegExp(value.source, value.flags) as T;
  const out: PlainObject = {};
  for (const key in value) out[key] = cloneValue((value as PlainObject)[key]);
  return out as T;
}

/**
 * Converts a canonical value to its tagged-JSON tree (ready for `JSON.stringify`). Subtrees
 * without special values are returned as they are, not copied: the tree is only read.
 */
function toTagged(value: unknown): unknown {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    return { $numberDouble: Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity' };
  }
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) {
    const time = value.getTime();
    return { $date: Number.isNaN(time) ? null : value.toISOString() };
  }
  if (value instanceof RegExp) {
    return { $regularExpression: { pattern: value.source, options: value.flags } };
  }
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const tagged = toTagged(value[i]);
      if (out) out.push(tagged);
      else if (tagged !== value[i]) (out = value.slice(0, i)).push(tagged);
    }
    return out ?? value;
  }
  const obj = value as PlainObject;
  let out: PlainObject | undefined;
  let keys = 0;
  let lastKey = '';
  for (const key in obj) {
    const tagged = toTagged(obj[key]);
    if (!out && tagged !== obj[key]) {
      out = {};
      for (const earlier in obj) {
        if (earlier === key) break;
        out[earlier] = obj[earlier];
      }
    }
    if (out) out[key] = tagged;
    keys++;
    lastKey = key;
  }
  const result = out ?? obj;
  return keys === 1 && TAGS.has(lastKey) ? { $literal: result } : result;
}

/** Serializes a canonical document to tagged JSON text. */
export function encodeDocument(doc: PlainObject): string {
  return JSON.stringify(toTagged(doc));
}

/** Rebuilds tagged values in a freshly parsed tree (mutates and returns it). */
function fromTagged(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = fromTagged(value[i]);
    return value;
  }
  const obj = value as PlainObject;
  let only: string | undefined;
  for (const key in obj) {
    if (only !== undefined) {
      only = undefined;
      break;
    }
    only = key;
  }
  if (only !== undefined && TAGS.has(only)) {
    const tagged = obj[only];
    switch (only) {
      case '$date':
        return new Date(tagged === null ? Number.NaN : (tagged as string));
      case '$numberDouble':
        return Number(tagged);
      case '$regularExpression': {
        const re = tagged as { pattern: string; options: string };
        return new RegExp(re.pattern, re.options);
      }
      default:
        return reviveFields(tagged as PlainObject);
    }
  }
  return reviveFields(obj);
}

function reviveFields(obj: PlainObject): PlainObject {
  for (const key in obj) obj[key] = fromTagged(obj[key]);
  return obj;
}

/** Parses tagged JSON text back into a canonical document. */
export function decodeDocument(text: string): PlainObject {
  // Every tag is a key starting with `$`, so text without `"$` holds none: the parse is the document.
  if (!text.includes('"$')) return JSON.parse(text) as PlainObject;
  return fromTagged(JSON.parse(text)) as PlainObject;
}

/**
 * Text that identifies a canonical value by MongoDB equality (1 and 1.0 coincide, objects are
 * compared field by field in order). Used as the `_id` key in memory and in SQLite.
 */
export function keyOf(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  return JSON.stringify(toTagged(value));
}

const PROCESS_RANDOM = randomBytes(5).toString('hex');
let counter = randomBytes(3).readUIntBE(0, 3);

/**
 * A 24-hex-digit string shaped like an ObjectId (seconds, per-process random, counter), used
 * as `_id` when a document is inserted without one. It is a string, not a BSON ObjectId:
 * callers that need a particular `_id` type must supply their own.
 */
export function generateId(): string {
  counter = (counter + 1) % 0xffffff;
  const seconds = Math.floor(Date.now() / 1000).toString(16).padStart(8, '0');
  return seconds + PROCESS_RANDOM + counter.toString(16).padStart(6, '0');
}
