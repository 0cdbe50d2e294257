import { cell, type TableCell } from '../shared/data-table';
import type { FigureKind } from '../shared/format';
import type { Filters } from './filters';

/** The shape every /analytics/* report answers with (docs/analytics.md, "The answer"). */
export interface ReportRow {
  period?: string;
  dims: Record<string, string | null>;
  values: Record<string, number | null>;
  /** Measures withheld by disclosure control: their values are null and must show as [c]. */
  suppressed: string[];
}

export interface Report {
  threshold: number;
  period: string;
  by: string[];
  rows: ReportRow[];
  periodTotals: ReportRow[];
  total: ReportRow;
  notes?: string[];
  asOf?: string;
}

/** A figure of a row as a table cell: its value, and whether it was withheld. */
export function figure(row: ReportRow | undefined, measure: string, kind: FigureKind): TableCell {
  if (!row) return cell(null, false, kind);
  return cell(row.values[measure], row.suppressed.includes(measure), kind);
}

/** True when the dashboard is restricted to one value of a dimension. */
export function isFiltered(filters: Filters): filters is Filters & { dimension: string; value: string } {
  return Boolean(filters.dimension && filters.value);
}

/** The same filters over everyone: for a chart the API cannot break down by the chosen dimension. */
export function unrestricted(filters: Filters): Filters {
  return { from: filters.from, to: filters.to, period: filters.period };
}

/**
 * The rows a chart draws from. Restricted to one value, they are the report's rows for that
 * value, as the server published them (each suppressed on its own). Nothing is summed here:
 * adding up published rows would mislead wherever a part is withheld.
 */
export function rowsFor(report: Report, filters: Filters): ReportRow[] {
  if (!isFiltered(filters)) return report.rows;
  return report.rows.filter((row) => row.dims[filters.dimension] === filters.value);
}

/**
 * One row per period for a chart over time without a breakdown of its own: the period totals,
 * or, restricted to a value, that value's row of each period.
 */
export function periodRows(report: Report, filters: Filters): ReportRow[] {
  return isFiltered(filters) ? rowsFor(report, filters) : report.periodTotals;
}

/** The periods the rows cover, in order (period labels sort as text: 2024, 2024-Q1, 2024-01). */
export function periodsOf(rows: readonly ReportRow[]): string[] {
  return [...new Set(rows.map((row) => row.period ?? ''))].filter(Boolean).sort();
}

/** The value a row has in a dimension, or undefined when it has none (a figure not about a referral, say). */
export function dimValue(row: ReportRow, dimension: string): string | undefined {
  return row.dims[dimension] ?? undefined;
}
