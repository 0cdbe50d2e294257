/**
 * Walks personal details leaf by leaf, so that each string is sealed (or opened) on its own,
 * under its own path. Generic over the shape, so a field added to PersonalDetails is sealed
 * without a change here; anything but strings and plain objects is refused rather than
 * stored in the clear.
 */
import type { PersonalDetails } from '../../domain/src/events';
import { PersonalDataShapeError } from './errors';
import type { SealedField } from './sealed-fields';

/** The shape of T with every string replaced by its sealed form. */
export type Sealed<T> = { [K in keyof T]: T[K] extends string | undefined ? SealedField | Extract<T[K], undefined> : Sealed<T[K]> };

/** PersonalDetails as stored in events: same shape, every present leaf sealed. */
export type SealedPersonalDetails = Sealed<PersonalDetails>;

/** Called with each present leaf's dotted path (`contact.email`) and value; returns its replacement. */
export type LeafMapper = (fieldPath: string, value: string) => string;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

/**
 * A copy of `details` with every leaf replaced by `leaf(path, value)`; undefined fields are
 * left out.
 * @throws PersonalDataShapeError naming the path (never the value) of anything else.
 */
export function mapLeaves(details: unknown, leaf: LeafMapper, prefix = ''): Record<string, unknown> {
  if (!isPlainObject(details)) throw new PersonalDataShapeError(prefix || '(personal details)', kindOf(details));
  const entries: [string, unknown][] = [];
  for (const [name, value] of Object.entries(details)) {
    // A dot or NUL in a name would let two different fields share a path, and so an AAD.
    if (name.includes('.') || name.includes('\u0000')) throw new PersonalDataShapeError(`${prefix}(a field name with '.' or NUL)`, 'name');
    const path = prefix ? `${prefix}.${name}` : name;
    if (value === undefined) continue;
    if (typeof value === 'string') entries.push([name, leaf(path, value)]);
    else if (isPlainObject(value)) entries.push([name, mapLeaves(value, leaf, path)]);
    else throw new PersonalDataShapeError(path, kindOf(value));
  }
  return Object.fromEntries(entries); // fromEntries defines own properties: a '__proto__' key stays data
}

/** Paths of every present leaf, in walk order. */
export function leafPaths(details: unknown): string[] {
  const paths: string[] = [];
  mapLeaves(details, (path) => {
    paths.push(path);
    return '';
  });
  return paths;
}
