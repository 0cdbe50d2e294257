import type { FigureKind } from '../../shared/format';
import { anythingDrawn, categoryTable, type CategoryFigures } from '../chart-options';
import type { Filters } from '../filters';
import { filterLabel, valueLabel } from '../labels';
import type { Drawing } from '../chart-definition';
import { dimValue, figure, isFiltered, periodsOf, type ReportRow } from '../report';

/** The category axis of a chart over time, named for the period. */
export function periodAxisName(filters: Filters, of: string): string {
  return `${filters.period === 'month' ? 'Month' : filters.period === 'quarter' ? 'Quarter' : 'Year'} ${of}`;
}

/** Several measures of one row per period, a series per measure. */
export function measuresOverTime(rows: readonly ReportRow[], measures: ReadonlyArray<{ measure: string; name: string }>, kind: FigureKind): Pick<CategoryFigures, 'categories' | 'series'> {
  const categories = periodsOf(rows);
  const byPeriod = new Map(rows.map((row) => [row.period, row]));
  return {
    categories,
    series: measures.map(({ measure, name }) => ({ name, cells: categories.map((period) => figure(byPeriod.get(period), measure, kind)) })),
  };
}

/**
 * One measure over time, a series per value of `dimension` (only `values` when given). A
 * value with no row in a period has no figure there ("–"), which is not the same as zero.
 */
export function valuesOverTime(rows: readonly ReportRow[], dimension: string, measure: string, kind: FigureKind, values?: readonly string[]): Pick<CategoryFigures, 'categories' | 'series'> {
  const categories = periodsOf(rows);
  const keys = values ?? [...new Set(rows.map((row) => dimValue(row, dimension)).filter((v): v is string => v !== undefined))].sort();
  const index = new Map(rows.map((row) => [`${row.period}\u0000${dimValue(row, dimension)}`, row]));
  return {
    categories,
    series: keys.map((value) => ({
      name: valueLabel(dimension, value),
      cells: categories.map((period) => figure(index.get(`${period}\u0000${value}`), measure, kind)),
    })),
  };
}

/** " for Nationality: Albania (AL)" when the dashboard is restricted to a value, else nothing. */
export function forSelection(filters: Filters): string {
  return isFiltered(filters) ? ` for ${filterLabel(filters.dimension, filters.value)}` : '';
}

/** "2021 to 2026": the span of the categories drawn. */
export function span(categories: readonly string[]): string {
  if (!categories.length) return 'no periods';
  return categories.length === 1 ? categories[0] : `${categories[0]} to ${categories[categories.length - 1]}`;
}

/** A drawing with nothing to show, when no row matched. */
export function emptyDrawing(figures: CategoryFigures, caption: string, summary: string): Drawing {
  return { figure: { kind: 'table' }, table: categoryTable(figures, caption), summary, empty: true };
}

/** True when the figures have no categories or nothing at all published or recorded. */
export function nothingToDraw(figures: CategoryFigures): boolean {
  return figures.categories.length === 0 || figures.series.length === 0;
}

/**
 * A sentence on the latest period's figures for the chart's accessible name, e.g.
 * "In 2026: Median 9, 90th percentile 50." Withheld figures are read as "suppressed".
 */
export function latestSentence(figures: CategoryFigures, format: (value: number) => string): string {
  const last = figures.categories.length - 1;
  if (last < 0 || !anythingDrawn(figures)) return 'No figure is published.';
  const parts = figures.series.map((s) => {
    const c = s.cells[last];
    return `${s.name} ${c.suppressed ? 'suppressed' : c.value === null ? 'no figure' : format(c.value)}`;
  });
  return `In ${figures.categories[last]}: ${parts.join(', ')}.`;
}
