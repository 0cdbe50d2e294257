import { CalendarDate, daysBetween } from '../../libs/domain/src/calendar/calendar-date';
import { workingDaysBetween } from '../../libs/domain/src/calendar/working-days';
import type { Filter } from '../../libs/read-store/src/read-store.port';
import type { JourneyDocument, JourneyStage } from './journey.document';

/**
 * What a support worker sees of a journey today. The stored document holds dates only;
 * waits and overdue flags are worked out here, against the date asked about.
 */
export type JourneyStatus = Exclude<JourneyStage, 'awaiting_conclusive_grounds'> | 'in_recovery_period' | 'awaiting_conclusive_grounds';

export const JOURNEY_STATUSES: readonly JourneyStatus[] = [
  'identified', 'consent_refused', 'duty_to_notify_submitted', 'awaiting_reasonable_grounds',
  'negative_reasonable_grounds', 'in_recovery_period', 'awaiting_conclusive_grounds',
  'positive_conclusive_grounds', 'negative_conclusive_grounds', 'reconsideration_requested', 'exited',
];

export interface JourneyWait {
  for: 'reasonable_grounds' | 'conclusive_grounds';
  since: CalendarDate;
  /** Calendar days waited so far. */
  days: number;
  /** Working days waited so far (the measure of the RG target). */
  workingDays: number;
  reasonableGroundsTargetOn?: CalendarDate;
  recoveryPeriodEndsOn?: CalendarDate;
}

export type JourneyView = Omit<JourneyDocument, '_id'> & {
  status: JourneyStatus;
  asOf: CalendarDate;
  waiting: JourneyWait | null;
  overdue: { reasonableGrounds: boolean; followUp: boolean };
  followUpsDue: Array<{ monthsSinceExit: number; dueOn: CalendarDate }>;
};

export function statusOf(doc: JourneyDocument, today: CalendarDate): JourneyStatus {
  if (doc.stage !== 'awaiting_conclusive_grounds') return doc.stage;
  return doc.recoveryPeriodEndsOn && today < doc.recoveryPeriodEndsOn ? 'in_recovery_period' : 'awaiting_conclusive_grounds';
}

export function viewJourney(doc: JourneyDocument, today: CalendarDate): JourneyView {
  const { _id, ...fields } = doc;
  const current = doc.episodes[doc.episodes.length - 1];
  const followUpsDue = doc.stage === 'exited' ? (current?.followUpsPending ?? []).filter((p) => p.dueOn <= today) : [];
  return {
    ...fields,
    lastPosition: doc.lastPosition ? BigInt(doc.lastPosition).toString() : doc.lastPosition,
    status: statusOf(doc, today),
    asOf: today,
    waiting: waitOf(doc, today),
    overdue: {
      reasonableGrounds: doc.awaiting === 'reasonable_grounds' && !!doc.reasonableGroundsTargetOn && today > doc.reasonableGroundsTargetOn,
      followUp: followUpsDue.length > 0,
    },
    followUpsDue,
  };
}

function waitOf(doc: JourneyDocument, today: CalendarDate): JourneyWait | null {
  if (!doc.awaiting || !doc.waitingSince) return null;
  return {
    for: doc.awaiting,
    since: doc.waitingSince,
    days: Math.max(0, daysBetween(doc.waitingSince, today)),
    workingDays: workingDaysBetween(doc.waitingSince, today),
    ...(doc.reasonableGroundsTargetOn ? { reasonableGroundsTargetOn: doc.reasonableGroundsTargetOn } : {}),
    ...(doc.recoveryPeriodEndsOn ? { recoveryPeriodEndsOn: doc.recoveryPeriodEndsOn } : {}),
  };
}

export interface CaseloadCriteria {
  status?: JourneyStatus;
  organisationId?: string;
  overdue?: boolean;
}

/** The caseload criteria as a read-store filter, for the given day. */
export function caseloadFilter(criteria: CaseloadCriteria, today: CalendarDate): Filter {
  const all: Filter[] = [];
  if (criteria.organisationId) all.push({ organisationId: criteria.organisationId });
  if (criteria.status === 'in_recovery_period') {
    all.push({ stage: 'awaiting_conclusive_grounds', recoveryPeriodEndsOn: { $gt: today } });
  } else if (criteria.status === 'awaiting_conclusive_grounds') {
    all.push({ stage: 'awaiting_conclusive_grounds', recoveryPeriodEndsOn: { $lte: today } });
  } else if (criteria.status) {
    all.push({ stage: criteria.status });
  }
  if (criteria.overdue !== undefined) {
    const overdue: Filter = {
      $or: [
        { awaiting: 'reasonable_grounds', reasonableGroundsTargetOn: { $lt: today } },
        { stage: 'exited', nextFollowUpDueOn: { $lte: today } },
      ],
    };
    all.push(criteria.overdue ? overdue : { $nor: [overdue] });
  }
  return all.length === 0 ? {} : all.length === 1 ? all[0] : { $and: all };
}

/** Most overdue first (earliest date needing attention), then oldest identification. */
export const CASELOAD_ORDER = { attentionFrom: 1, identifiedOn: 1, journeyId: 1 } as const;
