/**
 * Index declarations and unique-index enforcement.
 *
 * Unique keys follow MongoDB: a missing field is indexed as null (so two documents without
 * the field collide, as with a non-sparse unique index), and an array field contributes one
 * key per element. How declared indexes (unique or not) narrow queries is query-index.ts.
 */
import type { IndexSpec } from '../read-store.port';
import { EMPTY_ARRAY_KEY, pathValues } from './bson-order';
import { keyOf, type PlainObject } from './codec';
import { ErrorCode, ReadStoreWriteError } from './write-error';

/** An index as stored: its name is always filled in. */
export interface IndexDefinition {
  readonly name: string;
  readonly key: Readonly<Record<string, 1 | -1>>;
  readonly unique: boolean;
}

/** Fills in MongoDB's default name (`field_1_other_-1`) and checks the key. */
export function normalizeIndex(spec: IndexSpec): IndexDefinition {
  const fields = Object.keys(spec.key ?? {});
  if (fields.length === 0) throw new ReadStoreWriteError(ErrorCode.BadValue, 'Index keys cannot be empty.');
  for (const field of fields) {
    const direction = spec.key[field];
    if (direction !== 1 && direction !== -1) {
      throw new ReadStoreWriteError(ErrorCode.BadValue, `Index key direction must be 1 or -1 in the read store: ${field}`);
    }
  }
  const name = spec.name ?? fields.map((f) => `${f}_${spec.key[f]}`).join('_');
  return { name, key: { ...spec.key }, unique: spec.unique === true };
}

function sameKey(a: IndexDefinition, b: IndexDefinition): boolean {
  const ka = Object.entries(a.key);
  const kb = Object.entries(b.key);
  return ka.length === kb.length && ka.every(([f, d], i) => kb[i][0] === f && kb[i][1] === d);
}

/**
 * Decides whether `wanted` is new, already present, or conflicts with an existing index
 * (MongoDB errors IndexOptionsConflict / IndexKeySpecsConflict).
 */
export function reconcileIndex(existing: readonly IndexDefinition[], wanted: IndexDefinition): 'new' | 'exists' {
  for (const index of existing) {
    const keyMatch = sameKey(index, wanted);
    if (index.name === wanted.name) {
      if (keyMatch && index.unique === wanted.unique) return 'exists';
      throw new ReadStoreWriteError(
        keyMatch ? ErrorCode.IndexOptionsConflict : ErrorCode.IndexKeySpecsConflict,
        `An existing index has the same name as the requested index but different options: ${wanted.name}`,
      );
    }
    if (keyMatch) {
      throw new ReadStoreWriteError(ErrorCode.IndexOptionsConflict, `Index already exists with a different name: ${index.name}`);
    }
  }
  return 'new';
}

const EMPTY_ARRAY_TEXT = '\u0000[]';

/** The index keys of a document: one text per combination of its fields' values. */
export function indexKeys(doc: PlainObject, index: IndexDefinition): string[] {
  let tuples: string[] = [''];
  let first = true;
  for (const path of Object.keys(index.key)) {
    const texts = new Set(pathValues(doc, path.split('.')).map((v) => (v === EMPTY_ARRAY_KEY ? EMPTY_ARRAY_TEXT : keyOf(v))));
    const next: string[] = [];
    for (const tuple of tuples) for (const text of texts) next.push(first ? text : `${tuple}\u0001${text}`);
    tuples = next;
    first = false;
  }
  return tuples;
}

/** Renders the key of a duplicate for DuplicateKeyError, like MongoDB's `dup key: {...}`. */
export function duplicateKeyOf(doc: PlainObject, index: IndexDefinition): PlainObject {
  const key: PlainObject = {};
  for (const path of Object.keys(index.key)) {
    const values = pathValues(doc, path.split('.'));
    key[path] = values.length === 1 ? (values[0] === EMPTY_ARRAY_KEY ? [] : values[0]) : values;
  }
  return key;
}

/** Which document (by `_id` key) owns each key of a unique index, over committed documents. */
export class UniqueIndex {
  private readonly owners = new Map<string, string>();

  constructor(readonly definition: IndexDefinition) {}

  ownerOf(key: string): string | undefined {
    return this.owners.get(key);
  }

  /** Adds a document's keys; returns a key another document already owns, if any. */
  add(docKey: string, doc: PlainObject): string | undefined {
    const keys = indexKeys(doc, this.definition);
    for (const key of keys) {
      const owner = this.owners.get(key);
      if (owner !== undefined && owner !== docKey) return key;
    }
    for (const key of keys) this.owners.set(key, docKey);
    return undefined;
  }

  remove(docKey: string, doc: PlainObject): void {
    for (const key of indexKeys(doc, this.definition)) {
      if (this.owners.get(key) === docKey) this.owners.delete(key);
    }
  }
}
