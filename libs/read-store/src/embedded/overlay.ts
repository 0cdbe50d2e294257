/**
 * A transaction's pending writes to one collection, layered over its committed state.
 * Reads through the overlay see the transaction's own writes; nothing reaches that state or
 * SQLite until the store commits the overlay as a whole.
 */
import { DuplicateKeyError } from '../read-store.port';
import type { PlainObject } from './codec';
import type { Change, CollectionState, DocumentSource } from './collection-state';
import { duplicateKeyOf, indexKeys } from './indexes';
import { sortByPosition } from './query-index';

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

  count(): number {
    let count = this.base.count();
    for (const [key, change] of this.changes) {
      const inBase = this.base.has(key);
      if (change.doc && !inBase) count++;
      else if (!change.doc && inBase) count--;
    }
    return count;
  }

  list(): PlainObject[] {
    if (this.changes.size === 0) return this.base.list();
    const out: PlainObject[] = [];
    for (const key of this.base.keys()) {
      const change = this.changes.get(key);
      if (!change) out.push(this.base.peek(key)!);
      else if (change.doc && !change.reinserted) out.push(change.doc);
    }
    for (const [key, change] of this.changes) {
      if (change.doc && (change.reinserted || !this.base.has(key))) out.push(change.doc);
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
    const inPlace: { docs: PlainObject[]; positions: number[] } = { docs: [], positions: [] };
    const appended: PlainObject[] = [];
    for (const [key, change] of this.changes) {
      if (!change.doc || !index.admits(probe, change.doc)) continue;
      const before = change.reinserted ? undefined : this.base.get(key);
      if (before) {
        inPlace.docs.push(change.doc);
        inPlace.positions.push(index.positionOf(key, before)!);
      } else {
        appended.push(change.doc);
      }
    }
    // Base documents the transaction changed are what `changes` says they are now.
    const base = index.collect(probe);
    const kept: PlainObject[] = [];
    const keptPositions: number[] = [];
    base.keys.forEach((key, i) => {
      if (this.changes.has(key)) return;
      kept.push(this.base.peek(key)!);
      keptPositions.push(base.positions[i]);
    });
    if (inPlace.docs.length === 0) return [...kept, ...appended];
    const ordered = sortByPosition([...kept, ...inPlace.docs], [...keptPositions, ...inPlace.positions]);
    return [...ordered.items, ...appended];
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
    this.record(key, { doc, reinserted: this.base.has(key) });
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
    if (this.base.has(key)) this.record(key, { doc: null, reinserted: false });
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
