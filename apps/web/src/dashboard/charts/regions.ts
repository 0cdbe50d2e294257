import type { TableModel } from '../../shared/data-table';
import type { Filters } from '../filters';
import { filterLabel, valueLabel } from '../labels';
import { reportRequest, type ChartDefinition, type Drawing, type Views } from '../chart-definition';
import { dimValue, figure, isFiltered, periodsOf, rowsFor, unrestricted, type Report, type ReportRow } from '../report';
import { forSelection } from './over-time';

const COLUMNS = [
  { measure: 'referrals', label: 'Referrals', kind: 'count', bar: true },
  { measure: 'dutyToNotify', label: 'Duty to Notify', kind: 'count' },
  { measure: 'rgPositiveRate', label: 'RG positive rate', kind: 'rate' },
  { measure: 'cgPositiveRate', label: 'CG positive rate', kind: 'rate' },
  { measure: 'exits', label: 'Exits from support', kind: 'count' },
] as const;

/**
 * Regional variation as a table with inline bars: one period at a time, since a figure for
 * the whole range would have to be added up from periods, some of them withheld.
 */
export const regions: ChartDefinition = {
  name: 'regions',
  title: 'Regional variation by police force area',
  description: 'Referrals, Duty to Notify reports, decision outcomes and exits by the police force area where the person was identified, one period at a time.',
  request: (filters) => reportRequest('/analytics/regions', restrictable(filters), { by: ['policeForceArea'] }),
  views(report: Report, filters: Filters): Views | undefined {
    const periods = periodsOf(rowsFor(report, restrictable(filters)));
    if (!periods.length) return undefined;
    return { label: 'Period shown', options: periods.map((p) => ({ id: p, label: p })), initial: periods[periods.length - 1] };
  },
  draw(report: Report, chosen: Filters, view?: string): Drawing {
    const filters = restrictable(chosen);
    const rows = rowsFor(report, filters).filter((row) => row.period === view && dimValue(row, 'policeForceArea') !== undefined);
    const caption = `Figures by police force area${forSelection(filters)}, ${view ?? 'no period'}`;
    const table: TableModel = {
      caption,
      rowHeading: 'Police force area',
      columns: COLUMNS.map((c) => ({ label: c.label, bar: 'bar' in c })),
      rows: [...rows].sort(byReferrals).map((row) => ({
        label: valueLabel('policeForceArea', dimValue(row, 'policeForceArea') as string),
        cells: COLUMNS.map((c) => figure(row, c.measure, c.kind)),
      })),
    };
    const summary = `Table: figures by police force area${forSelection(filters)} in ${view}.`;
    const notes = ['Sorted by published referrals, largest first; areas whose referrals are withheld come last.'];
    if (isFiltered(chosen) && !isFiltered(filters)) notes.push(`Not restricted to ${filterLabel(chosen.dimension, chosen.value)}: the API breaks regional figures down by region and police force area only.`);
    return { figure: { kind: 'table' }, table, summary, empty: rows.length === 0, notes };
  },
};

/** The filters this route can apply: a restriction to a region or police force area, but to no other dimension. */
function restrictable(filters: Filters): Filters {
  return !isFiltered(filters) || REGIONAL.includes(filters.dimension) ? filters : unrestricted(filters);
}

const REGIONAL: readonly string[] = ['region', 'policeForceArea'];

/** Largest published referrals first; withheld ones after, in name order. */
function byReferrals(a: ReportRow, b: ReportRow): number {
  const value = (row: ReportRow) => (row.suppressed.includes('referrals') ? -1 : row.values.referrals ?? -1);
  return value(b) - value(a) || valueLabel('policeForceArea', dimValue(a, 'policeForceArea') ?? '').localeCompare(valueLabel('policeForceArea', dimValue(b, 'policeForceArea') ?? ''));
}
