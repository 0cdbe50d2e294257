import type { CalendarDate } from '../../../../libs/domain/src/calendar/calendar-date';
import { addCounters, Counters, flattenCounters, groupFlattened, GroupedRow, Period } from '../../../../projections/analytics/aggregate';
import type { Cell, StoredCell } from '../../../../projections/analytics/cells';
import type { Dimension } from '../../../../projections/analytics/dimensions';
import { suppress } from './disclosure';

/**
 * A published figure. Counts are suppressed from 1 to threshold-1 (zero stays zero);
 * statistics (rates, medians, percentiles, averages) when fewer than `threshold` people or
 * items stand behind them (`base`), or when a count they were computed from (`dependsOn`)
 * is suppressed, since the statistic times its base would give the count back.
 */
export type Measure =
  | { kind: 'count'; value: number }
  | { kind: 'statistic'; value: number | null; base: number; dependsOn?: string[] };

export interface ReportDefinition {
  measures(counters: Counters): Record<string, Measure>;
  /** Counts of one row that add up to another of its counts (exits by reason to exits): protected together. */
  additive?: ReadonlyArray<{ total: string; parts: readonly string[] }>;
}

export interface ReportOptions {
  period: Period;
  by: Dimension[];
  threshold: number;
  dateOf?: (cell: Cell | StoredCell) => CalendarDate;
}

export interface ReportRow {
  period?: string;
  dims: Partial<Record<Dimension, string | null>>;
  values: Record<string, number | null>;
  /** The measures of this row withheld by disclosure control (their values are null). */
  suppressed: string[];
}

export interface Report {
  threshold: number;
  period: Period;
  by: Dimension[];
  /** One per period and combination of `by` values. */
  rows: ReportRow[];
  /** One per period, over every value of `by` (a journey counts once, whatever its exploitation types). */
  periodTotals: ReportRow[];
  total: ReportRow;
  [extra: string]: unknown;
}

/** A row as measured, before disclosure control. */
export interface MeasuredRow {
  period?: string;
  dims: Partial<Record<Dimension, string | null>>;
  measures: Record<string, Measure>;
}

/** Groups cells into rows, period totals and a grand total, measures them, and applies disclosure control. */
export function buildReport(cells: Iterable<Cell | StoredCell>, definition: ReportDefinition, options: ReportOptions): Report {
  const all = [...cells];
  const flat = all.map((cell) => flattenCounters(cell.counters as Record<string, unknown>));
  const measure = (row: GroupedRow): MeasuredRow => ({ period: row.period, dims: row.dims, measures: definition.measures(row.counters) });
  const rows = groupFlattened(all, flat, { period: options.period, by: options.by, dateOf: options.dateOf }).map(measure);
  const periodTotals = groupFlattened(all, flat, { period: options.period, by: [], dateOf: options.dateOf }).map(measure);
  const totalCounters = flat.reduce((sum, counters) => addCounters(sum, counters), {} as Counters);
  const total: MeasuredRow = { dims: {}, measures: definition.measures(totalCounters) };
  const published = suppress({ rows, periodTotals, total }, options.threshold, definition.additive ?? []);
  return { threshold: options.threshold, period: options.period, by: options.by, ...published };
}

/** A fraction rounded to 4 decimals, or null without a denominator. */
export function rate(numerator: number, denominator: number): number | null {
  return denominator > 0 ? Math.round((numerator / denominator) * 10_000) / 10_000 : null;
}
