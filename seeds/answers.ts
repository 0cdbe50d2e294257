import type { ExitReason, Housing, ImmigrationStatus, Occupation, RiskLevel } from '../libs/domain/src/codes';
import { FOLLOW_UP_MILESTONES } from '../libs/domain/src/codes';
import * as A from './assumptions';
import type { Random } from './random';

/**
 * What gets recorded at each step besides dates: exit circumstances, follow-up answers,
 * circumstances of exploitation, needs. All approximate (assumptions.ts applies): the shares
 * lean where the domain says they should (move-on exits to stable housing more often than
 * negative decisions; settled housing rising with time since exit) but none is published.
 */
const EXIT_HOUSING = {
  move_on_complete: { stable: 0.45, temporary: 0.4, homeless: 0.05, unknown: 0.1, detention: 0 },
  negative_decision: { temporary: 0.4, homeless: 0.15, detention: 0.05, stable: 0.1, unknown: 0.3 },
  other: { stable: 0.3, temporary: 0.4, unknown: 0.3, homeless: 0, detention: 0 },
} as const satisfies Record<string, Record<Housing, number>>;
const STATUS_AFTER_MOVE_ON = { leave_to_remain: 0.45, pending: 0.4, refused: 0.05, unknown: 0.1, returned: 0, british_or_settled: 0 } as const;
const STATUS_OTHERWISE = { pending: 0.5, refused: 0.2, unknown: 0.25, returned: 0.05, leave_to_remain: 0, british_or_settled: 0 } as const;
const STATUS_AT_FOLLOW_UP = { leave_to_remain: 0.35, pending: 0.4, refused: 0.1, returned: 0.02, unknown: 0.13, british_or_settled: 0 } as const;
const OCCUPATION = { employed: 0.25, education: 0.15, unemployed: 0.35, unable_to_work: 0.15, unknown: 0.1 } as const satisfies Record<Occupation, number>;
/** Housing at follow-up: more often stable the longer since exit. */
const HOUSING_AT_FOLLOW_UP = new Map<number, Record<Housing, number>>(FOLLOW_UP_MILESTONES.map((months) => {
  const stable = Math.min(0.6, 0.35 + months / 100);
  return [months, { stable, temporary: 0.3, homeless: 0.08, detention: 0.02, unknown: 0.6 - stable }];
}));
const RISK = { low: 0.3, medium: 0.45, high: 0.25 } as const satisfies Record<RiskLevel, number>;
const DEPENDANTS = [[0, 0.78], [1, 0.12], [2, 0.06], [3, 0.04]] as const;
const NEGATIVE_REASONS = ['insufficient_information', 'indicators_not_met', 'credibility_concerns', 'not_modern_slavery'] as const;

export function exitCircumstances(rng: Random, reason: ExitReason, uk: boolean): { housing: Housing; immigrationStatus: ImmigrationStatus } {
  const housing: Housing = reason === 'detained' ? 'detention'
    : reason === 'lost_contact' || reason === 'deceased' || reason === 'returned_home' ? 'unknown'
    : rng.weighted<Housing>(reason === 'move_on_complete' || reason === 'negative_decision' ? EXIT_HOUSING[reason] : EXIT_HOUSING.other);
  const immigrationStatus: ImmigrationStatus = uk ? 'british_or_settled' : reason === 'returned_home' ? 'returned'
    : rng.weighted<ImmigrationStatus>(reason === 'move_on_complete' ? STATUS_AFTER_MOVE_ON : STATUS_OTHERWISE);
  return { housing, immigrationStatus };
}

/** Answers given when contact was made at a follow-up; re-exploitation is likelier shortly before a re-referral. */
export function followUpAnswers(rng: Random, months: number, uk: boolean, reExploitationLikely: boolean) {
  return {
    housing: rng.weighted<Housing>(HOUSING_AT_FOLLOW_UP.get(months)!),
    occupation: rng.weighted<Occupation>(OCCUPATION),
    immigrationStatus: uk ? ('british_or_settled' as const) : rng.weighted<ImmigrationStatus>(STATUS_AT_FOLLOW_UP),
    destitute: rng.chance(0.12),
    safeguardingConcern: rng.chance(0.08),
    reExploitationReported: rng.chance(reExploitationLikely ? 0.5 : 0.03),
  };
}

/** Circumstances in UN HTCDS codes: never names or free text. */
export function circumstances(rng: Random, countyLines: boolean) {
  const h = A.HTCDS;
  return {
    recruitmentMethod: rng.pick(h.recruitment), controlMethods: rng.sample(h.control, rng.int(1, 4)),
    perpetratorRoles: rng.sample(h.roles, rng.int(1, 3)), relationshipToPerpetrator: rng.pick(h.relationship),
    organisedCrimeGroup: rng.chance(countyLines ? 0.8 : 0.35), durationBand: rng.pick(h.duration), debtBand: rng.pick(h.debt),
  };
}

export function needs(rng: Random, child: boolean) {
  return { domains: rng.sample(A.NEEDS_DOMAINS, rng.int(2, 5)), riskLevel: rng.weighted<RiskLevel>(RISK), dependants: child ? 0 : rng.weightedEntry(DEPENDANTS) };
}

export const negativeReason = (rng: Random) => rng.pick(NEGATIVE_REASONS);
