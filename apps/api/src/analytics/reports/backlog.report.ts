import { daysBetween, type CalendarDate } from '../../../../../libs/domain/src/calendar/calendar-date';
import { flattenCounters, histogramOf, median, type Counters } from '../../../../../projections/analytics/aggregate';
import type { Cell, StoredCell } from '../../../../../projections/analytics/cells';
import { WAITING } from '../../../../../projections/analytics/facts/waiting';
import type { Filter } from '../../../../../libs/read-store/src/read-store.port';
import type { Measure, ReportDefinition } from '../report';

/** Age bands of the backlog, in calendar days from the start of the wait to the as-of date. */
export const AGE_BANDS: ReadonlyArray<{ name: string; upTo: number }> = [
  { name: '0To30', upTo: 30 },
  { name: '31To90', upTo: 90 },
  { name: '91To180', upTo: 180 },
  { name: '181To365', upTo: 365 },
  { name: '366To730', upTo: 730 },
  { name: 'Over730', upTo: Infinity },
];

const STAGES = [
  { stage: 'reasonable_grounds', awaiting: 'awaitingReasonableGrounds', prefix: 'reasonableGrounds' },
  { stage: 'conclusive_grounds', awaiting: 'awaitingConclusiveGrounds', prefix: 'conclusiveGrounds' },
] as const;

export const bandOf = (age: number) => AGE_BANDS.find((band) => age <= band.upTo)!.name;

/** Waits still open at the end of `asOf` (facts/waiting.ts), as the read store selects them. */
export const openWaitsFilter = (asOf: CalendarDate): Filter => ({ $or: [{ 'extra.endsOn': null }, { 'extra.endsOn': { $gt: asOf } }] });

/**
 * The backlog at the end of `asOf`, as cells: each wait open then (start <= asOf and not yet
 * ended: endsOn null or after asOf) adds its journeys to its stage's count, age band, age
 * histogram and, if reopened by a reconsideration, the reconsideration count. Every cell is
 * dated `asOf`, so the report has the single period holding it.
 */
export function backlogCells(waits: Iterable<Cell | StoredCell>, asOf: CalendarDate): Cell[] {
  const cells: Cell[] = [];
  for (const wait of waits) {
    const endsOn = wait.extra?.endsOn ?? null;
    if (wait.family !== WAITING || wait.date > asOf || (endsOn !== null && String(endsOn) <= asOf)) continue;
    const n = flattenCounters(wait.counters as Record<string, unknown>).waits ?? 0;
    const { awaiting, prefix } = STAGES.find((s) => s.stage === wait.extra?.stage)!;
    const age = daysBetween(wait.date, asOf);
    const counters: Counters = { [awaiting]: n, [`${prefix}Aged${bandOf(age)}`]: n, [`${prefix}Age.${age}`]: n };
    if (wait.extra?.reconsideration) counters[`${prefix}Reconsiderations`] = n;
    cells.push({ family: 'backlog', date: asOf, dims: wait.dims, counters });
  }
  return cells;
}

const count = (value: number | undefined): Measure => ({ kind: 'count', value: value ?? 0 });

/**
 * `GET /analytics/backlog`: per stage, referrals awaiting the decision, of which reopened by
 * a reconsideration, the age profile and the median age. The age bands add up to the
 * stage's count, so disclosure control protects them together.
 */
export const backlogDefinition: ReportDefinition = {
  measures(counters: Counters) {
    const measures: Record<string, Measure> = {};
    for (const { awaiting, prefix } of STAGES) {
      const waiting = counters[awaiting] ?? 0;
      measures[awaiting] = count(waiting);
      measures[`${prefix}Reconsiderations`] = count(counters[`${prefix}Reconsiderations`]);
      for (const band of AGE_BANDS) measures[`${prefix}Aged${band.name}`] = count(counters[`${prefix}Aged${band.name}`]);
      measures[`${prefix}MedianAgeDays`] = { kind: 'statistic', value: median(histogramOf(counters, `${prefix}Age`)), base: waiting };
    }
    return measures;
  },
  additive: STAGES.map(({ awaiting, prefix }) => ({ total: awaiting, parts: AGE_BANDS.map((band) => `${prefix}Aged${band.name}`) })),
};
