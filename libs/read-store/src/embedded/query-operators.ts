/**
 * MongoDB's equality query operators ($eq, $ne, $in, $nin), replacing mingo's.
 *
 * mingo compares embedded documents ignoring field order, so `{ address: { zip, city } }`
 * would match `{ address: { city, zip } }`; MongoDB compares BSON documents field by field in
 * order (manual: "Query on Embedded/Nested Documents", "Match an Embedded/Nested Document").
 * These use the store's own comparison (bson-order.ts) and MongoDB's path rules: arrays on the
 * path are traversed, an array value matches if it equals the query value or any element does,
 * and `null` matches a null or missing field.
 */
import { valuesEqual } from './bson-order';
import { isPlainObject, type PlainObject } from './codec';

const INDEX = /^(0|[1-9]\d*)$/;

/** Values at the end of a path (`undefined` where the path is missing), arrays not expanded. */
function leafValues(value: unknown, segments: readonly string[], i: number, out: unknown[]): unknown[] {
  if (i === segments.length) {
    out.push(value);
    return out;
  }
  const segment = segments[i];
  if (Array.isArray(value)) {
    if (INDEX.test(segment)) return leafValues(value[Number(segment)], segments, i + 1, out);
    if (value.length === 0) out.push(undefined);
    for (const element of value) {
      if (isPlainObject(element)) leafValues(element[segment], segments, i + 1, out);
    }
    return out;
  }
  return leafValues(isPlainObject(value) ? value[segment] : undefined, segments, i + 1, out);
}

function leafMatches(leaf: unknown, wanted: unknown): boolean {
  if (wanted === null) {
    return leaf === undefined || leaf === null || (Array.isArray(leaf) && leaf.some((e) => e === null));
  }
  if (leaf === undefined) return false;
  if (wanted instanceof RegExp && !(leaf instanceof RegExp)) {
    // In $in, a regular expression matches strings (manual: $in, "Use the $in Operator with a Regular Expression").
    return typeof leaf === 'string' ? wanted.test(leaf) : Array.isArray(leaf) && leaf.some((e) => typeof e === 'string' && wanted.test(e));
  }
  return valuesEqual(leaf, wanted) || (Array.isArray(leaf) && leaf.some((e) => valuesEqual(e, wanted)));
}

function equalityPredicate(selector: string, values: readonly unknown[]): (doc: PlainObject) => boolean {
  // The driver sends `undefined` as null (ignoreUndefined: false), which matches missing fields too.
  const wanted = values.map((v) => (v === undefined ? null : v));
  const segments = selector.split('.');
  if (segments.length === 1 && wanted.length === 1 && wanted[0] !== null && typeof wanted[0] !== 'object') {
    // Fast path for the most common filter: a top-level field equal to a scalar.
    const [value] = wanted;
    return (doc) => {
      const leaf = doc[selector];
      return leaf === value || (leaf !== undefined && leafMatches(leaf, value));
    };
  }
  return (doc) => {
    const leaves = leafValues(doc, segments, 0, []);
    return wanted.some((w) => leaves.some((leaf) => leafMatches(leaf, w)));
  };
}

function inList(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new Error('$in needs an array');
  return value;
}

type QueryOperator = (selector: string, value: unknown, options: unknown) => (doc: PlainObject) => boolean;

export const equalityOperators: Record<'$eq' | '$ne' | '$in' | '$nin', QueryOperator> = {
  $eq: (selector, value) => equalityPredicate(selector, [value]),
  $ne: (selector, value) => {
    const eq = equalityPredicate(selector, [value]);
    return (doc) => !eq(doc);
  },
  $in: (selector, value) => equalityPredicate(selector, inList(value)),
  $nin: (selector, value) => {
    const matches = equalityPredicate(selector, inList(value));
    return (doc) => !matches(doc);
  },
};
