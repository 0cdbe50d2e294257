import { CalendarDate, addDays } from './calendar/calendar-date';
import { addWorkingDays } from './calendar/working-days';

/**
 * Policy rules that change over time, each dated by the policy version in force. A rule is
 * chosen by the date of the fact it applies to, so replaying old journeys gives old answers.
 */

/** NRM started on 1 April 2009: nothing in it can have happened earlier. */
export const NRM_START: CalendarDate = '2009-04-01';

/** Target for a Reasonable Grounds decision: 5 working days after referral. */
export const REASONABLE_GROUNDS_TARGET_WORKING_DAYS = 5;

export function reasonableGroundsTargetDate(referredOn: CalendarDate): CalendarDate {
  return addWorkingDays(referredOn, REASONABLE_GROUNDS_TARGET_WORKING_DAYS);
}

/** Minimum recovery period after a positive RG: 45 days before 30 January 2023, 30 from then. */
export const RECOVERY_PERIOD_POLICY_CHANGE: CalendarDate = '2023-01-30';

export function recoveryPeriodDays(reasonableGroundsDecidedAt: CalendarDate): number {
  return reasonableGroundsDecidedAt < RECOVERY_PERIOD_POLICY_CHANGE ? 45 : 30;
}

/** The first date a Conclusive Grounds decision may be made after a positive RG. */
export function recoveryPeriodEnds(reasonableGroundsDecidedAt: CalendarDate): CalendarDate {
  return addDays(reasonableGroundsDecidedAt, recoveryPeriodDays(reasonableGroundsDecidedAt));
}

/**
 * Reconsideration requests must be made within 30 days of the decision for decisions made
 * since the February 2024 guidance (taken as from 2024-02-01); earlier ones had no limit.
 */
export const RECONSIDERATION_WINDOW_FROM: CalendarDate = '2024-02-01';
export const RECONSIDERATION_WINDOW_DAYS = 30;

export function reconsiderationDeadline(decidedAt: CalendarDate): CalendarDate | undefined {
  return decidedAt >= RECONSIDERATION_WINDOW_FROM ? addDays(decidedAt, RECONSIDERATION_WINDOW_DAYS) : undefined;
}

/** Minimum move-on support after a positive CG. */
export const MOVE_ON_SUPPORT_DAYS = 45;
