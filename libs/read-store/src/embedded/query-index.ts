/**
 * In-memory indexes that narrow a query to the documents that can match it.
 *
 * A QueryIndex buckets a collection's documents by the values of a few top-level fields. It
 * only answers "which documents could match": queries still test every candidate with mingo,
 * so an index makes a query faster but never changes its result. What keeps that true:
 * - A document is bucketed under a field's value only when the value is a string, a finite
 *   number or a boolean. An array goes to the ANY bucket, which every lookup includes: it
 *   matches `field: v` through any of its elements. Anything else (missing, null, an object,
 *   a Date, NaN, ±Infinity, a RegExp) goes to the NONE bucket, which no lookup includes:
 *   equality with such a scalar never matches it. (The analytics collection keeps journey
 *   documents, which have no `kind`, beside its cells: a cells query must not test them.)
 * - A filter pins a field only by equality with such a scalar (`field: v`, `{ $eq: v }`,
 *   `{ $in: [v, ...] }`), at its top level or in a top-level `$and`: conditions every match
 *   must meet. Whatever else the filter says only removes more documents.
 * - Bucket keys carry the value's type, so the number 1 and the string '1' never share one,
 *   while 1 and 1.0 (the same JS number) do, as MongoDB equality wants.
 * Each document sits in exactly one bucket per index, with its position in the natural order,
 * so candidates gathered from several buckets come back in the order a scan gives them.
 * Buckets hold `_id` keys, not documents: the collection keeps its documents as text
 * (collection-state.ts), and a bucket of objects would keep every one of them alive.
 *
 * An index may also have a range field (see rangeField: the trailing key of a compound index,
 * a date in practice, possibly a path into an embedded document). Inside each bucket, documents
 * are grouped by that field's value when it is a string or a finite number, and the rest
 * (missing, null, arrays, Dates, booleans, NaN, a path through an array ...) sit apart and are
 * always candidates, as the ANY bucket is. When a filter pins every bucket field, its
 * conditions on the range field (`$gt`, `$gte`, `$lt`, `$lte`, `$eq`, `$in`, plain equality, at
 * its top level or in a top-level `$and`) keep only the groups whose value meets them all; a
 * top-level `$or` of such conditions (or of equality with null, which no group meets) keeps
 * the groups meeting any branch. That is exact for a scalar: a range only matches values of its bound's type
 * (strings with strings, numbers with numbers), compared as mingo compares them (strings by
 * UTF-16 code unit; where MongoDB's code-point order disagrees, a value either order admits is
 * kept), and each of those conditions binds the value itself. An array is the one value a
 * condition can match through another element, and arrays are always candidates. Conditions
 * with a bound of any other type, or of mixed types, do not narrow. A range probe goes through
 * the distinct values of each pinned bucket (a few thousand dates at most), then puts the
 * groups it keeps back in natural order.
 */
import { compareStrings } from './bson-order';
import { isPlainObject, type PlainObject } from './codec';
import type { IndexDefinition } from './indexes';

/** The bucket of documents whose value cannot be bucketed by equality (see the module comment). */
const ANY = '*';
/** The bucket of documents whose value no equality with a bucketable scalar can match (see the module comment). */
const NONE = '-';

/** A range field's value when it can be grouped: a string or a finite number (-0 as 0). */
type RangeValue = string | number;

/** A document in a bucket (keyed by its `_id` key); an update in place keeps the slot's place in its bucket. */
interface Slot {
  /** Position in the collection's natural order. */
  readonly position: number;
  /** The group the document is in, by its range field's value (undefined: ungroupable, or no range field). */
  value: RangeValue | undefined;
}

/** The documents of one bucket. */
class Leaf {
  /** Every document of the bucket by `_id` key, mostly in natural order (see collect). */
  readonly slots = new Map<string, Slot>();
  /** With a range field: the same documents by its value, then by `_id` key (in no set order). */
  readonly groups = new Map<RangeValue, Map<string, Slot>>();
  /** With a range field: the documents no range condition can leave out (see the module comment). */
  readonly others = new Map<string, Slot>();

  get size(): number {
    return this.slots.size;
  }
}

/** One level of the tree: bucket key of this level's field -> the next level, or a Leaf after the last field. */
type Branch = Map<string, Branch | Leaf>;

type RangeOperator = '$gt' | '$gte' | '$lt' | '$lte';

interface Bound {
  readonly op: RangeOperator;
  readonly value: RangeValue;
  /**
   * A string with a code unit at or above U+D800: there mingo's order (UTF-16 code units) and
   * MongoDB's (code points, bson-order.ts) can disagree, so a value passes if either order lets it.
   */
  readonly wide: boolean;
}

/** What a filter allows of a range field's value, for values that can be grouped: all of these conditions. */
export interface Range {
  /** The type every bound has: values of the other type never match. Absent: either type. */
  readonly type?: 'string' | 'number';
  /** The values equality conditions allow (all of them in common); any value when absent. */
  readonly values?: readonly RangeValue[];
  /** Comparisons the value must pass, every one of them. */
  readonly bounds: readonly Bound[];
}

/** What a filter pins of an index. */
export interface Probe {
  /** Per pinned field (a prefix of the index's fields), the bucket keys a match can be in. */
  readonly keys: readonly (readonly string[])[];
  /**
   * Only when every field is pinned: what the filter allows of the range field, a value
   * meeting any one of these ranges (more than one only from a top-level `$or`).
   */
  readonly range?: readonly Range[];
}

/** Documents' `_id` keys with their natural-order positions, in that order. */
export interface Candidates {
  keys: string[];
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
  return scalarKey(value) ?? (Array.isArray(value) ? ANY : NONE);
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

function rangeValue(value: unknown): RangeValue | undefined {
  if (typeof value === 'string') return value;
  return typeof value === 'number' && Number.isFinite(value) ? value + 0 : undefined; // -0 + 0 is 0
}

/** Every condition `filter` puts on `field`, at its top level and in top-level `$and`s: a match meets them all. */
function fieldConditions(filter: PlainObject, field: string, out: unknown[] = []): unknown[] {
  if (Object.hasOwn(filter, field)) out.push(filter[field]);
  if (Array.isArray(filter.$and)) {
    for (const part of filter.$and) if (isPlainObject(part)) fieldConditions(part, field, out);
  }
  return out;
}

const RANGE_OPERATORS: ReadonlySet<string> = new Set(['$gt', '$gte', '$lt', '$lte']);
const WIDE = /[\uD800-\uFFFF]/;

/**
 * What the conditions `filter` puts on `field` together allow of its value, or undefined when
 * they do not narrow it: no usable condition, or one whose bound is not a string or finite
 * number, or bounds of both types. Operators other than comparisons and equality only remove
 * more documents, so they are ignored.
 */
function allOf(filter: PlainObject, field: string): Range | undefined {
  let type: 'string' | 'number' | undefined;
  let values: Set<RangeValue> | undefined;
  const bounds: Bound[] = [];
  /** Whether `bound` is usable, and of the same type as the others. */
  const typed = (bound: unknown): bound is RangeValue => {
    if (rangeValue(bound) === undefined) return false;
    const t = typeof bound as 'string' | 'number';
    if (type !== undefined && type !== t) return false;
    type = t;
    return true;
  };
  const allow = (allowed: RangeValue[]) => {
    const next = new Set(allowed.map((v) => rangeValue(v)!));
    values = values === undefined ? next : new Set([...values].filter((v) => next.has(v)));
  };
  for (const condition of fieldConditions(filter, field)) {
    if (!isPlainObject(condition)) {
      if (!typed(condition)) return undefined;
      allow([condition]);
      continue;
    }
    const operators = Object.keys(condition);
    if (operators.length === 0 || operators.some((op) => !op.startsWith('$'))) return undefined; // equality with a document
    for (const op of operators) {
      const bound = condition[op];
      if (RANGE_OPERATORS.has(op)) {
        if (!typed(bound)) return undefined;
        bounds.push({ op: op as RangeOperator, value: bound, wide: typeof bound === 'string' && WIDE.test(bound) });
      } else if (op === '$eq') {
        if (!typed(bound)) return undefined;
        allow([bound]);
      } else if (op === '$in') {
        if (!Array.isArray(bound) || !bound.every(typed)) return undefined;
        allow(bound);
      }
    }
  }
  if (values === undefined && bounds.length === 0) return undefined;
  // `$in: []` alone allows no value, whatever its type.
  return { type: type ?? 'string', bounds, ...(values ? { values: [...values] } : {}) };
}

/** A range no grouped value meets (equality with null, or bounds of two types at once). */
const NOTHING: Range = { bounds: [], values: [] };

/**
 * What one branch of an `$or` allows of `field`, when the branch is a condition on `field`
 * alone: its range, or NOTHING for equality with null (which only missing and null values
 * meet, and those are never grouped). Undefined when the branch does not narrow.
 */
function branchRange(branch: unknown, field: string): readonly Range[] | undefined {
  if (!isPlainObject(branch) || Object.keys(branch).length !== 1 || !Object.hasOwn(branch, field)) return undefined;
  const condition = branch[field];
  if (condition === null || (isPlainObject(condition) && Object.keys(condition).length === 1 && condition.$eq === null)) return [NOTHING];
  return rangeOf(branch, field);
}

/** The `$or`s every match must meet: at the top level and in top-level `$and`s. */
function topLevelOrs(filter: PlainObject, out: unknown[][] = []): unknown[][] {
  if (Array.isArray(filter.$or)) out.push(filter.$or);
  if (Array.isArray(filter.$and)) {
    for (const part of filter.$and) if (isPlainObject(part)) topLevelOrs(part, out);
  }
  return out;
}

/** Values meeting both ranges. */
function both(a: Range, b: Range): Range {
  if (a.type !== undefined && b.type !== undefined && a.type !== b.type) return NOTHING;
  const values = a.values && b.values ? a.values.filter((v) => b.values!.includes(v)) : (a.values ?? b.values);
  const type = a.type ?? b.type;
  return { ...(type ? { type } : {}), bounds: [...a.bounds, ...b.bounds], ...(values ? { values } : {}) };
}

/**
 * What `filter` allows of `field`'s value, as ranges a value must meet one of, or undefined
 * when nothing in it narrows the field. The conditions on the field itself (allOf) hold
 * together; a top-level `$or` narrows too when each of its branches is a condition on the
 * field alone that narrows it (e.g. `$or: [{ end: null }, { end: { $gt: d } }]`): a match
 * then meets one of them. Any other `$or` only removes more documents, so it is ignored.
 */
function rangeOf(filter: PlainObject, field: string): readonly Range[] | undefined {
  const own = allOf(filter, field);
  let ranges: readonly Range[] | undefined = own && [own];
  for (const branches of topLevelOrs(filter)) {
    const allowed = branches.map((branch) => branchRange(branch, field));
    if (allowed.length === 0 || allowed.some((r) => r === undefined)) continue;
    const union = (allowed as Array<readonly Range[]>).flat();
    ranges = ranges ? ranges.flatMap((r) => union.map((u) => both(r, u))) : union;
  }
  return ranges;
}

function holds(op: RangeOperator, order: number): boolean {
  switch (op) {
    case '$gt':
      return order > 0;
    case '$gte':
      return order >= 0;
    case '$lt':
      return order < 0;
    case '$lte':
      return order <= 0;
  }
}

/** Whether a grouped value meets `range`. */
function inRange(range: Range, value: RangeValue): boolean {
  if ((range.type !== undefined && typeof value !== range.type) || (range.values && !range.values.includes(value))) return false;
  for (const bound of range.bounds) {
    // mingo compares same-type values with `<` and `>` (strings by UTF-16 code unit).
    const order = value < bound.value ? -1 : value > bound.value ? 1 : 0;
    if (holds(bound.op, order)) continue;
    if (!bound.wide || !holds(bound.op, compareStrings(value as string, bound.value as string))) return false;
  }
  return true;
}

/** Whether a grouped value meets one of `ranges`. */
function inAny(ranges: readonly Range[], value: RangeValue): boolean {
  return ranges.some((range) => inRange(range, value));
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

/**
 * The key bucketFields leaves out of a non-unique compound index, when the index buckets by
 * all the others: range conditions on it narrow a pinned bucket. It may be a dotted path into
 * embedded documents (`extra.endsOn`). Not `_id` or a path into it: it has a value per
 * document, and the `_id` map answers lookups by it.
 */
export function rangeField(definition: IndexDefinition): string | undefined {
  const keys = Object.keys(definition.key);
  if (definition.unique || keys.length < 2) return undefined;
  const last = keys[keys.length - 1];
  if (last.split('.')[0] === '_id' || bucketFields(definition).length !== keys.length - 1) return undefined;
  return last;
}

/**
 * The value at a path of plain objects, or undefined when the path goes through anything else
 * (an array, whose elements a condition may match through, or a scalar): such a document is
 * one no range condition can leave out.
 */
function valueAt(doc: PlainObject, path: readonly string[]): unknown {
  let value: unknown = doc;
  for (const segment of path) {
    if (!isPlainObject(value)) return undefined;
    value = value[segment];
  }
  return value;
}

/** Puts items (keys, documents) gathered from several buckets, or moved between them, back in natural order. */
export function sortByPosition<T>(items: T[], positions: number[]): { items: T[]; positions: number[] } {
  const order = positions.map((_, i) => i).sort((a, b) => positions[a] - positions[b]);
  return { items: order.map((i) => items[i]), positions: order.map((i) => positions[i]) };
}

export class QueryIndex {
  private readonly root: Branch = new Map();
  /** The range field split at its dots. */
  private readonly rangePath?: readonly string[];

  /**
   * @param fields top-level field names, at least one (see bucketFields).
   * @param rangeField a field (or dotted path) not among them, whose range conditions narrow a pinned bucket (see rangeField).
   */
  constructor(
    readonly fields: readonly string[],
    readonly rangeField?: string,
  ) {
    this.rangePath = rangeField?.split('.');
  }

  /** What `filter` pins of this index's fields, a prefix of at least the first; undefined if not the first. */
  probe(filter: PlainObject): Probe | undefined {
    const keys: string[][] = [];
    for (const field of this.fields) {
      const pinned = pinnedKeys(filter, field);
      if (!pinned) break;
      keys.push(pinned);
    }
    if (keys.length === 0) return undefined;
    if (this.rangeField === undefined || keys.length < this.fields.length) return { keys };
    const range = rangeOf(filter, this.rangeField);
    return range ? { keys, range } : { keys };
  }

  /** How many documents `probe` leaves as candidates. */
  count(probe: Probe): number {
    let total = 0;
    this.visit(this.root, 0, probe.keys, (leaf) => {
      if (!probe.range) total += leaf.size;
      else this.select(leaf, probe.range, (slots) => (total += slots.size));
    });
    return total;
  }

  /**
   * The candidates of `probe`, in natural order. A bucket is in that order unless a document
   * moved into it (an update changing an indexed field): it then sits at the end of its new
   * bucket. Range groups are in no set order.
   */
  collect(probe: Probe): Candidates {
    const keys: string[] = [];
    const positions: number[] = [];
    let sorted = true;
    const gather = (slots: Map<string, Slot>) => {
      for (const [key, slot] of slots) {
        if (positions.length > 0 && slot.position < positions[positions.length - 1]) sorted = false;
        keys.push(key);
        positions.push(slot.position);
      }
    };
    this.visit(this.root, 0, probe.keys, (leaf) => {
      if (!probe.range) gather(leaf.slots);
      else this.select(leaf, probe.range, gather);
    });
    if (sorted) return { keys, positions };
    const ordered = sortByPosition(keys, positions);
    return { keys: ordered.items, positions: ordered.positions };
  }

  /**
   * Every document's `_id` key in the order of a sort by this index's bucket field then its
   * range field, both ascending, ties in natural order: or undefined unless the index has one
   * bucket field and a range field and every document holds a string in both. (A sort puts
   * missing values, other types and arrays by BSON rules this does not follow: those are left
   * to the general sort.) Lets a sorted page be read without reading every document.
   */
  orderedKeys(): string[] | undefined {
    if (this.fields.length !== 1 || this.rangeField === undefined) return undefined;
    const buckets: Array<[string, Leaf]> = [];
    for (const [bucket, child] of this.root) {
      const leaf = child as Leaf;
      if (!bucket.startsWith('s') || leaf.others.size > 0) return undefined;
      buckets.push([bucket.slice(1), leaf]);
    }
    buckets.sort(([a], [b]) => compareStrings(a, b));
    const keys: string[] = [];
    for (const [, leaf] of buckets) {
      const groups = [...leaf.groups];
      if (groups.some(([value]) => typeof value !== 'string')) return undefined;
      groups.sort(([a], [b]) => compareStrings(a as string, b as string));
      for (const [, group] of groups) {
        const slots = [...group].sort(([, a], [, b]) => a.position - b.position);
        for (const [key] of slots) keys.push(key);
      }
    }
    return keys;
  }

  /** Whether `doc` is in a bucket `probe` selects: the same test, for documents not in the index. */
  admits(probe: Probe, doc: PlainObject): boolean {
    const inBuckets = probe.keys.every((keys, i) => {
      const bucket = bucketKey(doc[this.fields[i]]);
      return bucket === ANY || keys.includes(bucket);
    });
    if (!inBuckets || !probe.range) return inBuckets;
    const value = this.rangeValueOf(doc);
    return value === undefined || inAny(probe.range, value);
  }

  /** The position of the document with this key, given its indexed content. */
  positionOf(key: string, doc: PlainObject): number | undefined {
    return this.leafOf(doc, false)?.slots.get(key)?.position;
  }

  add(key: string, doc: PlainObject, position: number): void {
    this.place(this.leafOf(doc, true)!, key, { position, value: this.rangeValueOf(doc) });
  }

  remove(key: string, doc: PlainObject): void {
    this.removeFrom(this.root, 0, key, doc);
  }

  /**
   * An update in place keeps its position, and its place in its bucket unless it changes
   * bucket; a new range value only moves it to another group of the same bucket.
   */
  update(key: string, before: PlainObject, after: PlainObject): void {
    const leaf = this.leafOf(before, false)!;
    const slot = leaf.slots.get(key)!;
    const value = this.rangeValueOf(after);
    if (this.fields.every((field) => bucketKey(before[field]) === bucketKey(after[field]))) {
      if (value === slot.value) return;
      this.ungroup(leaf, key, slot);
      slot.value = value;
      this.group(leaf, key, slot);
      return;
    }
    this.remove(key, before);
    slot.value = value;
    this.place(this.leafOf(after, true)!, key, slot);
  }

  private rangeValueOf(doc: PlainObject): RangeValue | undefined {
    return this.rangePath === undefined ? undefined : rangeValue(valueAt(doc, this.rangePath));
  }

  private place(leaf: Leaf, key: string, slot: Slot): void {
    leaf.slots.set(key, slot);
    this.group(leaf, key, slot);
  }

  private group(leaf: Leaf, key: string, slot: Slot): void {
    if (this.rangeField === undefined) return;
    if (slot.value === undefined) {
      leaf.others.set(key, slot);
      return;
    }
    let group = leaf.groups.get(slot.value);
    if (!group) leaf.groups.set(slot.value, (group = new Map()));
    group.set(key, slot);
  }

  /** Takes the slot out of its group, and drops the group if it is left empty. */
  private ungroup(leaf: Leaf, key: string, slot: Slot): void {
    if (this.rangeField === undefined) return;
    if (slot.value === undefined) {
      leaf.others.delete(key);
      return;
    }
    const group = leaf.groups.get(slot.value);
    group?.delete(key);
    if (group?.size === 0) leaf.groups.delete(slot.value);
  }

  /** Hands `each` the groups of `leaf` whose documents may meet one of `ranges`. */
  private select(leaf: Leaf, ranges: readonly Range[], each: (slots: Map<string, Slot>) => void): void {
    if (leaf.others.size > 0) each(leaf.others);
    if (ranges.every((range) => range.values)) {
      // Equalities only: look up the values they allow rather than go through every group.
      for (const value of new Set(ranges.flatMap((range) => range.values!))) {
        const group = leaf.groups.get(value);
        if (group && inAny(ranges, value)) each(group);
      }
      return;
    }
    for (const [value, group] of leaf.groups) if (inAny(ranges, value)) each(group);
  }

  private leafOf(doc: PlainObject, create: boolean): Leaf | undefined {
    let node: Branch | Leaf = this.root;
    for (let depth = 0; depth < this.fields.length; depth++) {
      const bucket = bucketKey(doc[this.fields[depth]]);
      let next: Branch | Leaf | undefined = (node as Branch).get(bucket);
      if (!next) {
        if (!create) return undefined;
        (node as Branch).set(bucket, (next = depth === this.fields.length - 1 ? new Leaf() : new Map()));
      }
      node = next;
    }
    return node as Leaf;
  }

  /** Removes the document, and buckets left empty so values that come and go do not pile up. */
  private removeFrom(node: Branch | Leaf, depth: number, key: string, doc: PlainObject): void {
    if (depth === this.fields.length) {
      const leaf = node as Leaf;
      const slot = leaf.slots.get(key);
      if (!slot) return;
      leaf.slots.delete(key);
      this.ungroup(leaf, key, slot);
      return;
    }
    const bucket = bucketKey(doc[this.fields[depth]]);
    const branch = node as Branch;
    const child = branch.get(bucket);
    if (!child) return;
    this.removeFrom(child, depth + 1, key, doc);
    if (child.size === 0) branch.delete(bucket);
  }

  private visit(node: Branch | Leaf, depth: number, keys: Probe['keys'], each: (leaf: Leaf) => void): void {
    if (depth === this.fields.length) {
      each(node as Leaf);
      return;
    }
    const branch = node as Branch;
    if (depth >= keys.length) {
      for (const child of branch.values()) this.visit(child, depth + 1, keys, each);
      return;
    }
    for (const bucket of [...keys[depth], ANY]) {
      const child = branch.get(bucket);
      if (child) this.visit(child, depth + 1, keys, each);
    }
  }
}
