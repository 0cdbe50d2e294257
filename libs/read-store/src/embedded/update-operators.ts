/**
 * MongoDB update operators, applied in place to a private copy of a document.
 *
 * mingo 7's updater has no `$setOnInsert`, and it silently skips writes MongoDB rejects
 * (`$inc` on a string, `$push` to a scalar, a field inside a scalar), so the operators are
 * implemented here with the server's rules and error codes. Only `$pull` conditions use mingo.
 * Each operator reports whether it changed the document, which is what `modifiedCount` counts.
 */
import { compareValues, sortDocuments, valuesEqual } from './bson-order';
import { cloneValue, isPlainObject, type PlainObject } from './codec';
import { compileFilter } from './mingo-engine';
import { readChild, writeChild, type Target } from './update-paths';
import { ErrorCode, ReadStoreWriteError } from './write-error';

export type OperatorFn = (target: Target, arg: unknown) => boolean;

function current(target: Target): unknown {
  return readChild(target.parent, target.key);
}

function put(target: Target, value: unknown): true {
  writeChild(target.parent, target.key, value);
  return true;
}

function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (value instanceof RegExp) return 'regex';
  return typeof value === 'object' ? 'object' : typeof value === 'number' ? 'double' : typeof value;
}

function arrayAt(target: Target, op: string): unknown[] | undefined {
  const value = current(target);
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    throw new ReadStoreWriteError(
      op === '$pull' || op === '$pullAll' ? ErrorCode.BadValue : ErrorCode.TypeMismatch,
      `The field '${target.path}' must be an array but is of type ${typeName(value)} in document`,
    );
  }
  return value;
}

function arithmetic(op: '$inc' | '$mul', apply: (a: number, b: number) => number): OperatorFn {
  return (target, arg) => {
    if (typeof arg !== 'number') {
      throw new ReadStoreWriteError(
        ErrorCode.TypeMismatch,
        `Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${target.path}: ${JSON.stringify(arg)}}`,
      );
    }
    const value = current(target);
    if (value === undefined) return put(target, op === '$inc' ? arg : 0);
    if (typeof value !== 'number') {
      throw new ReadStoreWriteError(
        ErrorCode.TypeMismatch,
        `Cannot apply ${op} to a value of non-numeric type. The field '${target.path}' is of type ${typeName(value)}`,
      );
    }
    const next = apply(value, arg);
    return compareValues(next, value) === 0 ? false : put(target, next);
  };
}

function extremum(keepSmaller: boolean): OperatorFn {
  return (target, arg) => {
    const value = current(target);
    if (value === undefined) return put(target, cloneValue(arg));
    const c = compareValues(arg, value);
    return (keepSmaller ? c < 0 : c > 0) ? put(target, cloneValue(arg)) : false;
  };
}

function integerModifier(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new ReadStoreWriteError(ErrorCode.BadValue, `The value for ${name} must be an integer value`);
  }
  return value;
}

function push(target: Target, arg: unknown): boolean {
  const existing = arrayAt(target, '$push');
  let each: unknown[] = [arg];
  let position: number | undefined;
  let slice: number | undefined;
  let sort: unknown;
  if (isPlainObject(arg) && '$each' in arg) {
    for (const key of Object.keys(arg)) {
      if (!['$each', '$position', '$slice', '$sort'].includes(key)) {
        throw new ReadStoreWriteError(ErrorCode.BadValue, `Unrecognized clause in $push: ${key}`);
      }
    }
    if (!Array.isArray(arg.$each)) throw new ReadStoreWriteError(ErrorCode.BadValue, 'The argument to $each in $push must be an array');
    each = arg.$each;
    if (arg.$position !== undefined) position = integerModifier('$position', arg.$position);
    if (arg.$slice !== undefined) slice = integerModifier('$slice', arg.$slice);
    sort = arg.$sort;
  }
  let items = existing ? existing.slice() : [];
  const at = position === undefined ? items.length : position < 0 ? Math.max(0, items.length + position) : Math.min(position, items.length);
  items.splice(at, 0, ...each.map(cloneValue));
  if (sort !== undefined) {
    if (sort === 1 || sort === -1) {
      const direction = sort;
      items = items.map((v, i) => ({ v, i })).sort((a, b) => direction * compareValues(a.v, b.v) || a.i - b.i).map((e) => e.v);
    } else if (isPlainObject(sort)) {
      items = sortDocuments(items, sort);
    } else {
      throw new ReadStoreWriteError(ErrorCode.BadValue, 'The $sort is invalid: use 1/-1 to sort the whole element, or {field:1/-1} to sort embedded fields');
    }
  }
  if (slice !== undefined) items = slice >= 0 ? items.slice(0, slice) : items.slice(slice);
  if (existing && items.length === existing.length && items.every((v, i) => valuesEqual(v, existing[i]))) return false;
  return put(target, items);
}

function addToSet(target: Target, arg: unknown): boolean {
  const existing = arrayAt(target, '$addToSet');
  let each: unknown[] = [arg];
  if (isPlainObject(arg) && '$each' in arg) {
    if (!Array.isArray(arg.$each) || Object.keys(arg).length !== 1) {
      throw new ReadStoreWriteError(ErrorCode.TypeMismatch, 'The argument to $each in $addToSet must be an array, with no other modifier');
    }
    each = arg.$each;
  }
  const items = existing ?? [];
  let changed = existing === undefined;
  for (const value of each) {
    if (!items.some((item) => valuesEqual(item, value))) {
      items.push(cloneValue(value));
      changed = true;
    }
  }
  return changed ? put(target, items) : false;
}

function pullMatcher(condition: unknown): (element: unknown) => boolean {
  if (condition instanceof RegExp) return (e) => typeof e === 'string' && condition.test(e);
  if (isPlainObject(condition)) {
    const first = Object.keys(condition)[0];
    if (first !== undefined && first.startsWith('$') && !['$and', '$or', '$nor'].includes(first)) {
      // A condition on the element itself, e.g. { $gte: 6 } or { $in: [...] }.
      const query = compileFilter({ element: condition });
      return (e) => query.test({ element: e });
    }
    // A query on element documents: extra fields in the element do not prevent a match.
    const query = compileFilter(condition);
    return (e) => isPlainObject(e) && query.test(e);
  }
  return (e) => valuesEqual(e, condition);
}

function removeWhere(target: Target, op: string, matches: (element: unknown) => boolean): boolean {
  const existing = arrayAt(target, op);
  if (!existing) return false;
  const kept = existing.filter((e) => !matches(e));
  return kept.length === existing.length ? false : put(target, kept);
}

/** Operators keyed by name; `$rename` and `$setOnInsert` are handled by the caller. */
export const OPERATORS: Record<string, OperatorFn> = {
  $set: (target, arg) => {
    const value = current(target);
    return value !== undefined && valuesEqual(value, arg) ? false : put(target, cloneValue(arg));
  },
  $unset: (target) => {
    const { parent, key } = target;
    if (Array.isArray(parent)) {
      // MongoDB keeps array positions stable: an unset element becomes null.
      return (key as number) < parent.length && parent[key as number] !== null ? put(target, null) : false;
    }
    if (!(key in parent)) return false;
    delete parent[key as string];
    return true;
  },
  $inc: arithmetic('$inc', (a, b) => a + b),
  $mul: arithmetic('$mul', (a, b) => a * b),
  $min: extremum(true),
  $max: extremum(false),
  $currentDate: (target, arg) => {
    if (isPlainObject(arg) && arg.$type !== 'date') {
      throw new ReadStoreWriteError(ErrorCode.BadValue, "$currentDate supports only { $type: 'date' } in the read store");
    }
    return put(target, new Date());
  },
  $push: push,
  $addToSet: addToSet,
  $pop: (target, arg) => {
    if (arg !== 1 && arg !== -1) throw new ReadStoreWriteError(ErrorCode.FailedToParse, '$pop expects 1 or -1');
    const existing = arrayAt(target, '$pop');
    if (!existing || existing.length === 0) return false;
    return put(target, arg === 1 ? existing.slice(0, -1) : existing.slice(1));
  },
  $pull: (target, arg) => removeWhere(target, '$pull', pullMatcher(arg)),
  $pullAll: (target, arg) => {
    if (!Array.isArray(arg)) throw new ReadStoreWriteError(ErrorCode.BadValue, '$pullAll requires an array argument');
    return removeWhere(target, '$pullAll', (e) => arg.some((v) => valuesEqual(e, v)));
  },
};

/** Operators that create missing fields (and intermediate documents) on their path. */
export const CREATING_OPERATORS = new Set([
  '$set', '$setOnInsert', '$inc', '$mul', '$min', '$max', '$currentDate', '$push', '$addToSet',
]);
