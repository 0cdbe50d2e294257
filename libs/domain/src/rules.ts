/**
 * Every rule the journey decider enforces, with its stable code. A broken rule appends
 * nothing and reaches the support worker as a 422 with the code and a sentence they can act
 * on. Codes are part of the API: never rename one.
 */
export const RULE_CODES = [
  'JOURNEY_NOT_IDENTIFIED',
  'JOURNEY_ALREADY_IDENTIFIED',
  'CONSENT_REQUIRED_FOR_ADULT_REFERRAL',
  'DUTY_TO_NOTIFY_NOT_FOR_CHILD',
  'DUTY_TO_NOTIFY_NEEDS_REFUSED_CONSENT',
  'DUTY_TO_NOTIFY_ALREADY_SUBMITTED',
  'ALREADY_REFERRED',
  'REFERRAL_NOT_FOUND',
  'REFERRAL_ID_IN_USE',
  'REASONABLE_GROUNDS_NEEDS_OPEN_REFERRAL',
  'REASONABLE_GROUNDS_ALREADY_DECIDED',
  'CONCLUSIVE_GROUNDS_WITHOUT_POSITIVE_REASONABLE_GROUNDS',
  'CONCLUSIVE_GROUNDS_BEFORE_RECOVERY_PERIOD',
  'CONCLUSIVE_GROUNDS_ALREADY_DECIDED',
  'DECISION_NOT_FOUND',
  'RECONSIDERATION_OF_POSITIVE_DECISION',
  'RECONSIDERATION_OF_SUPERSEDED_DECISION',
  'RECONSIDERATION_ALREADY_REQUESTED',
  'RECONSIDERATION_WINDOW_CLOSED',
  'NO_OPEN_EPISODE',
  'MOVE_ON_WITHOUT_POSITIVE_CONCLUSIVE_GROUNDS',
  'FOLLOW_UP_WITHOUT_EXIT',
  'RE_REFERRAL_WITHOUT_EXIT',
  'RE_REFERRAL_OF_WRONG_REFERRAL',
  'DATE_IN_FUTURE',
  'DATE_BEFORE_DEPENDENCY',
  'DATE_BEFORE_NRM',
  'CARE_ENDS_BEFORE_IT_STARTS',
  'TRANSFER_TO_SAME_ORGANISATION',
  'PERSONAL_DATA_ALREADY_ERASED',
  'CORRECTED_EVENT_NOT_FOUND',
  'EVENT_NOT_CORRECTABLE',
  'FIELD_NOT_CORRECTABLE',
] as const;

export type RuleCode = (typeof RULE_CODES)[number];

/** A command would break a rule of the journey; nothing was appended. */
export class JourneyRuleBroken extends Error {
  constructor(
    readonly code: RuleCode,
    message: string,
    /** The request field the rule is about, when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'JourneyRuleBroken';
  }
}

export function broken(code: RuleCode, message: string, field?: string): never {
  throw new JourneyRuleBroken(code, message, field);
}
