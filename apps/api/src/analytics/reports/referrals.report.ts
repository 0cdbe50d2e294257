import type { CalendarDate } from '../../../../../libs/domain/src/calendar/calendar-date';
import { periodOf, type Counters, type Period } from '../../../../../projections/analytics/aggregate';
import type { Cell, StoredCell } from '../../../../../projections/analytics/cells';
import { PEOPLE_COUNTER } from '../../../../../projections/analytics/facts/referrals';
import { buildReport, rate, type Measure, type Report, type ReportDefinition, type ReportOptions, type ReportRow } from '../report';

export const count = (value: number | undefined): Measure => ({ kind: 'count', value: value ?? 0 });

/** The volume measures of a `referrals` family row; `people` from the counter of the period grouping. */
export function volumeMeasures(counters: Counters, period: Period): Record<string, Measure> {
  const referrals = counters.referrals ?? 0;
  const dutyToNotify = counters.dutyToNotify ?? 0;
  return {
    referrals: count(referrals),
    people: count(counters[PEOPLE_COUNTER[period]]),
    dutyToNotify: count(dutyToNotify),
    dutyToNotifyShare: { kind: 'statistic', value: rate(dutyToNotify, referrals + dutyToNotify), base: referrals + dutyToNotify, dependsOn: ['referrals', 'dutyToNotify'] },
  };
}

/** `GET /analytics/referrals`: referrals, distinct people and Duty to Notify reports per period. */
export const referralsDefinition = (period: Period): ReportDefinition => ({ measures: (counters) => volumeMeasures(counters, period) });

export interface VolumeOptions extends ReportOptions {
  /** The first date asked for: a period it cuts into has no exact `people`. */
  from?: CalendarDate;
}

export function referralsReport(cells: Iterable<Cell | StoredCell>, options: VolumeOptions): Report {
  return withExactPeople(buildReport(cells, referralsDefinition(options.period), options), options.from);
}

/**
 * `people` counts distinct journeys, which is not additive over time: each journey is
 * counted on its first referral in each month, quarter and year (facts/referrals.ts), so
 * per period it is exact. It is withdrawn (null, with a note) where it would not be:
 * - in a period that `from` cuts into, since a person's first referral of that period may
 *   fall before `from` (cutting a period at its end, by `to`, keeps it exact);
 * - in the grand total when the report spans more than one period, since distinct people
 *   over several periods cannot be summed from the periods.
 * Withdrawing a figure reveals nothing, so disclosure control still holds.
 */
export function withExactPeople(report: Report, from: CalendarDate | undefined): Report {
  const notes: string[] = [];
  const first = from ? periodOf(from, report.period) : undefined;
  // A period with no cell in range has no one to miscount: whoever was missed there would have a referral in range.
  const cut = first && from !== periodStart(first) && report.periodTotals.some((row) => row.period === first) ? first : undefined;
  const withdraw = (row: ReportRow): ReportRow => ({ ...row, values: { ...row.values, people: null } });
  let { rows, periodTotals, total } = report;
  if (cut) {
    rows = rows.map((row) => (row.period === cut ? withdraw(row) : row));
    periodTotals = periodTotals.map((row) => (row.period === cut ? withdraw(row) : row));
    notes.push(`people is not given for ${cut}: the range starts after the period's first day, so a person's first referral in it may lie outside the range`);
  }
  if (periodTotals.length > 1 || cut) {
    total = withdraw(total);
    notes.push('people is not given in the total: distinct people over several periods cannot be added up from the periods; ask for one period');
  }
  return { ...report, rows, periodTotals, total, notes };
}

/** The first day of a period key: '2024-05' → 2024-05-01, '2024-Q2' → 2024-04-01, '2024' → 2024-01-01. */
export function periodStart(key: string): CalendarDate {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(key);
  if (quarter) return `${quarter[1]}-${String(Number(quarter[2]) * 3 - 2).padStart(2, '0')}-01`;
  return key.length === 4 ? `${key}-01-01` : `${key}-01`;
}
