import { flattenCounters, type Counters } from '../../../../../projections/analytics/aggregate';
import type { Cell, StoredCell } from '../../../../../projections/analytics/cells';
import { INCOMPLETE_FIELDS } from '../../../../../projections/analytics/facts/data-quality';
import { buildReport, rate, type Measure, type Report, type ReportDefinition, type ReportOptions } from '../report';
import { count } from './referrals.report';

/**
 * `GET /analytics/data-quality`, by identification date: identifications; for each field,
 * how many were recorded as unknown (`other` for the first responder type) and that as a
 * rate of identifications; and suspected duplicate identifications.
 */
export const dataQualityDefinition: ReportDefinition = {
  measures(counters: Counters) {
    const identifications = counters.identifications ?? 0;
    const measures: Record<string, Measure> = {
      identifications: count(identifications),
      suspectedDuplicates: count(counters.suspectedDuplicates),
    };
    for (const counter of Object.values(INCOMPLETE_FIELDS)) {
      measures[counter] = count(counters[counter]);
      measures[`${counter}Rate`] = {
        kind: 'statistic', value: rate(counters[counter] ?? 0, identifications), base: identifications, dependsOn: [counter, 'identifications'],
      };
    }
    return measures;
  },
};

export function dataQualityReport(cells: Iterable<Cell | StoredCell>, options: ReportOptions): Report {
  return {
    ...buildReport(withSuspectedDuplicates(cells), dataQualityDefinition, options),
    notes: [SUSPECTED_DUPLICATES_NOTE],
  };
}

export const SUSPECTED_DUPLICATES_NOTE =
  'suspectedDuplicates: identifications that share the identification date, nationality, gender, age group and police force area ' +
  'with at least one other journey. Personal data is sealed per journey and is never matched, so this is a heuristic: ' +
  'it flags people who may have been identified twice, and some flagged identifications are different people.';

/**
 * Marks suspected duplicates on the data-quality cells of a query: the identifications of
 * every (date, nationality, gender, ageGroup, policeForceArea) key held by two or more
 * journeys are all suspected (n journeys sharing a key give n). The key's fields are all in
 * a cell's date and dimensions, so the identifications of a key are the sum over its cells,
 * and each cell then adds its own identifications to `suspectedDuplicates`: that keeps the
 * figure additive in any breakdown. Pure; the cells given are not changed.
 */
export function withSuspectedDuplicates(cells: Iterable<Cell | StoredCell>): Array<Cell | StoredCell> {
  const all = [...cells];
  const keyOf = (cell: Cell | StoredCell) =>
    JSON.stringify([cell.date, cell.dims.nationality, cell.dims.gender, cell.dims.ageGroup, cell.dims.policeForceArea]);
  const identificationsOf = (cell: Cell | StoredCell) => flattenCounters(cell.counters as Record<string, unknown>).identifications ?? 0;
  const perKey = new Map<string, number>();
  for (const cell of all) perKey.set(keyOf(cell), (perKey.get(keyOf(cell)) ?? 0) + identificationsOf(cell));
  return all.map((cell) => {
    const n = identificationsOf(cell);
    if ((perKey.get(keyOf(cell)) ?? 0) < 2 || n === 0) return cell;
    return { ...cell, counters: { ...flattenCounters(cell.counters as Record<string, unknown>), suspectedDuplicates: n } };
  });
}
