/**
 * Resolves the dotted paths of update operators to the places they write, with MongoDB's rules:
 * creating operators build missing intermediate documents (and pad arrays with null), refuse
 * to descend into a scalar, and `$` / `$[]` address array elements.
 */
import { isPlainObject, type PlainObject } from './codec';
import { ErrorCode, ReadStoreWriteError } from './write-error';

export type Container = PlainObject | unknown[];

/** One place an operator writes: `parent[key]`, where `key` is an index for arrays. */
export interface Target {
  parent: Container;
  key: string | number;
  /** The full path with positional segments resolved, for error messages. */
  path: string;
}

/** Finds the array index the `$` positional operator stands for. */
export type PositionalResolver = (arrayPath: string, array: unknown[]) => number;

const INDEX = /^(0|[1-9]\d*)$/;

export function isContainer(value: unknown): value is Container {
  return Array.isArray(value) || isPlainObject(value);
}

export function splitPath(path: string): string[] {
  const segments = path.split('.');
  if (path === '' || segments.some((s) => s === '')) {
    throw new ReadStoreWriteError(ErrorCode.BadValue, `The update path '${path}' contains an empty field name, which is not allowed.`);
  }
  return segments;
}

export function readChild(container: Container, key: string | number): unknown {
  return Array.isArray(container) ? container[key as number] : container[key as string];
}

export function writeChild(container: Container, key: string | number, value: unknown): void {
  if (Array.isArray(container)) {
    const index = key as number;
    while (container.length < index) container.push(null);
    container[index] = value;
  } else {
    container[key as string] = value;
  }
}

function describe(value: unknown): string {
  return value instanceof Date ? value.toISOString() : JSON.stringify(value);
}

/**
 * Returns the places `path` addresses in `doc`. With `create`, missing intermediate
 * documents are added; without it a missing or scalar step yields no target (as `$unset`,
 * `$pull` and `$pop` ignore paths that do not exist).
 */
export function resolveTargets(
  doc: PlainObject,
  path: string,
  create: boolean,
  positional: PositionalResolver,
  segments: readonly string[] = splitPath(path),
): Target[] {
  const plain = plainTarget(doc, path, segments, create);
  if (plain) return [plain];
  const targets: Target[] = [];

  const visit = (current: Container, i: number, prefix: string): void => {
    const segment = segments[i];
    const last = i === segments.length - 1;
    if (segment === '$' || segment === '$[]') {
      if (!Array.isArray(current)) {
        throw new ReadStoreWriteError(
          ErrorCode.BadValue,
          `The path '${prefix}' must exist in the document in order to apply array updates.`,
        );
      }
      const indexes = segment === '$' ? [positional(prefix, current)] : current.map((_, index) => index);
      for (const index of indexes) step(current, index, i, last, `${prefix}.${index}`);
      return;
    }
    if (segment.startsWith('$[')) {
      throw new ReadStoreWriteError(
        ErrorCode.BadValue,
        `No array filter found for identifier in path '${path}' (arrayFilters are not part of the read-store port).`,
      );
    }
    const here = prefix === '' ? segment : `${prefix}.${segment}`;
    if (Array.isArray(current)) {
      if (!INDEX.test(segment)) {
        if (!create) return;
        throw new ReadStoreWriteError(
          ErrorCode.PathNotViable,
          `Cannot create field '${segment}' in element {${prefix}: ${describe(current)}}`,
        );
      }
      step(current, Number(segment), i, last, here);
    } else {
      step(current, segment, i, last, here);
    }
  };

  const step = (current: Container, key: string | number, i: number, last: boolean, here: string): void => {
    if (last) {
      targets.push({ parent: current, key, path: here });
      return;
    }
    let next = readChild(current, key);
    if (next === undefined) {
      if (!create) return;
      next = {};
      writeChild(current, key, next);
    } else if (!isContainer(next)) {
      if (!create) return;
      throw new ReadStoreWriteError(
        ErrorCode.PathNotViable,
        `Cannot create field '${segments[i + 1]}' in element {${String(key)}: ${describe(next)}}`,
      );
    }
    visit(next as Container, i + 1, here);
  };

  visit(doc, 0, '');
  return targets;
}

/**
 * The common case, without the general walk's bookkeeping: a path of field names (no `$`
 * segments) through plain objects only, creating missing ones when `create`. Returns undefined
 * wherever the general walk has a rule to apply (an array, a scalar in the way, a positional
 * segment, nothing to create); it then walks again from the top and finds what this one
 * created, exactly what it would have created itself.
 */
function plainTarget(doc: PlainObject, path: string, segments: readonly string[], create: boolean): Target | undefined {
  let current: PlainObject = doc;
  const last = segments.length - 1;
  for (let i = 0; i < last; i++) {
    const segment = segments[i];
    if (segment.charCodeAt(0) === 36 /* $ */) return undefined;
    let next = current[segment];
    if (next === undefined) {
      if (!create) return undefined;
      next = current[segment] = {};
    } else if (!isPlainObject(next)) {
      return undefined;
    }
    current = next as PlainObject;
  }
  if (segments[last].charCodeAt(0) === 36 /* $ */) return undefined;
  return { parent: current, key: segments[last], path };
}

/** Reads a dotted path through plain objects only (for `$rename`, which refuses arrays). */
export function readPlainPath(doc: PlainObject, path: string): { parent: PlainObject; key: string } | null {
  const segments = splitPath(path);
  let current: unknown = doc;
  for (let i = 0; i < segments.length - 1; i++) {
    current = isPlainObject(current) ? current[segments[i]] : undefined;
    if (Array.isArray(current)) {
      throw new ReadStoreWriteError(ErrorCode.BadValue, `The source field cannot be an array element, '${path}' in doc`);
    }
    if (!isPlainObject(current)) return null;
  }
  const parent = current as PlainObject;
  const key = segments[segments.length - 1];
  return key in parent ? { parent, key } : null;
}
