import type { CalendarDate } from '../../libs/domain/src/calendar/calendar-date';
import type { Cell, StoredCell } from './cells';
import { Dimension, dimensionValues } from './dimensions';

/**
 * Reading the cube: cells grouped by period and the dimensions asked for, their counters
 * summed, histograms merged. Pure: the query handlers load cells and call these.
 */
export type Period = 'month' | 'quarter' | 'year';
export const PERIODS: readonly Period[] = ['month', 'quarter', 'year'];
export type Counters = Record<string, number>;

/** '2024-01', '2024-Q1' or '2024'. */
export function periodOf(date: CalendarDate, period: Period): string {
  const year = date.slice(0, 4);
  if (period === 'year') return year;
  if (period === 'month') return date.slice(0, 7);
  return `${year}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

/** Stored counters (nested where histograms are) as flat `name` / `name.value` keys. */
export function flattenCounters(stored: Record<string, unknown>): Counters {
  return flattenInto({}, stored, '');
}

function flattenInto(flat: Counters, stored: Record<string, unknown>, prefix: string): Counters {
  for (const name in stored) {
    const value = stored[name];
    if (typeof value === 'number') flat[prefix + name] = value;
    else if (value && typeof value === 'object') flattenInto(flat, value as Record<string, unknown>, `${prefix}${name}.`);
  }
  return flat;
}

export function addCounters(into: Counters, from: Counters): Counters {
  for (const name in from) into[name] = (into[name] ?? 0) + from[name];
  return into;
}

/** A histogram kept as `name.value` counters: [value, count] pairs by value, without empty ones. */
export function histogramOf(counters: Counters, name: string): Array<[number, number]> {
  const prefix = `${name}.`;
  return Object.entries(counters)
    .filter(([key, count]) => key.startsWith(prefix) && count > 0)
    .map(([key, count]): [number, number] => [Number(key.slice(prefix.length)), count])
    .sort((a, b) => a[0] - b[0]);
}

export const histogramSize = (histogram: Array<[number, number]>) => histogram.reduce((sum, [, n]) => sum + n, 0);

/** The value at 1-based rank `rank` of a histogram. */
function valueAtRank(histogram: Array<[number, number]>, rank: number): number {
  let seen = 0;
  for (const [value, count] of histogram) {
    seen += count;
    if (seen >= rank) return value;
  }
  return histogram[histogram.length - 1][0];
}

/** The median: the middle value, or the mean of the two middle values. Null when empty. */
export function median(histogram: Array<[number, number]>): number | null {
  const n = histogramSize(histogram);
  if (n === 0) return null;
  return n % 2 === 1 ? valueAtRank(histogram, (n + 1) / 2) : (valueAtRank(histogram, n / 2) + valueAtRank(histogram, n / 2 + 1)) / 2;
}

/** The p-th percentile by the nearest-rank method (the value at rank ⌈p/100 · n⌉). Null when empty. */
export function percentile(histogram: Array<[number, number]>, p: number): number | null {
  const n = histogramSize(histogram);
  if (n === 0) return null;
  return valueAtRank(histogram, Math.max(1, Math.ceil((p / 100) * n)));
}

export interface GroupedRow {
  period: string;
  dims: Partial<Record<Dimension, string | null>>;
  counters: Counters;
}

export interface GroupOptions {
  period: Period;
  by: readonly Dimension[];
  /** The date a cell is counted by; default its own `date`. */
  dateOf?: (cell: Cell | StoredCell) => CalendarDate;
}

/**
 * Groups cells into rows, one per period and combination of dimension values, sorted. A
 * cell with several exploitation types adds to each type's row when `by` has
 * exploitationType.
 */
export function groupCells(cells: Iterable<Cell | StoredCell>, options: GroupOptions): GroupedRow[] {
  const all = [...cells];
  return groupFlattened(all, all.map((cell) => flattenCounters(cell.counters as Record<string, unknown>)), options);
}

/**
 * groupCells over counters already flattened (`counters[i]` are `cells[i]`'s): a report
 * groups the same cells more than once, and flattening them is most of the work.
 */
export function groupFlattened(cells: ReadonlyArray<Cell | StoredCell>, counters: readonly Counters[], options: GroupOptions): GroupedRow[] {
  const rows = new Map<string, GroupedRow>();
  const dateOf = options.dateOf ?? ((c: Cell | StoredCell) => c.date);
  cells.forEach((cell, i) => {
    const period = periodOf(dateOf(cell), options.period);
    for (const dims of combinations(cell, options.by)) {
      const key = JSON.stringify([period, ...options.by.map((d) => dims[d])]);
      let row = rows.get(key);
      if (!row) rows.set(key, (row = { period, dims, counters: {} }));
      addCounters(row.counters, counters[i]);
    }
  });
  return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

function combinations(cell: Cell | StoredCell, by: readonly Dimension[]): Array<Partial<Record<Dimension, string | null>>> {
  let result: Array<Partial<Record<Dimension, string | null>>> = [{}];
  for (const dimension of by) {
    const values = dimensionValues(cell.dims, dimension);
    result = result.flatMap((partial) => values.map((value) => ({ ...partial, [dimension]: value })));
  }
  return result;
}
