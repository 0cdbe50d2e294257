import { formatFigure, isoDate } from '../../shared/format';
import { barNotes, barOption, categoryTable, type CategoryFigures } from '../chart-options';
import type { Filters } from '../filters';
import { reportRequest, type ChartDefinition, type Drawing } from '../chart-definition';
import { figure, isFiltered, rowsFor, type Report, type ReportRow } from '../report';
import { emptyDrawing, forSelection } from './over-time';

/** The age bands of the API's backlog measures (`reasonableGroundsAged0To30` …), as words. */
const BANDS = [
  ['Aged0To30', '0–30'],
  ['Aged31To90', '31–90'],
  ['Aged91To180', '91–180'],
  ['Aged181To365', '181–365'],
  ['Aged366To730', '366–730'],
  ['AgedOver730', 'Over 730'],
] as const;

const STAGES = [
  { prefix: 'reasonableGrounds', total: 'awaitingReasonableGrounds', name: 'Awaiting Reasonable Grounds' },
  { prefix: 'conclusiveGrounds', total: 'awaitingConclusiveGrounds', name: 'Awaiting Conclusive Grounds' },
] as const;

/** The backlog is a count at a date: the filters' "to" date, or today when that is still to come. */
export function backlogDate(filters: Filters, today: string = isoDate(new Date())): string {
  return filters.to < today ? filters.to : today;
}

export const backlog: ChartDefinition = {
  name: 'backlog',
  title: 'Backlog and its age profile',
  description: 'People waiting for a Reasonable Grounds or Conclusive Grounds decision at the end of the "to" date (or today), by how long they have waited.',
  request: (filters) => reportRequest('/analytics/backlog', filters, { dated: false, params: { asOf: backlogDate(filters) } }),
  draw(report: Report, filters: Filters): Drawing {
    // One period (the one holding the date): the total, or the chosen value's single row.
    const row: ReportRow | undefined = isFiltered(filters) ? rowsFor(report, filters)[0] : report.total;
    const asOf = report.asOf ?? backlogDate(filters);
    const figures: CategoryFigures = {
      categories: BANDS.map(([, label]) => label),
      series: STAGES.map((stage) => ({
        name: `${stage.name} (${formatFigure(row?.values[stage.total], row?.suppressed.includes(stage.total) ?? false, 'count')} in all)`,
        cells: BANDS.map(([band]) => figure(row, `${stage.prefix}${band}`, 'count')),
      })),
      kind: 'count', valueName: 'People waiting', categoryName: 'Days waited',
    };
    const caption = `People waiting for a decision${forSelection(filters)} at the end of ${asOf}, by time waited`;
    const summary = `Bar chart: people waiting${forSelection(filters)} at the end of ${asOf} by time waited. ${STAGES.map((s) => stageSentence(row, s)).join(' ')} The figures are in the table below.`;
    if (!row) return emptyDrawing(figures, caption, summary);
    const table = categoryTable(figures, caption);
    table.rows.push(
      { label: 'All waiting', cells: STAGES.map((s) => figure(row, s.total, 'count')) },
      { label: 'Median time waited (days)', cells: STAGES.map((s) => figure(row, `${s.prefix}MedianAgeDays`, 'days')) },
    );
    return { figure: { kind: 'echarts', option: barOption(figures) }, table, summary, notes: [...medianNote(row), ...barNotes(figures)] };
  },
};

function stageSentence(row: ReportRow | undefined, stage: (typeof STAGES)[number]): string {
  const total = figure(row, stage.total, 'count');
  const median = figure(row, `${stage.prefix}MedianAgeDays`, 'days');
  return `${stage.name}: ${formatFigure(total.value, total.suppressed, 'count')}, median wait ${formatFigure(median.value, median.suppressed, 'days')} days.`;
}

function medianNote(row: ReportRow): string[] {
  const medians = STAGES.map((s) => {
    const median = figure(row, `${s.prefix}MedianAgeDays`, 'days');
    return `${s.name.replace('Awaiting ', '')}: ${formatFigure(median.value, median.suppressed, 'days')} days`;
  });
  return [`Median time waited: ${medians.join('; ')}.`];
}
