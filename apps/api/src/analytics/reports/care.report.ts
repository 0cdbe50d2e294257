import type { CalendarDate } from '../../../../../libs/domain/src/calendar/calendar-date';
import { CARE_SERVICES } from '../../../../../libs/domain/src/codes';
import { histogramOf, histogramSize, median, periodOf, type Counters, type Period } from '../../../../../projections/analytics/aggregate';
import type { Cell, StoredCell } from '../../../../../projections/analytics/cells';
import { COSTED_PEOPLE_COUNTER } from '../../../../../projections/analytics/facts/care';
import { buildReport, rate, type Measure, type Report, type ReportDefinition, type ReportOptions, type ReportRow } from '../report';
import { count, periodStart } from './referrals.report';

/** The measures of people with costed care: exact per period only (see `withExactCostPerPerson`). */
const PER_PERSON = ['peopleWithCostedCare', 'costPerPerson'] as const;

/**
 * `GET /analytics/care`, by referral cohort (facts/care.ts): referrals; needs assessed
 * within 10 days and its rate over referrals; median days from referral to the first care;
 * episodes with care, outreach-only among them and its rate; episodes receiving each
 * service; people with costed care and the cost of care per person, in pounds.
 */
export const careDefinition = (period: Period): ReportDefinition => ({
  measures(counters: Counters) {
    const referrals = counters.referrals ?? 0;
    const withCare = counters.withCare ?? 0;
    const people = counters[COSTED_PEOPLE_COUNTER[period]] ?? 0;
    const firstCare = histogramOf(counters, 'daysToFirstCare');
    const measures: Record<string, Measure> = {
      referrals: count(referrals),
      needsAssessedWithin10Days: count(counters.needsAssessedWithin10Days),
      needsAssessedWithin10DaysRate: {
        kind: 'statistic', value: rate(counters.needsAssessedWithin10Days ?? 0, referrals), base: referrals, dependsOn: ['needsAssessedWithin10Days', 'referrals'],
      },
      episodesWithCare: count(withCare),
      medianDaysToFirstCare: { kind: 'statistic', value: median(firstCare), base: histogramSize(firstCare) },
      outreachOnly: count(counters.outreachOnly),
      outreachOnlyRate: { kind: 'statistic', value: rate(counters.outreachOnly ?? 0, withCare), base: withCare, dependsOn: ['outreachOnly', 'episodesWithCare'] },
    };
    for (const service of CARE_SERVICES) measures[`services.${service}`] = count(counters[`services.${service}`]);
    measures.peopleWithCostedCare = count(people);
    measures.costPerPerson = { kind: 'statistic', value: people > 0 ? Math.round((counters.costPence ?? 0) / people) / 100 : null, base: people };
    return measures;
  },
});

export interface CareOptions extends ReportOptions {
  /** The first date asked for: a period it cuts into has no exact people with costed care. */
  from?: CalendarDate;
}

export function careReport(cells: Iterable<Cell | StoredCell>, options: CareOptions): Report {
  return withExactCostPerPerson(buildReport(cells, careDefinition(options.period), options), options.from);
}

/**
 * People with costed care are distinct journeys, counted on a journey's first costed
 * episode of each month, quarter and year (facts/care.ts): exact per period. Like `people`
 * in the referrals report, they and the cost per person are withdrawn (null, with a note)
 * in a period that `from` cuts into, and in the grand total when it spans several periods.
 * Withdrawing a figure reveals nothing, so disclosure control still holds.
 */
export function withExactCostPerPerson(report: Report, from: CalendarDate | undefined): Report {
  const notes: string[] = [];
  const cut = from && from !== periodStart(periodOf(from, report.period)) ? periodOf(from, report.period) : undefined;
  const withdraw = (row: ReportRow): ReportRow => ({ ...row, values: { ...row.values, ...Object.fromEntries(PER_PERSON.map((m) => [m, null])) } });
  let { rows, periodTotals, total } = report;
  if (cut && periodTotals.some((row) => row.period === cut)) {
    rows = rows.map((row) => (row.period === cut ? withdraw(row) : row));
    periodTotals = periodTotals.map((row) => (row.period === cut ? withdraw(row) : row));
    notes.push(`peopleWithCostedCare and costPerPerson are not given for ${cut}: the range starts after the period's first day, so a person's first costed episode in it may lie outside the range`);
  }
  if (periodTotals.length > 1 || cut) {
    total = withdraw(total);
    notes.push('peopleWithCostedCare and costPerPerson are not given in the total: distinct people over several periods cannot be added up from the periods; ask for one period');
  }
  return { ...report, rows, periodTotals, total, notes };
}
