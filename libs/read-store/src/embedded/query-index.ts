/**
 * In-memory indexes that narrow a query to the documents that can match it.
 *
 * A QueryIndex buckets a collection's documents by the values of a few top-level fields. It
 * only answers "which documents could match": queries still test every candidate with mingo,
 * so an index makes a query faster but never changes its result. What keeps that true:
 * - A document is bucketed under a field's value only when the value is a string, a finite
 *   number or a boolean. Anything else (missing, null, an array, an object, a Date, NaN ...)
 *   goes to the ANY bucket, which every lookup includes: an array matches `field: v` through
 *   any of its elements, and the rest is rare enough not to be worth finer buckets.
 * - A filter pins a field only by equality with such a scalar (`field: v`, `{ $eq: v }`,
 *   `{ $in: [v, ...] }`), at its top level or in a top-level `$and`: conditions every match
 *   must meet. Whatever else the filter says only removes more documents.
 * - Bucket keys carry the value's type, so the number 1 and the string '1' never share one,
 *   while 1 and 1.0 (the same JS number) do, as MongoDB equality wants.
 * Each document sits in exactly one bucket per index, with its position in the natural order,
 * so candidates gathered from several buckets come back in the order a scan gives them. A
 * bucket holds the documents themselves, not just their `_id` keys: a million lookups in the
 * collection's `_id` map cost more than the query they would narrow.
 */
import { isPlainObject, type PlainObject } from './codec';
import type { IndexDefinition } from './indexes';

/** The bucket of documents whose value cannot be bucketed by equality (see the module comment). */
const ANY = '*';

/** A document in a bucket; an update in place changes `doc` and keeps the slot's place in its bucket. */
interface Slot {
  doc: PlainObject;
  /** Position in the collection's natural order. */
  readonly position: number;
}

/** Documents of one bucket by `_id` key, mostly in natural order (see collect). */
type Leaf = Map<string, Slot>;
/** One level of the tree: bucket key of this level's field -> the next level, or a Leaf after the last field. */
type Branch = Map<string, Branch | Leaf>;

/** Per pinned field (a prefix of the index's fields), the bucket keys a match can be in. */
export type Probe = readonly (readonly string[])[];

/** Documents with their natural-order positions, in that order. */
export interface Candidates {
  docs: PlainObject[];
  positions: number[];
}

/** The bucket key of a scalar, typed so values of different types never share one. */
function scalarKey(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return `s${value}`;
    case 'number':
      return Number.isFinite(value) ? `n${value}` : undefined; // `${-0}` is '0', as MongoDB equates them
    case 'boolean':
      return value ? 'bt' : 'bf';
    default:
      return undefined;
  }
}

function bucketKey(value: unknown): string {
  return scalarKey(value) ?? ANY;
}

/** The bucket keys an equality condition allows, or undefined when it is not one we can use. */
function conditionKeys(condition: unknown): string[] | undefined {
  const key = scalarKey(condition);
  if (key !== undefined) return [key];
  if (!isPlainObject(condition)) return undefined;
  const operators = Object.keys(condition);
  if (operators.length !== 1) return undefined;
  if (operators[0] === '$eq') {
    const eq = scalarKey(condition.$eq);
    return eq === undefined ? undefined : [eq];
  }
  if (operators[0] === '$in' && Array.isArray(condition.$in)) {
    const keys = condition.$in.map(scalarKey);
    return keys.every((k) => k !== undefined) ? [...new Set(keys as string[])] : undefined;
  }
  return undefined;
}

/** The bucket keys `filter` pins `field` to, looking into top-level `$and`s too. */
function pinnedKeys(filter: PlainObject, field: string): string[] | undefined {
  const keys = Object.hasOwn(filter, field) ? conditionKeys(filter[field]) : undefined;
  if (keys || !Array.isArray(filter.$and)) return keys;
  for (const part of filter.$and) {
    const inner = isPlainObject(part) ? pinnedKeys(part, field) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

/**
 * The fields a declared index buckets by: its leading top-level keys, stopping at a dotted
 * path or `_id` (the `_id` map answers those). A non-unique compound index leaves out its last
 * key: indexes are laid out equality keys first, then a sort or range key (a date, an `_id`)
 * with many values, which would cost a bucket per value while queries rarely pin it.
 */
export function bucketFields(definition: IndexDefinition): string[] {
  const keys = Object.keys(definition.key);
  const used = definition.unique || keys.length === 1 ? keys : keys.slice(0, -1);
  const end = used.findIndex((field) => field.includes('.') || field === '_id');
  return end === -1 ? used : used.slice(0, end);
}

/** Puts documents gathered from several buckets, or moved between them, back in natural order. */
export function sortByPosition(docs: PlainObject[], positions: number[]): Candidates {
  const order = positions.map((_, i) => i).sort((a, b) => positions[a] - positions[b]);
  return { docs: order.map((i) => docs[i]), positions: order.map((i) => positions[i]) };
}

export class QueryIndex {
  private readonly root: Branch = new Map();

  /** @param fields top-level field names, at least one (see bucketFields). */
  constructor(readonly fields: readonly string[]) {}

  /** What `filter` pins of this index's fields, a prefix of at least the first; undefined if not the first. */
  probe(filter: PlainObject): Probe | undefined {
    const probe: string[][] = [];
    for (const field of this.fields) {
      const keys = pinnedKeys(filter, field);
      if (!keys) break;
      probe.push(keys);
    }
    return probe.length > 0 ? probe : undefined;
  }

  /** How many documents `probe` leaves as candidates. */
  count(probe: Probe): number {
    let total = 0;
    this.visit(this.root, 0, probe, (leaf) => (total += leaf.size));
    return total;
  }

  /**
   * The candidates of `probe`, in natural order. A bucket is in that order unless a document
   * moved into it (an update changing an indexed field): it then sits at the end of its new bucket.
   */
  collect(probe: Probe): Candidates {
    const docs: PlainObject[] = [];
    const positions: number[] = [];
    let sorted = true;
    this.visit(this.root, 0, probe, (leaf) => {
      for (const slot of leaf.values()) {
        if (positions.length > 0 && slot.position < positions[positions.length - 1]) sorted = false;
        docs.push(slot.doc);
        positions.push(slot.position);
      }
    });
    return sorted ? { docs, positions } : sortByPosition(docs, positions);
  }

  /** Whether `doc` is in a bucket `probe` selects: the same test, for documents not in the index. */
  admits(probe: Probe, doc: PlainObject): boolean {
    return probe.every((keys, i) => {
      const bucket = bucketKey(doc[this.fields[i]]);
      return bucket === ANY || keys.includes(bucket);
    });
  }

  /** The position of the document with this key, given its indexed content. */
  positionOf(key: string, doc: PlainObject): number | undefined {
    return this.leafOf(doc, false)?.get(key)?.position;
  }

  add(key: string, doc: PlainObject, position: number): void {
    this.leafOf(doc, true)!.set(key, { doc, position });
  }

  remove(key: string, doc: PlainObject): void {
    this.removeFrom(this.root, 0, key, doc);
  }

  /** An update in place keeps its position, and its place in its bucket unless it changes bucket. */
  update(key: string, before: PlainObject, after: PlainObject): void {
    const slot = this.leafOf(before, false)!.get(key)!;
    slot.doc = after;
    if (this.fields.every((field) => bucketKey(before[field]) === bucketKey(after[field]))) return;
    this.remove(key, before);
    this.leafOf(after, true)!.set(key, slot);
  }

  private leafOf(doc: PlainObject, create: boolean): Leaf | undefined {
    let node: Branch | Leaf = this.root;
    for (const field of this.fields) {
      const bucket = bucketKey(doc[field]);
      let next: Branch | Leaf | undefined = (node as Branch).get(bucket);
      if (!next) {
        if (!create) return undefined;
        (node as Branch).set(bucket, (next = new Map()));
      }
      node = next;
    }
    return node as Leaf;
  }

  /** Removes the document, and buckets left empty so values that come and go do not pile up. */
  private removeFrom(node: Branch | Leaf, depth: number, key: string, doc: PlainObject): void {
    if (depth === this.fields.length) {
      node.delete(key);
      return;
    }
    const bucket = bucketKey(doc[this.fields[depth]]);
    const child = (node as Branch).get(bucket);
    if (!child) return;
    this.removeFrom(child, depth + 1, key, doc);
    if (child.size === 0) node.delete(bucket);
  }

  private visit(node: Branch | Leaf, depth: number, probe: Probe, each: (leaf: Leaf) => void): void {
    if (depth === this.fields.length) {
      each(node as Leaf);
      return;
    }
    const branch = node as Branch;
    if (depth >= probe.length) {
      for (const child of branch.values()) this.visit(child, depth + 1, probe, each);
      return;
    }
    for (const bucket of [...probe[depth], ANY]) {
      const child = branch.get(bucket);
      if (child) this.visit(child, depth + 1, probe, each);
    }
  }
}
