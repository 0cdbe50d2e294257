import { EXIT_REASONS } from '../../../../../libs/domain/src/codes';
import { histogramOf, histogramSize, median, type Counters } from '../../../../../projections/analytics/aggregate';
import type { Cell, StoredCell } from '../../../../../projections/analytics/cells';
import { buildReport, rate, type Measure, type Report, type ReportDefinition, type ReportOptions } from '../report';
import { count } from './referrals.report';

const REASONS = EXIT_REASONS.map((reason) => `reason.${reason}`);

/**
 * `GET /analytics/exits`, by exit date (facts/exits.ts): exits and exits by reason (which
 * add up to exits, so they are protected together); median days in support; the shares of
 * exits to stable housing, with leave to remain, and lost contact.
 */
export const exitsDefinition: ReportDefinition = {
  measures(counters: Counters) {
    const exits = counters.exits ?? 0;
    const days = histogramOf(counters, 'daysInSupport');
    const share = (numerator: string): Measure => ({ kind: 'statistic', value: rate(counters[numerator] ?? 0, exits), base: exits, dependsOn: [numerator, 'exits'] });
    const measures: Record<string, Measure> = { exits: count(exits) };
    for (const reason of REASONS) measures[reason] = count(counters[reason]);
    return {
      ...measures,
      medianDaysInSupport: { kind: 'statistic', value: median(days), base: histogramSize(days) },
      stableHousing: count(counters.stableHousing),
      stableHousingRate: share('stableHousing'),
      leaveToRemain: count(counters.leaveToRemain),
      leaveToRemainRate: share('leaveToRemain'),
      lostContactRate: share('reason.lost_contact'),
    };
  },
  additive: [{ total: 'exits', parts: REASONS }],
};

export function exitsReport(cells: Iterable<Cell | StoredCell>, options: ReportOptions): Report {
  return buildReport(cells, exitsDefinition, options);
}
