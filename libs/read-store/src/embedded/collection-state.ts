/**
 * The committed in-memory mirror of one collection: its documents by `_id` key in natural
 * (insertion) order, and its unique indexes. Only the store's commit path changes it.
 */
import type { PlainObject } from './codec';
import { UniqueIndex, type IndexDefinition } from './indexes';

/** Anything queries can run against: the mirror, or a transaction's view of it. */
export interface DocumentSource {
  /** The document with this `_id` key (see codec.keyOf), not a copy. */
  get(key: string): PlainObject | undefined;
  /** All documents in natural order, not copies. */
  list(): PlainObject[];
}

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

  constructor(readonly name: string) {}

  get(key: string): PlainObject | undefined {
    return this.docs.get(key);
  }

  list(): PlainObject[] {
    return Array.from(this.docs.values());
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
      if (change.doc === null || change.reinserted) this.docs.delete(key);
      if (change.doc !== null) this.docs.set(key, change.doc);
    }
    if (this.uniques.length > 0) {
      for (const [key, change] of changes) {
        if (change.doc !== null) for (const index of this.uniques) index.add(key, change.doc);
      }
    }
  }
}
