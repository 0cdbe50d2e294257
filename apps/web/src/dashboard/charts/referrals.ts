import { formatNumber } from '../../shared/format';
import { barNotes, barOption, categoryTable, lineOption, type CategoryFigures } from '../chart-options';
import type { Filters } from '../filters';
import { DIMENSIONS, valueLabel, type Dimension } from '../labels';
import { reportRequest, type ChartDefinition, type Drawing } from '../chart-definition';
import { dimValue, rowsFor, type Report, type ReportRow } from '../report';
import { emptyDrawing, forSelection, latestSentence, nothingToDraw, periodAxisName, span, valuesOverTime } from './over-time';

/** How many nationalities the nationality chart shows: the rest are left out, never lumped into "other". */
export const TOP_NATIONALITIES = 8;

interface BreakdownSpec {
  name: string;
  dimension: Dimension;
  title: string;
  description: string;
  chart: 'line' | 'bar';
  /** The values to draw, when not all of them. */
  choose?(rows: readonly ReportRow[]): { values: string[]; note: string };
}

/** Referrals over time, a series per value of one dimension (rows of `by=<dimension>`). */
function breakdown(spec: BreakdownSpec): ChartDefinition {
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    request: (filters) => reportRequest('/analytics/referrals', filters, { by: [spec.dimension] }),
    draw(report: Report, filters: Filters): Drawing {
      const rows = rowsFor(report, filters);
      const chosen = spec.choose?.(rows);
      const figures: CategoryFigures = {
        ...valuesOverTime(rows, spec.dimension, 'referrals', 'count', chosen?.values),
        kind: 'count', valueName: 'Referrals', categoryName: periodAxisName(filters, 'of referral'),
      };
      const by = DIMENSIONS[spec.dimension].toLowerCase();
      const caption = `Referrals by ${by}${forSelection(filters)}, ${span(figures.categories)}`;
      const summary = `${spec.chart === 'line' ? 'Line' : 'Bar'} chart: referrals by ${by}${forSelection(filters)}, by ${filters.period}, ${span(figures.categories)}. ${latestSentence(figures, (v) => formatNumber(v, 'count'))} The figures are in the table below.`;
      if (nothingToDraw(figures)) return emptyDrawing(figures, caption, summary);
      const option = spec.chart === 'line' ? lineOption(figures, { valueMin: 0 }) : barOption(figures);
      const notes = [...(chosen ? [chosen.note] : []), ...(spec.chart === 'bar' ? barNotes(figures) : [])];
      return { figure: { kind: 'echarts', option }, table: categoryTable(figures, caption), summary, notes };
    },
  };
}

export const referralsByType = breakdown({
  name: 'referrals-by-type',
  dimension: 'exploitationType',
  title: 'Referrals by exploitation type',
  description: 'Referrals into the NRM (first referrals and re-referrals) by type of exploitation. Someone exploited in several ways counts under each type, so the lines add up to more than all referrals.',
  chart: 'line',
});

export const byNationality = breakdown({
  name: 'nationality',
  dimension: 'nationality',
  title: 'Referrals by nationality',
  description: `Referrals for the nationalities (up to ${TOP_NATIONALITIES}) with the largest published figures.`,
  chart: 'line',
  choose: topNationalities,
});

export const byAgeGroup = breakdown({
  name: 'age-group',
  dimension: 'ageGroup',
  title: 'Referrals by age group',
  description: 'Referrals of adults and children (age at exploitation).',
  chart: 'bar',
});

export const byGender = breakdown({
  name: 'gender',
  dimension: 'gender',
  title: 'Referrals by gender',
  description: 'Referrals by gender as recorded at identification.',
  chart: 'bar',
});

/**
 * The nationalities with the largest single published figure in any period. Ranked on
 * published figures only, and the others are simply not drawn: an "other" group would have
 * to be worked out from withheld figures.
 */
function topNationalities(rows: readonly ReportRow[]): { values: string[]; note: string } {
  const all = [...new Set(rows.map((row) => dimValue(row, 'nationality')).filter((n): n is string => n !== undefined))];
  // Few enough to draw them all (one, when restricted to a nationality): no ranking needed.
  if (all.length <= TOP_NATIONALITIES) return { values: all.sort(), note: 'Every nationality in this selection is shown.' };
  const largest = new Map<string, number>();
  for (const row of rows) {
    const nationality = dimValue(row, 'nationality');
    const referrals = row.values.referrals;
    if (nationality === undefined || referrals === null || referrals === undefined || row.suppressed.includes('referrals')) continue;
    largest.set(nationality, Math.max(largest.get(nationality) ?? 0, referrals));
  }
  const ranked = [...largest].filter(([, n]) => n > 0)
    .sort(([a, x], [b, y]) => y - x || valueLabel('nationality', a).localeCompare(valueLabel('nationality', b)))
    .slice(0, TOP_NATIONALITIES)
    .map(([nationality]) => nationality);
  const others = new Set(rows.map((row) => dimValue(row, 'nationality')).filter((n) => n !== undefined && !ranked.includes(n))).size;
  const note = others === 0
    ? 'Every nationality with a published figure is shown; the others have only withheld figures.'
    : `The ${ranked.length} nationalities with the largest published figure in any one period; ${others} others are not drawn, and there is no "other" line, since it would have to be worked out from withheld figures. The CSV has them all.`;
  return { values: ranked, note };
}
