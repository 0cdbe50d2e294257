import type { CalendarDate } from '../../../../../libs/domain/src/calendar/calendar-date';
import type { DecisionStage } from '../../../../../libs/domain/src/codes';
import { histogramOf, median, percentile, type Counters } from '../../../../../projections/analytics/aggregate';
import type { Cell, StoredCell } from '../../../../../projections/analytics/cells';
import { rate, type Measure, type ReportDefinition } from '../report';

/** Counted by decision date (as official statistics) or by referral cohort. */
export const DECISION_BASES = ['decision', 'cohort'] as const;
export type DecisionBasis = (typeof DECISION_BASES)[number];

const count = (value: number | undefined): Measure => ({ kind: 'count', value: value ?? 0 });
/** A median or percentile of `decisions` waits. */
const days = (value: number | null, decisions: number): Measure => ({ kind: 'statistic', value, base: decisions });

/**
 * `GET /analytics/decision-times`: the decisions in force at one stage (facts/decisions.ts).
 * RG waits are working days from the referral; CG waits calendar days from the positive RG
 * (`medianDays`, `p90Days`) and from the referral (`medianDaysFromReferral`).
 */
export function decisionTimesDefinition(stage: DecisionStage): ReportDefinition {
  return {
    measures(counters: Counters) {
      const decisions = counters.decisions ?? 0;
      const positive = counters.positive ?? 0;
      const waits = histogramOf(counters, stage === 'reasonable_grounds' ? 'workingDays' : 'days');
      const measures: Record<string, Measure> = {
        decisions: count(decisions),
        positive: count(positive),
        // Times `decisions` it gives `positive` back, and `positive` over it gives `decisions`.
        positiveRate: { kind: 'statistic', value: rate(positive, decisions), base: decisions, dependsOn: ['positive', 'decisions'] },
        medianDays: days(median(waits), decisions),
        p90Days: days(percentile(waits, 90), decisions),
      };
      if (stage === 'reasonable_grounds') {
        measures.withinTargetRate = { kind: 'statistic', value: rate(counters.withinTarget ?? 0, decisions), base: decisions };
      } else {
        measures.medianDaysFromReferral = days(median(histogramOf(counters, 'daysFromReferral')), decisions);
      }
      return measures;
    },
  };
}

/** The date a decision cell counts on: its decision date, or its referral date for a cohort. */
export function decisionDateOf(basis: DecisionBasis): ((cell: Cell | StoredCell) => CalendarDate) | undefined {
  return basis === 'cohort' ? (cell) => String(cell.extra?.referredOn) : undefined;
}

/**
 * Where to find the cells of a range: by decision date on the cells' `date`; for a cohort,
 * on `extra.referredOn`, and no decision is dated before its referral.
 */
export function decisionCellsQuery(stage: DecisionStage, basis: DecisionBasis, range: { from?: CalendarDate; to?: CalendarDate }) {
  if (basis === 'decision') return { range, filter: { 'extra.stage': stage } };
  const referredOn = { ...(range.from ? { $gte: range.from } : {}), ...(range.to ? { $lte: range.to } : {}) };
  return {
    range: { from: range.from },
    filter: { 'extra.stage': stage, ...(Object.keys(referredOn).length ? { 'extra.referredOn': referredOn } : {}) },
  };
}
