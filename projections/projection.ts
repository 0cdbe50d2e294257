import type { EventMetadata } from '../libs/event-store/src/event-store.port';
import type { IndexSpec } from '../libs/read-store/src/read-store.port';
import type { JourneyEvent } from '../libs/domain/src/events';
import type { Cell } from './analytics/cells';

/** An event as projections see it: upcast to the current shape, with where it sits in the log. */
export type ProjectedEvent = JourneyEvent & {
  id: string;
  streamId: string;
  revision: bigint;
  position: bigint;
  metadata: EventMetadata;
};

/**
 * A projection that keeps one document per key (Emmett's shape): a pure
 * `evolve(document | null, event) -> document | null`. The projector owns all I/O: it loads
 * the document, calls evolve, and writes the result together with the checkpoint.
 */
export interface DocumentProjection<D extends { _id: string }> {
  /** Stable name; the checkpoint is stored under it. */
  readonly name: string;
  /** Bumped when the document shape or meaning changes, so the projection is rebuilt. */
  readonly version: number;
  readonly collection: string;
  readonly indexes: readonly IndexSpec[];
  /** The document an event belongs to, or undefined when the projection ignores it. */
  documentId(event: ProjectedEvent): string | undefined;
  /**
   * Whether `event` needs the earlier events of its stream, its history: a correction folds
   * the journey again from them. The projector then reads them from the event store and hands
   * them to evolve, so documents need not carry their own history. Pure.
   */
  needsHistory?(event: ProjectedEvent): boolean;
  /**
   * The new document; null deletes it. Must be pure and deterministic. `history` is the
   * stream's events before `event`, in order, given when needsHistory(event) says so.
   */
  evolve(document: D | null, event: ProjectedEvent, history?: readonly ProjectedEvent[]): D | null;
  /**
   * For an aggregating projection: the cells a document contributes to the cube kept in the
   * same collection (projections/analytics/cells.ts). Pure. The projector adds the change in
   * a document's cells to the stored cells, in the same transaction as the document.
   */
  cellsOf?(document: D): Cell[];
}

/**
 * A global position as documents store it: 40 decimal digits, zero-padded, so that string
 * order is numeric order on every backend (MongoDB compares strings, not bigints) and no
 * position, however large (EventStoreDB packs two 64-bit numbers), is rounded as a JS number.
 */
export function sortablePosition(position: bigint): string {
  return position.toString().padStart(40, '0');
}

/**
 * Folds one document's events in order from nothing, each event given the events before it
 * when it needs its history: how a projection is replayed outside the projector (as-at
 * states, replays, tests). Returns the document after each event.
 */
export function foldDocument<D extends { _id: string }>(projection: Pick<DocumentProjection<D>, 'evolve' | 'needsHistory'>, events: readonly ProjectedEvent[]): Array<D | null> {
  const states: Array<D | null> = [];
  let document: D | null = null;
  events.forEach((event, i) => {
    document = projection.evolve(document, event, projection.needsHistory?.(event) ? events.slice(0, i) : undefined);
    states.push(document);
  });
  return states;
}
