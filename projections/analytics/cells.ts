import { createHash } from 'node:crypto';
import type { CalendarDate } from '../../libs/domain/src/calendar/calendar-date';
import type { CellDimensions } from './dimensions';

/**
 * The analytics read model is a cube of cells. A cell is what one journey contributes to
 * one metric family on one date, under the journey's dimensions: counters (`referrals: 1`)
 * and histogram entries (`'rgWorkingDays.5': 1`, so medians and percentiles stay exact).
 * Journeys with the same family, date, dimensions and `extra` share a stored cell and their
 * counters add up. Every cell a journey contributes is a pure function of its journey
 * document (`cellsOf`), and the projector writes the difference between a journey's cells
 * before and after each batch: so an overturned or corrected decision moves the figures
 * exactly as a fresh replay would, and the cost of an event never depends on how many
 * journeys there are.
 */
export interface Cell {
  /** A roll-up of fine cells (rollups.ts), with its own readable id; absent for a fine cell. */
  level?: 'rollup';
  id?: string;
  /** The metric family: 'referrals', 'decisions', ... */
  family: string;
  /** The date the family counts by (referral date, decision date, exit date ...); a roll-up's month's first day. */
  date: CalendarDate;
  /** Every dimension on a fine cell; none or one on a roll-up. */
  dims: Partial<CellDimensions>;
  /** Further keys of the family (a stage, an end date, a cohort date ...). */
  extra?: Record<string, string | number | boolean | null>;
  /** What the journey adds: counters, and histograms as `name.value` keys. */
  counters: Record<string, number>;
}

/** A stored cell: the keys, and counters summed over the journeys in it. */
export interface StoredCell {
  _id: string;
  kind: 'cell' | 'rollup';
  family: string;
  date: CalendarDate;
  dims: Partial<CellDimensions>;
  extra: Record<string, string | number | boolean | null>;
  counters: Record<string, unknown>;
}

/** Ids already worked out, per cell object: the projector reuses a journey's cells from one batch to the next. */
const knownIds = new WeakMap<object, string>();

/** A stored cell's id: the same keys give the same id on every backend and every run. */
export function cellId(cell: Pick<Cell, 'id' | 'family' | 'date' | 'dims' | 'extra'>): string {
  if (cell.id) return cell.id;
  const known = knownIds.get(cell);
  if (known) return known;
  const keys = JSON.stringify([cell.family, cell.date, sortedEntries(cell.dims), sortedEntries(cell.extra ?? {})]);
  const id = `cell:${cell.family}:${cell.date}:${createHash('sha256').update(keys).digest('base64url').slice(0, 22)}`;
  knownIds.set(cell, id);
  return id;
}

/** What to add to each stored cell when a journey's cells go from `before` to `after`. */
export function cellChanges(before: readonly Cell[], after: readonly Cell[]): Map<string, { cell: Cell; inc: Record<string, number> }> {
  const changes = new Map<string, { cell: Cell; inc: Record<string, number> }>();
  const add = (cell: Cell, sign: 1 | -1) => {
    const id = cellId(cell);
    let change = changes.get(id);
    if (!change) changes.set(id, (change = { cell, inc: {} }));
    const { counters } = cell;
    for (const name in counters) change.inc[name] = (change.inc[name] ?? 0) + sign * counters[name];
  };
  for (const cell of before) add(cell, -1);
  for (const cell of after) add(cell, 1);
  for (const [id, change] of changes) {
    let left = 0;
    for (const name in change.inc) {
      if (change.inc[name] === 0) delete change.inc[name];
      else left++;
    }
    if (left === 0) changes.delete(id);
  }
  return changes;
}

/** Counters as MongoDB's $inc takes them: histogram keys are dotted paths into `counters`. */
export function incrementOf(inc: Record<string, number>): Record<string, number> {
  const increment: Record<string, number> = {};
  for (const name in inc) increment[`counters.${name}`] = inc[name];
  return increment;
}

function sortedEntries(record: object): Array<[string, unknown]> {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
