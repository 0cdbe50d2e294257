/**
 * The committed in-memory mirror of one collection: its documents by `_id` key in natural
 * (insertion) order, its unique indexes, and the query indexes that narrow filters to
 * candidates. Only the store's commit path changes it.
 */
import type { PlainObject } from './codec';
import { UniqueIndex, type IndexDefinition } from './indexes';
import { bucketFields, QueryIndex, rangeField, type Probe } from './query-index';

/** Anything queries can run against: the mirror, or a transaction's view of it. */
export interface DocumentSource {
  /** The document with this `_id` key (see codec.keyOf), not a copy. */
  get(key: string): PlainObject | undefined;
  /** All documents in natural order, not copies. */
  list(): PlainObject[];
  /**
   * Documents that may match `filter`, in natural order, not copies: a superset of the
   * matches, which the caller still tests (all documents when no index narrows the filter).
   */
  candidates(filter: PlainObject): PlainObject[];
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
}

export class CollectionState implements DocumentSource {
  /** Documents keyed by `keyOf(_id)`; Map order is the natural order. */
  readonly docs = new Map<string, PlainObject>();
  private uniques: UniqueIndex[] = [];
  private queryIndexes: QueryIndex[] = [];
  /** The natural-order position the next inserted (or re-inserted) document gets. */
  private nextPosition = 0;

  constructor(readonly name: string) {}

  get(key: string): PlainObject | undefined {
    return this.docs.get(key);
  }

  list(): PlainObject[] {
    return Array.from(this.docs.values());
  }

  candidates(filter: PlainObject): PlainObject[] {
    const lookup = this.lookup(filter);
    if (!lookup) return this.list();
    return lookup.index.collect(lookup.probe).docs;
  }

  /** The query index that narrows `filter` most, if one narrows it enough to beat a scan. */
  lookup(filter: PlainObject): IndexLookup | undefined {
    let best: IndexLookup | undefined;
    let fewest = this.docs.size * MAX_CANDIDATE_SHARE;
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
   * Builds the query index of a declared index over the current documents, unless it would
   * bucket by no field or by the same fields as one already built.
   */
  addQueryIndex(definition: IndexDefinition): void {
    const fields = bucketFields(definition);
    const same = (index: QueryIndex) => index.fields.length === fields.length && index.fields.every((f, i) => f === fields[i]);
    if (fields.length === 0 || this.queryIndexes.some(same)) return;
    const index = new QueryIndex(fields, rangeField(definition));
    for (const [key, doc] of this.docs) index.add(key, doc, this.nextPosition++);
    this.queryIndexes = [...this.queryIndexes, index];
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
    for (const [key, doc] of this.docs) {
      if (index.add(key, doc) !== undefined) return { duplicateOf: key };
    }
    return index;
  }

  attachUniqueIndex(index: UniqueIndex): void {
    this.uniques = [...this.uniques, index];
  }

  /** Applies committed changes; called only after SQLite has committed them. */
  apply(changes: ReadonlyMap<string, Change>): void {
    if (this.uniques.length > 0) {
      // Release keys first so a key moving between documents in one transaction is not lost.
      for (const key of changes.keys()) {
        const old = this.docs.get(key);
        if (old) for (const index of this.uniques) index.remove(key, old);
      }
    }
    for (const [key, change] of changes) {
      const before = this.docs.get(key);
      if (change.doc === null || change.reinserted) this.docs.delete(key);
      if (change.doc !== null) this.docs.set(key, change.doc);
      if (this.queryIndexes.length > 0) this.reindex(key, before, change);
    }
    if (this.uniques.length > 0) {
      for (const [key, change] of changes) {
        if (change.doc !== null) for (const index of this.uniques) index.add(key, change.doc);
      }
    }
  }

  /** Keeps the query indexes in step with one applied change, positions following `docs`' order. */
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
