/**
 * The committed state of one collection: its documents by `_id` key in natural (insertion)
 * order, its unique indexes, and the query indexes that narrow filters to candidates. Only
 * the store's commit path changes it.
 *
 * Documents are held as their stored text (the tagged JSON SQLite has), with a bounded cache
 * of decoded ones. An object tree takes several times the memory of its text, and every
 * object in the heap is traced by each full garbage collection: a read model of a million
 * documents held as objects cost gigabytes, and slowed everything in the process as it grew.
 * Text is a fraction of that and nothing to trace; a document is decoded when read (the
 * recently read and written stay decoded in the cache).
 */
import { decodeDocument, type PlainObject } from './codec';
import { UniqueIndex, type IndexDefinition } from './indexes';
import { bucketFields, QueryIndex, rangeField, type Probe } from './query-index';

/** Anything queries can run against: a collection's committed state, or a transaction's view of it. */
export interface DocumentSource {
  /** The document with this `_id` key (see codec.keyOf), not a copy. */
  get(key: string): PlainObject | undefined;
  /** All documents in natural order, not copies. */
  list(): PlainObject[];
  /** How many documents there are, without reading them. */
  count(): number;
  /**
   * Every document in the order `sort` asks for, when an index gives that order without
   * reading them (see QueryIndex.orderedKeys); undefined otherwise. Not copies.
   */
  ordered?(sort: Record<string, unknown>): Ordered | undefined;
  /**
   * Documents that may match `filter`, in natural order, not copies: a superset of the
   * matches, which the caller still tests (all documents when no index narrows the filter).
   */
  candidates(filter: PlainObject): PlainObject[];
}

/** Documents in a sort's order, read one at a time: a page skips without reading what it skips. */
export interface Ordered {
  readonly length: number;
  /** The i-th document in order, not a copy. */
  at(i: number): PlainObject;
}

/** A query index and what a filter pins of it. */
export interface IndexLookup {
  index: QueryIndex;
  probe: Probe;
}

/**
 * An index is used only when it leaves fewer than this share of the documents: gathering and
 * ordering nearly all of them costs more than the scan it would save.
 */
const MAX_CANDIDATE_SHARE = 0.5;

/** A transaction's pending write to one document. */
export interface Change {
  /** The new document, or null when the transaction deletes it. */
  doc: PlainObject | null;
  /**
   * The document was deleted and inserted again in the same transaction, so it moves to
   * the end of the natural order (as a delete then insert does in MongoDB).
   */
  reinserted: boolean;
  /** The document's keys per unique index, cached for conflict checks. */
  indexKeys?: string[][];
  /** The new document's stored text, set when the transaction commits. */
  text?: string;
}

/** Decoded documents kept per collection by default (READ_STORE_CACHE_DOCUMENTS). */
export const DEFAULT_CACHED_DOCUMENTS = 10_000;

export class CollectionState implements DocumentSource {
  /** Documents' stored text keyed by `keyOf(_id)`; Map order is the natural order. */
  private readonly texts = new Map<string, string>();
  /** Decoded documents, least recently used first. Never changed: writers copy before they change. */
  private readonly decoded = new Map<string, PlainObject>();
  private uniques: UniqueIndex[] = [];
  private queryIndexes: QueryIndex[] = [];
  /** The natural-order position the next inserted (or re-inserted) document gets. */
  private nextPosition = 0;

  constructor(
    readonly name: string,
    private readonly cachedDocuments = DEFAULT_CACHED_DOCUMENTS,
  ) {}

  /** Adds a stored document as it is loaded from the file, in natural order. */
  load(key: string, text: string): void {
    this.texts.set(key, text);
  }

  has(key: string): boolean {
    return this.texts.has(key);
  }

  count(): number {
    return this.texts.size;
  }

  ordered(sort: Record<string, unknown>): Ordered | undefined {
    const fields = Object.keys(sort);
    if (fields.length !== 2 || fields.some((field) => sort[field] !== 1)) return undefined;
    for (const index of this.queryIndexes) {
      if (index.fields.length !== 1 || index.fields[0] !== fields[0] || index.rangeField !== fields[1]) continue;
      const keys = index.orderedKeys();
      return keys && { length: keys.length, at: (i) => this.peek(keys[i])! };
    }
    return undefined;
  }

  /** `_id` keys in natural order. */
  keys(): IterableIterator<string> {
    return this.texts.keys();
  }

  /** The document with this `_id` key, decoded and kept in the cache; not a copy, never to be changed. */
  get(key: string): PlainObject | undefined {
    const cached = this.decoded.get(key);
    if (cached) {
      this.decoded.delete(key); // to the most recently used end
      this.decoded.set(key, cached);
      return cached;
    }
    const text = this.texts.get(key);
    if (text === undefined) return undefined;
    const doc = decodeDocument(text);
    this.remember(key, doc);
    return doc;
  }

  /** Like get, without making it recently used: for scans, which would flush the cache. */
  peek(key: string): PlainObject | undefined {
    const cached = this.decoded.get(key);
    if (cached) return cached;
    const text = this.texts.get(key);
    return text === undefined ? undefined : decodeDocument(text);
  }

  list(): PlainObject[] {
    return Array.from(this.texts.keys(), (key) => this.peek(key)!);
  }

  candidates(filter: PlainObject): PlainObject[] {
    const lookup = this.lookup(filter);
    if (!lookup) return this.list();
    return lookup.index.collect(lookup.probe).keys.map((key) => this.peek(key)!);
  }

  private remember(key: string, doc: PlainObject): void {
    this.decoded.set(key, doc);
    if (this.decoded.size > this.cachedDocuments) this.decoded.delete(this.decoded.keys().next().value!);
  }

  /** The query index that narrows `filter` most, if one narrows it enough to beat a scan. */
  lookup(filter: PlainObject): IndexLookup | undefined {
    let best: IndexLookup | undefined;
    let fewest = this.texts.size * MAX_CANDIDATE_SHARE;
    for (const index of this.queryIndexes) {
      const probe = index.probe(filter);
      if (!probe) continue;
      const count = index.count(probe);
      if (count < fewest) {
        best = { index, probe };
        fewest = count;
      }
    }
    return best;
  }

  /**
   * Builds the query indexes of declared indexes over the current documents, in one pass that
   * decodes each document once, leaving out any that would bucket by no field, or by the same
   * fields and range field as one already built.
   */
  addQueryIndexes(definitions: readonly IndexDefinition[]): void {
    const added: QueryIndex[] = [];
    for (const definition of definitions) {
      const fields = bucketFields(definition);
      const range = rangeField(definition);
      const same = (index: QueryIndex) => index.rangeField === range && index.fields.length === fields.length && index.fields.every((f, i) => f === fields[i]);
      if (fields.length === 0 || [...this.queryIndexes, ...added].some(same)) continue;
      added.push(new QueryIndex(fields, range));
    }
    if (added.length === 0) return;
    for (const key of this.texts.keys()) {
      const doc = this.peek(key)!;
      const position = this.nextPosition++;
      for (const index of added) index.add(key, doc, position);
    }
    this.queryIndexes = [...this.queryIndexes, ...added];
  }

  get uniqueIndexes(): readonly UniqueIndex[] {
    return this.uniques;
  }

  /**
   * Builds a unique index over the current documents. Returns the `_id` key of a document
   * that duplicates another one's key instead when the data already violates it.
   */
  buildUniqueIndex(definition: IndexDefinition): UniqueIndex | { duplicateOf: string } {
    const index = new UniqueIndex(definition);
    for (const key of this.texts.keys()) {
      if (index.add(key, this.peek(key)!) !== undefined) return { duplicateOf: key };
    }
    return index;
  }

  attachUniqueIndex(index: UniqueIndex): void {
    this.uniques = [...this.uniques, index];
  }

  /**
   * Applies committed changes (each with its stored text); called only after SQLite has
   * committed them. The new documents go into the cache: written now, they are read next.
   */
  apply(changes: ReadonlyMap<string, Change>): void {
    const indexed = this.uniques.length > 0 || this.queryIndexes.length > 0;
    // The documents before the change, where an index needs their indexed values.
    const before = new Map<string, PlainObject>();
    if (indexed) {
      for (const key of changes.keys()) {
        const old = this.peek(key);
        if (old) before.set(key, old);
      }
    }
    if (this.uniques.length > 0) {
      // Release keys first so a key moving between documents in one transaction is not lost.
      for (const [key, old] of before) for (const index of this.uniques) index.remove(key, old);
    }
    for (const [key, change] of changes) {
      if (change.doc === null || change.reinserted) {
        this.texts.delete(key);
        this.decoded.delete(key);
      }
      if (change.doc !== null) {
        if (change.text === undefined) throw new Error(`no stored text for ${key} in ${this.name}`);
        this.texts.set(key, change.text);
        this.decoded.delete(key);
        this.remember(key, change.doc);
      }
      if (this.queryIndexes.length > 0) this.reindex(key, before.get(key), change);
    }
    if (this.uniques.length > 0) {
      for (const [key, change] of changes) {
        if (change.doc !== null) for (const index of this.uniques) index.add(key, change.doc);
      }
    }
  }

  /** Keeps the query indexes in step with one applied change, positions following the natural order. */
  private reindex(key: string, before: PlainObject | undefined, change: Change): void {
    if (before && change.doc && !change.reinserted) {
      for (const index of this.queryIndexes) index.update(key, before, change.doc);
      return;
    }
    if (before) for (const index of this.queryIndexes) index.remove(key, before);
    if (change.doc) {
      const position = this.nextPosition++;
      for (const index of this.queryIndexes) index.add(key, change.doc, position);
    }
  }
}
