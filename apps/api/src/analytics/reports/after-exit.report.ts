import { addMonths, daysBetween, type CalendarDate } from '../../../../../libs/domain/src/calendar/calendar-date';
import { FOLLOW_UP_MILESTONES } from '../../../../../libs/domain/src/codes';
import { flattenCounters, type Counters } from '../../../../../projections/analytics/aggregate';
import type { Cell, StoredCell } from '../../../../../projections/analytics/cells';
import { buildReport, rate, type Measure, type Report, type ReportDefinition, type ReportOptions } from '../report';
import { count } from './referrals.report';
import { survivalCurve, type Observation } from './survival';

/** The windows, in months after exit, that re-referral rates are given for. */
export const RE_REFERRAL_WINDOWS = [12, 24] as const;

/**
 * The after-exit cells as at `asOf` (pure; the cells given are not changed). Whether a
 * milestone is due or a re-referral window has closed depends on the day the question is
 * asked, so it is decided here from each cell's exit date and `extra.reReferredOn`:
 * - `followUpsDue.<m>` = the cell's exits when the m-month follow-up fell due on or before
 *   `asOf` (exit + m months, clamped to the month's end) and the person was not re-referred
 *   before it fell due (a re-referral puts them back in support, and their follow-ups then
 *   belong to the new episode). `followUpsRecorded.<m>` and `contactMade.<m>` are kept only
 *   for those exits, so they never exceed the due.
 * - `exitsObserved<N>Months` = the cell's exits when exit + N months is on or before `asOf`
 *   (the whole window has been seen), and `reReferredWithin<N>Months` = those exits when the
 *   first re-referral is on or before exit + N months.
 */
export function afterExitAsOf(cells: Iterable<Cell | StoredCell>, asOf: CalendarDate): Cell[] {
  return [...cells].map((cell) => {
    const stored = flattenCounters(cell.counters as Record<string, unknown>);
    const exits = stored.exits ?? 0;
    const reReferredOn = reReferredOnOf(cell);
    const counters: Counters = {
      exits,
      contactedAfterExit: stored.contactedAfterExit ?? 0,
      reExploitationReported: stored.reExploitationReported ?? 0,
      destituteAtFollowUp: stored.destituteAtFollowUp ?? 0,
    };
    for (const m of FOLLOW_UP_MILESTONES) {
      const dueOn = addMonths(cell.date, m);
      if (dueOn > asOf || (reReferredOn !== null && reReferredOn < dueOn)) continue;
      counters[`followUpsDue.${m}`] = exits;
      counters[`followUpsRecorded.${m}`] = stored[`followUpsRecorded.${m}`] ?? 0;
      counters[`contactMade.${m}`] = stored[`contactMade.${m}`] ?? 0;
    }
    for (const n of RE_REFERRAL_WINDOWS) {
      const windowEnds = addMonths(cell.date, n);
      if (windowEnds > asOf) continue;
      counters[`exitsObserved${n}Months`] = exits;
      counters[`reReferredWithin${n}Months`] = reReferredOn !== null && reReferredOn <= windowEnds ? exits : 0;
    }
    return { family: cell.family, date: cell.date, dims: cell.dims, extra: cell.extra, counters };
  });
}

/**
 * `GET /analytics/after-exit`, by exit date, over cells from `afterExitAsOf`: exits; per
 * milestone the follow-ups due, recorded and with contact made, and the response rate;
 * re-referral within 12 and 24 months over the exits whose window has closed; people with a
 * follow-up reporting re-exploitation or destitution, and people contacted at all.
 */
export const afterExitDefinition: ReportDefinition = {
  measures(counters: Counters) {
    const measures: Record<string, Measure> = { exits: count(counters.exits) };
    for (const m of FOLLOW_UP_MILESTONES) {
      const [due, recorded, contact] = [`followUpsDue.${m}`, `followUpsRecorded.${m}`, `contactMade.${m}`];
      measures[due] = count(counters[due]);
      measures[recorded] = count(counters[recorded]);
      measures[contact] = count(counters[contact]);
      measures[`followUpResponseRate.${m}`] = ratio(counters, contact, due);
    }
    for (const n of RE_REFERRAL_WINDOWS) {
      const [observed, reReferred] = [`exitsObserved${n}Months`, `reReferredWithin${n}Months`];
      measures[observed] = count(counters[observed]);
      measures[reReferred] = count(counters[reReferred]);
      measures[`reReferralRate${n}`] = ratio(counters, reReferred, observed);
    }
    measures.contactedAfterExit = count(counters.contactedAfterExit);
    measures.reExploitationReported = count(counters.reExploitationReported);
    measures.destituteAtFollowUp = count(counters.destituteAtFollowUp);
    return measures;
  },
};

function ratio(counters: Counters, numerator: string, denominator: string): Measure {
  const base = counters[denominator] ?? 0;
  return { kind: 'statistic', value: rate(counters[numerator] ?? 0, base), base, dependsOn: [numerator, denominator] };
}

/**
 * Days from exit to the first re-referral for each cell's exits, censored at `asOf` when
 * there was none by then. Exits after `asOf` are left out (not yet exited as at that day).
 */
export function reReferralObservations(cells: Iterable<Cell | StoredCell>, asOf: CalendarDate): Observation[] {
  return [...cells].flatMap((cell): Observation[] => {
    const exits = flattenCounters(cell.counters as Record<string, unknown>).exits ?? 0;
    if (cell.date > asOf || exits <= 0) return [];
    const reReferredOn = reReferredOnOf(cell);
    return reReferredOn !== null && reReferredOn <= asOf
      ? [{ days: daysBetween(cell.date, reReferredOn), event: true, count: exits }]
      : [{ days: daysBetween(cell.date, asOf), event: false, count: exits }];
  });
}

export interface AfterExitOptions extends ReportOptions {
  asOf: CalendarDate;
  /** Add the Kaplan-Meier curve of days from exit to re-referral. */
  survival?: boolean;
}

export const SURVIVAL_NOTE =
  'survival: Kaplan-Meier estimate of the share not re-referred, by days since exit (every 30 days), over the exits in the range up to asOf, ' +
  'censored at asOf. reReferred and censored are cumulative to each point; atRisk are still followed and not re-referred after it. ' +
  'A point is withheld whole (null, listed in suppressed) when fewer than the threshold are at risk, or when reReferred or censored ' +
  'grew by fewer than the threshold since the last published point, so no withheld figure can be recovered by subtraction.';

export function afterExitReport(cells: Iterable<Cell | StoredCell>, options: AfterExitOptions): Report {
  const all = [...cells];
  const report: Report = { ...buildReport(afterExitAsOf(all, options.asOf), afterExitDefinition, options), asOf: options.asOf };
  if (!options.survival) return report;
  const survival = survivalCurve(reReferralObservations(all, options.asOf), options.threshold).map(({ events, suppressed, ...point }) => ({
    days: point.days,
    atRisk: point.atRisk,
    reReferred: events,
    censored: point.censored,
    survival: point.survival,
    suppressed: suppressed.map((name) => (name === 'events' ? 'reReferred' : name)).sort(),
  }));
  return { ...report, survival, notes: [SURVIVAL_NOTE] };
}

function reReferredOnOf(cell: Cell | StoredCell): CalendarDate | null {
  const value = cell.extra?.reReferredOn;
  return typeof value === 'string' ? value : null;
}
