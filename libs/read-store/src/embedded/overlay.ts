/**
 * A transaction's pending writes to one collection, layered over the committed mirror.
 * Reads through the overlay see the transaction's own writes; nothing reaches the mirror or
 * SQLite until the store commits the overlay as a whole.
 */
import { DuplicateKeyError } from '../read-store.port';
import type { PlainObject } from './codec';
import type { Change, CollectionState, DocumentSource } from './collection-state';
import { duplicateKeyOf, indexKeys } from './indexes';
import { sortByPosition, type Candidates } from './query-index';

export class CollectionOverlay implements DocumentSource {
  /** Pending changes by `_id` key, in the order they must be applied. */
  readonly changes = new Map<string, Change>();
  /** The transaction wrote a document, so the collection exists once it commits. */
  created = false;
  /** Per unique index: index key -> `_id` keys of overlay documents holding it. */
  private readonly pendingKeys: Map<string, Set<string>>[];

  constructor(readonly base: CollectionState) {
    this.pendingKeys = base.uniqueIndexes.map(() => new Map());
  }

  get name(): string {
    return this.base.name;
  }

  get(key: string): PlainObject | undefined {
    const change = this.changes.get(key);
    return change ? (change.doc ?? undefined) : this.base.get(key);
  }

  list(): PlainObject[] {
    if (this.changes.size === 0) return this.base.list();
    const out: PlainObject[] = [];
    for (const [key, doc] of this.base.docs) {
      const change = this.changes.get(key);
      if (!change) out.push(doc);
      else if (change.doc && !change.reinserted) out.push(change.doc);
    }
    for (const [key, change] of this.changes) {
      if (change.doc && (change.reinserted || !this.base.docs.has(key))) out.push(change.doc);
    }
    return out;
  }

  /**
   * The base's candidates with the transaction's changes laid over them, in the order list()
   * gives: documents changed in place keep their base position, inserted and re-inserted ones
   * follow in the order they were written.
   */
  candidates(filter: PlainObject): PlainObject[] {
    if (this.changes.size === 0) return this.base.candidates(filter);
    const lookup = this.base.lookup(filter);
    if (!lookup) return this.list();
    const { index, probe } = lookup;
    // Base documents the transaction changed: what they are now comes from `changes`.
    const changed = new Set<PlainObject>();
    const inPlace: Candidates = { docs: [], positions: [] };
    const appended: PlainObject[] = [];
    for (const [key, change] of this.changes) {
      const before = this.base.docs.get(key);
      if (before) changed.add(before);
      if (!change.doc || !index.admits(probe, change.doc)) continue;
      if (before && !change.reinserted) {
        inPlace.docs.push(change.doc);
        inPlace.positions.push(index.positionOf(key, before)!);
      } else {
        appended.push(change.doc);
      }
    }
    const base = index.collect(probe);
    const kept: Candidates = { docs: [], positions: [] };
    base.docs.forEach((doc, i) => {
      if (changed.has(doc)) return;
      kept.docs.push(doc);
      kept.positions.push(base.positions[i]);
    });
    if (inPlace.docs.length === 0) return [...kept.docs, ...appended];
    const ordered = sortByPosition([...kept.docs, ...inPlace.docs], [...kept.positions, ...inPlace.positions]);
    return [...ordered.docs, ...appended];
  }

  /** Throws DuplicateKeyError if `doc` would share a unique index key with another document. */
  assertUnique(key: string, doc: PlainObject): void {
    this.base.uniqueIndexes.forEach((index, i) => {
      for (const indexKey of indexKeys(doc, index.definition)) {
        const owner = index.ownerOf(indexKey);
        const holders = this.pendingKeys[i].get(indexKey);
        const ownerStillHolds = owner !== undefined && owner !== key && this.holds(owner, i, indexKey);
        const otherHolder = holders !== undefined && [...holders].some((h) => h !== key);
        if (ownerStillHolds || otherHolder) {
          throw new DuplicateKeyError(this.name, duplicateKeyOf(doc, index.definition));
        }
      }
    });
  }

  private holds(owner: string, index: number, indexKey: string): boolean {
    const change = this.changes.get(owner);
    if (!change) return true;
    return change.indexKeys?.[index].includes(indexKey) ?? false;
  }

  /** Records an insert of a key the transaction's view does not contain. */
  insert(key: string, doc: PlainObject): void {
    this.created = true;
    this.forget(key);
    this.changes.delete(key); // moves a re-insert to the end of the natural order
    this.record(key, { doc, reinserted: this.base.docs.has(key) });
  }

  /** Records a new version of a document the view contains. */
  replace(key: string, doc: PlainObject): void {
    const change = this.changes.get(key);
    this.forget(key);
    if (change) {
      change.doc = doc;
      this.record(key, change);
    } else {
      this.record(key, { doc, reinserted: false });
    }
  }

  remove(key: string): void {
    this.forget(key);
    if (this.base.docs.has(key)) this.record(key, { doc: null, reinserted: false });
    else this.changes.delete(key);
  }

  private record(key: string, change: Change): void {
    if (change.doc && this.pendingKeys.length > 0) {
      const doc = change.doc;
      change.indexKeys = this.base.uniqueIndexes.map((index) => indexKeys(doc, index.definition));
      change.indexKeys.forEach((keys, i) => {
        for (const indexKey of keys) {
          const holders = this.pendingKeys[i].get(indexKey) ?? new Set<string>();
          holders.add(key);
          this.pendingKeys[i].set(indexKey, holders);
        }
      });
    } else {
      change.indexKeys = this.pendingKeys.map(() => []);
    }
    this.changes.set(key, change);
  }

  private forget(key: string): void {
    const keys = this.changes.get(key)?.indexKeys;
    keys?.forEach((list, i) => list.forEach((indexKey) => this.pendingKeys[i].get(indexKey)?.delete(key)));
  }
}
