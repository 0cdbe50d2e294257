import { flattenCounters, type Counters, type Period } from '../../../../../projections/analytics/aggregate';
import type { Cell, StoredCell } from '../../../../../projections/analytics/cells';
import type { Dimension } from '../../../../../projections/analytics/dimensions';
import { buildReport, rate, type Measure, type Report, type ReportDefinition } from '../report';
import { count, volumeMeasures, withExactPeople, type VolumeOptions } from './referrals.report';

/** The breakdowns `GET /analytics/regions` offers, and the one it gives by default. */
export const REGION_DIMENSIONS: readonly Dimension[] = ['region', 'policeForceArea'];
export const DEFAULT_REGION_BY: Dimension[] = ['region'];

const STAGE_PREFIX: Record<string, string> = { reasonable_grounds: 'rg', conclusive_grounds: 'cg' };

/**
 * `GET /analytics/regions`: the headline figures side by side per police force area or
 * region (DOMAIN.md question 8). Volume from the `referrals` family (by referral date, as
 * `/analytics/referrals`); decisions from the `decisions` family by decision date, as
 * official statistics count them (the decision in force per referral and stage, as
 * `/analytics/decision-times`): decisions, positive and negative, positive rate; exits
 * from support from the `exits` family by exit date (as `/analytics/exits`).
 */
export const regionsDefinition = (period: Period): ReportDefinition => ({
  measures(counters: Counters) {
    const measures: Record<string, Measure> = volumeMeasures(counters, period);
    for (const prefix of Object.values(STAGE_PREFIX)) {
      const decisions = counters[`${prefix}Decisions`] ?? 0;
      const positive = counters[`${prefix}Positive`] ?? 0;
      measures[`${prefix}Decisions`] = count(decisions);
      measures[`${prefix}Positive`] = count(positive);
      measures[`${prefix}Negative`] = count(decisions - positive);
      measures[`${prefix}PositiveRate`] = {
        kind: 'statistic', value: rate(positive, decisions), base: decisions, dependsOn: [`${prefix}Decisions`, `${prefix}Positive`, `${prefix}Negative`],
      };
    }
    measures.exits = count(counters.exits);
    return measures;
  },
  // Positive and negative add up to the decisions: a lone withheld one would be recoverable.
  additive: Object.values(STAGE_PREFIX).map((prefix) => ({ total: `${prefix}Decisions`, parts: [`${prefix}Positive`, `${prefix}Negative`] })),
});

export interface RegionFamilies {
  referrals: Iterable<Cell | StoredCell>;
  decisions: Iterable<Cell | StoredCell>;
  exits: Iterable<Cell | StoredCell>;
}

/**
 * The cells of the regions report: referral cells as they are, decision cells with their
 * counters renamed by stage (`decisions` of an RG cell becomes `rgDecisions`), exit cells
 * with `exits` only, so that one grouping serves the three families without their counter
 * names meeting. Pure; the cells given are not changed.
 */
export function regionCells(families: RegionFamilies): Array<Cell | StoredCell> {
  const decisions = [...families.decisions].flatMap((cell) => {
    const prefix = STAGE_PREFIX[String(cell.extra?.stage)];
    if (!prefix) return [];
    const counters = flattenCounters(cell.counters as Record<string, unknown>);
    return [{ ...cell, counters: { [`${prefix}Decisions`]: counters.decisions ?? 0, [`${prefix}Positive`]: counters.positive ?? 0 } }];
  });
  const exits = [...families.exits].map((cell) => ({ ...cell, counters: { exits: flattenCounters(cell.counters as Record<string, unknown>).exits ?? 0 } }));
  return [...families.referrals, ...decisions, ...exits];
}

export function regionsReport(families: RegionFamilies, options: VolumeOptions): Report {
  return withExactPeople(buildReport(regionCells(families), regionsDefinition(options.period), options), options.from);
}
