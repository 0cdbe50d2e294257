import { cell } from '../../shared/data-table';
import { formatNumber } from '../../shared/format';
import { barNotes, barOption, categoryTable, lineOption, PALETTE, TOOLTIP, type CategoryFigures } from '../chart-options';
import type { ChartOption } from '../echarts';
import type { Filters } from '../filters';
import { filterLabel } from '../labels';
import { reportRequest, type ChartDefinition, type Drawing } from '../chart-definition';
import { isFiltered, periodRows, unrestricted, type Report } from '../report';
import { emptyDrawing, forSelection, latestSentence, measuresOverTime, nothingToDraw, periodAxisName, span } from './over-time';

/** The follow-up schedule after exit (DOMAIN.md, "After exit"), in months. */
const MILESTONES = [1, 3, 6, 12, 24] as const;

const afterExit = (filters: Filters) => reportRequest('/analytics/after-exit', filters);

export const followUps: ChartDefinition = {
  name: 'follow-ups',
  title: 'Follow-up response rate after exit',
  description: 'Of the people whose follow-up fell due, the share a follow-up reached, at 1, 3, 6, 12 and 24 months after they left support, by when they left.',
  request: afterExit,
  draw(report: Report, filters: Filters): Drawing {
    const measures = MILESTONES.map((m) => ({ measure: `followUpResponseRate.${m}`, name: `${m} month${m === 1 ? '' : 's'}` }));
    const figures: CategoryFigures = {
      ...measuresOverTime(periodRows(report, filters), measures, 'rate'),
      kind: 'rate', valueName: 'Share contacted', categoryName: periodAxisName(filters, 'of exit'),
    };
    const caption = `Follow-up response rate by months after exit${forSelection(filters)}, by exit cohort, ${span(figures.categories)}`;
    const summary = `Line chart: follow-up response rate at 1, 3, 6, 12 and 24 months after exit${forSelection(filters)}, by ${filters.period} of exit, ${span(figures.categories)}. ${latestSentence(figures, (v) => formatNumber(v, 'rate'))} The figures are in the table below.`;
    if (nothingToDraw(figures)) return emptyDrawing(figures, caption, summary);
    return {
      figure: { kind: 'echarts', option: lineOption(figures, { valueMin: 0, valueMax: 1 }) },
      table: categoryTable(figures, caption),
      summary,
      notes: ['A milestone not yet reached by a cohort has no figure. A follow-up that made no contact counts as not contacted.'],
    };
  },
};

export const reReferrals: ChartDefinition = {
  name: 're-referrals',
  title: 'Re-referral within 12 and 24 months of exit',
  description: 'Of the people who left support and have been followed for the whole window, the share referred again within 12 and within 24 months, by when they left.',
  request: afterExit,
  draw(report: Report, filters: Filters): Drawing {
    const measures = [{ measure: 'reReferralRate12', name: 'Within 12 months' }, { measure: 'reReferralRate24', name: 'Within 24 months' }];
    const figures: CategoryFigures = {
      ...measuresOverTime(periodRows(report, filters), measures, 'rate'),
      kind: 'rate', valueName: 'Share re-referred', categoryName: periodAxisName(filters, 'of exit'),
    };
    const caption = `Re-referral rate within 12 and 24 months of exit${forSelection(filters)}, by exit cohort, ${span(figures.categories)}`;
    const summary = `Bar chart: share re-referred within 12 and 24 months of exit${forSelection(filters)}, by ${filters.period} of exit, ${span(figures.categories)}. ${latestSentence(figures, (v) => formatNumber(v, 'rate'))} The figures are in the table below.`;
    if (nothingToDraw(figures)) return emptyDrawing(figures, caption, summary);
    return {
      figure: { kind: 'echarts', option: barOption(figures) },
      table: categoryTable(figures, caption),
      summary,
      notes: ['Cohorts that left less than 12 (or 24) months ago have no figure yet: their window is still open.', ...barNotes(figures)],
    };
  },
};

interface SurvivalPoint {
  days: number;
  atRisk: number | null;
  reReferred: number | null;
  censored: number | null;
  survival: number | null;
  suppressed: string[];
}

type SurvivalReport = Report & { survival?: SurvivalPoint[] };

export const survival: ChartDefinition<SurvivalReport> = {
  name: 'survival',
  title: 'Staying out of re-referral after exit',
  description: 'Kaplan-Meier estimate of the share of people not yet referred again, by days since they left support, over everyone who left in the date range.',
  // The curve is over every exit in the range: the API does not break it down, so no `by`.
  request: (filters) => {
    const request = reportRequest('/analytics/after-exit', unrestricted(filters), { params: { survival: 'true' } });
    return { path: request.path, csv: { kind: 'table', why: 'The API gives the curve in JSON only; this CSV holds the figures drawn, as the API published them.' } };
  },
  draw(report: SurvivalReport, filters: Filters): Drawing {
    const points = report.survival ?? [];
    const figures: CategoryFigures = {
      categories: points.map((p) => String(p.days)),
      series: [{ name: 'Not re-referred', cells: points.map((p) => cell(p.survival, p.suppressed.includes('survival'), 'rate')) }],
      kind: 'rate', valueName: 'Share not re-referred', categoryName: 'Days since exit',
    };
    const caption = `Share not re-referred by days since exit, exits from ${filters.from} to ${filters.to}`;
    const table = categoryTable(figures, caption);
    // The counts behind each point, so the table shows what the estimate rests on.
    table.columns.push({ label: 'At risk' }, { label: 'Re-referred (cumulative)' }, { label: 'Censored (cumulative)' });
    table.rows.forEach((row, i) => row.cells.push(
      cell(points[i].atRisk, points[i].suppressed.includes('atRisk'), 'count'),
      cell(points[i].reReferred, points[i].suppressed.includes('reReferred'), 'count'),
      cell(points[i].censored, points[i].suppressed.includes('censored'), 'count'),
    ));
    const published = points.filter((p) => !p.suppressed.includes('survival') && p.survival !== null);
    const last = published[published.length - 1];
    const summary = `Step chart: share of people who left support from ${filters.from} to ${filters.to} not yet referred again, by days since exit. ${last ? `At ${last.days} days, the last published point: ${formatNumber(last.survival as number, 'rate')}.` : 'No point is published.'} The figures are in the table below.`;
    if (!points.length) return emptyDrawing(figures, caption, summary);
    const notes = [
      'Withheld points (fewer people at risk than the threshold, or too few changes since the last point) are gaps in the curve, never joined up.',
      ...(isFiltered(filters) ? [`Not restricted to ${filterLabel(filters.dimension, filters.value)}: the API gives the curve for all exits only.`] : []),
    ];
    return { figure: { kind: 'echarts', option: survivalOption(points) }, table, summary, notes };
  },
};

const isPublished = (p: SurvivalPoint | undefined): p is SurvivalPoint & { survival: number } =>
  p !== undefined && !p.suppressed.includes('survival') && p.survival !== null;

/**
 * The Kaplan-Meier curve as steps over days since exit. Steps join only neighbouring
 * published points; around a withheld point the curve breaks, since drawing through it
 * would show a value that was withheld.
 */
function survivalOption(points: readonly SurvivalPoint[]): ChartOption {
  const data: Array<[number, number] | { value: [number, number]; symbol: 'none' } | null> = [];
  points.forEach((point, i) => {
    if (!isPublished(point)) return data.push(null);
    const before = points[i - 1];
    // The corner of the step: the earlier value holds until this point's day.
    if (isPublished(before)) data.push({ value: [point.days, before.survival], symbol: 'none' });
    data.push([point.days, point.survival]);
  });
  const byDay = new Map(points.map((p) => [p.days, p]));
  return {
    color: PALETTE,
    grid: { left: 16, right: 24, top: 48, bottom: 56, containLabel: true },
    legend: { top: 0, textStyle: { color: '#1b1b1b' } },
    tooltip: { ...TOOLTIP, trigger: 'item', formatter: (params: unknown) => survivalTooltip(params, byDay) },
    xAxis: { type: 'value', name: 'Days since exit', nameLocation: 'middle', nameGap: 32, min: 0, max: points[points.length - 1]?.days, axisLabel: { color: '#1b1b1b' } },
    yAxis: {
      type: 'value', name: 'Share not re-referred', nameTextStyle: { align: 'left', color: '#1b1b1b' }, max: 1,
      // From the nearest 5% below the lowest point: the changes are small, and the axis says where it starts.
      min: (extent: { min: number }) => Math.max(0, Math.floor(extent.min * 20) / 20),
      axisLabel: { color: '#1b1b1b', formatter: (v: number) => `${Math.round(v * 1000) / 10}%` },
    },
    series: [{ type: 'line', name: 'Not re-referred', data, connectNulls: false, symbol: 'circle', symbolSize: 7, showAllSymbol: true, lineStyle: { width: 2 } }],
  };
}

function survivalTooltip(params: unknown, byDay: Map<number, SurvivalPoint>): string {
  const value = (params as { value?: [number, number] }).value;
  const point = value ? byDay.get(value[0]) : undefined;
  if (!point || !isPublished(point)) return '';
  return `Day ${point.days}: ${formatNumber(point.survival, 'rate')} not re-referred\nAt risk: ${point.atRisk === null ? '[c]' : formatNumber(point.atRisk, 'count')}`;
}
