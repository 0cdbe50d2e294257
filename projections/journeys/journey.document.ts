import type * as C from '../../libs/domain/src/codes';
import type { CalendarDate } from '../../libs/domain/src/calendar/calendar-date';

/**
 * The journey read model: one document per person, holding facts and dates only. Anything
 * that depends on today (days waiting, overdue flags, "in recovery period") is derived
 * when it is read, so the projection stays a pure function of the events.
 */
export type JourneyStage =
  | 'identified'
  | 'consent_refused'
  | 'duty_to_notify_submitted'
  | 'awaiting_reasonable_grounds'
  | 'negative_reasonable_grounds'
  | 'awaiting_conclusive_grounds'
  | 'positive_conclusive_grounds'
  | 'negative_conclusive_grounds'
  | 'reconsideration_requested'
  | 'exited';

export interface DecisionView {
  eventId: string;
  stage: C.DecisionStage;
  outcome: C.DecisionOutcome;
  decidedAt: CalendarDate;
  reasonCode?: string;
  /** RG: working days from referral. CG: calendar days from the RG in force. */
  waited: number;
  reconsiderationRequestedOn?: CalendarDate;
}

export interface EpisodeView {
  number: number;
  referralId: string;
  previousReferralId?: string;
  sameIncident?: boolean;
  referredOn: CalendarDate;
  competentAuthority: C.CompetentAuthority;
  supportRequested?: boolean;
  reasonableGroundsTargetOn: CalendarDate;
  decisions: DecisionView[];
  reasonableGrounds?: { outcome: C.DecisionOutcome; decidedAt: CalendarDate; workingDays: number; withinTarget: boolean };
  recoveryPeriodEndsOn?: CalendarDate;
  conclusiveGrounds?: { outcome: C.DecisionOutcome; decidedAt: CalendarDate; daysFromReasonableGrounds: number; daysFromReferral: number };
  needsAssessments: Array<{ on: CalendarDate; riskLevel: C.RiskLevel; domains: string[]; dependants: number }>;
  care: Array<{ service: C.CareService; providerId: string; startedOn: CalendarDate; endedOn?: CalendarDate; costPence?: number }>;
  exit?: { on: CalendarDate; reason: C.ExitReason; housing: C.Housing; immigrationStatus: C.ImmigrationStatus; daysInSupport: number };
  followUps: Array<{ on: CalendarDate; monthsSinceExit: number; contactMade: boolean; reExploitationReported?: boolean; destitute?: boolean; safeguardingConcern?: boolean; housing?: C.Housing; occupation?: C.Occupation; immigrationStatus?: C.ImmigrationStatus }>;
  /** Scheduled follow-ups (1, 3, 6, 12, 24 months after exit) not yet recorded. */
  followUpsPending: Array<{ monthsSinceExit: number; dueOn: CalendarDate }>;
}

export interface JourneyDocument {
  _id: string;
  journeyId: string;
  /** Whose caseload it is on: the identifying support worker's organisation, until a transfer. */
  organisationId: string;
  firstResponderId: string;
  firstResponderType: C.OrganisationType;
  identifiedOn: CalendarDate;
  ageGroup: C.AgeGroup;
  gender: C.Gender;
  nationality: string;
  exploitationTypes: C.ExploitationType[];
  countyLines: boolean;
  exploitationLocation: C.ExploitationLocation;
  policeForceArea: string;
  region: string | null;
  indicators: string[];
  consent: Partial<Record<C.ConsentScope, { given: boolean; on: CalendarDate; interpreterUsed: boolean }>>;
  dutyToNotifyOn?: CalendarDate;
  /**
   * Whether personal details were recorded, and whether they were erased since. The read
   * model never holds personal data itself: it is read, sealed, from the journey's stream.
   */
  personalData: 'none' | 'held' | 'erased';
  personalDataErasedOn: CalendarDate | null;
  circumstancesRecorded: number;
  stage: JourneyStage;
  /** The decision the person is waiting for now, if any. */
  awaiting: C.DecisionStage | null;
  /** When the current wait began (referral for RG, RG decision for CG, request for a reconsideration). */
  waitingSince: CalendarDate | null;
  reasonableGroundsTargetOn: CalendarDate | null;
  recoveryPeriodEndsOn: CalendarDate | null;
  /** Earliest scheduled follow-up not yet recorded, while exited. */
  nextFollowUpDueOn: CalendarDate | null;
  /**
   * The date from which this case needs attention: the RG target date, the end of the
   * recovery period, or the next follow-up; far future when nothing is due. Caseloads sort
   * on it so the most overdue come first.
   */
  attentionFrom: CalendarDate;
  currentReferralId: string | null;
  reReferred: boolean;
  episodes: EpisodeView[];
  services: C.CareService[];
  totalCareCostPence: number;
  /** Last event applied: its global position (sortablePosition) and stream revision; guards against replays. */
  lastPosition: string;
  lastRevision: number;
  lastRecordedAt: string;
}
