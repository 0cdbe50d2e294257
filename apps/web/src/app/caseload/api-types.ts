/**
 * What the support workers' app reads from the API (GET /journeys, GET /journeys/:id,
 * GET /journeys/:id/personal-details), mirrored rather than imported so the bundle takes no
 * server code: only the fields the app uses. The journey itself is the timeline's JourneyView
 * (apps/web/src/timeline/api-types.ts) with the fields the caseload needs besides.
 */
import type { JourneyView, JourneyWait } from '../../timeline/api-types';

/** The journey statuses of GET /journeys?status= (projections/journeys/journey.view.ts JOURNEY_STATUSES). */
export const JOURNEY_STATUSES = [
  'identified', 'consent_refused', 'duty_to_notify_submitted', 'awaiting_reasonable_grounds',
  'negative_reasonable_grounds', 'in_recovery_period', 'awaiting_conclusive_grounds',
  'positive_conclusive_grounds', 'negative_conclusive_grounds', 'reconsideration_requested', 'exited',
] as const;
export type JourneyStatus = (typeof JOURNEY_STATUSES)[number];

/** The X-Purpose codes of GET /journeys/:id/personal-details (apps/api/src/personal-data/access-records.ts ACCESS_PURPOSES). */
export const ACCESS_PURPOSES = [
  'case_management', 'safeguarding', 'audit', 'subject_access_request', 'legal_proceedings', 'data_quality',
] as const;
export type AccessPurpose = (typeof ACCESS_PURPOSES)[number];

export interface FollowUpDue {
  monthsSinceExit: number;
  dueOn: string;
}

/** GET /journeys/:id: the journey read model with today's waits, overdue flags and follow-ups due. */
export type AppJourney = JourneyView & {
  followUpsDue: FollowUpDue[];
  reasonableGroundsTargetOn: string | null;
  recoveryPeriodEndsOn: string | null;
  nextFollowUpDueOn: string | null;
};

/** One row of a caseload page: the journey without its episodes (never any personal data). */
export interface CaseloadItem {
  journeyId: string;
  organisationId: string;
  status: string;
  stage: string;
  identifiedOn: string;
  currentReferralId: string | null;
  waiting: JourneyWait | null;
  overdue: { reasonableGrounds: boolean; followUp: boolean };
  followUpsDue: FollowUpDue[];
  reasonableGroundsTargetOn: string | null;
  lastRecordedAt: string;
  lastRevision: number;
  episodeCount: number;
}

/** GET /journeys: one page of the caseload, most overdue first. */
export interface CaseloadPage {
  items: CaseloadItem[];
  page: number;
  pageSize: number;
  total: number;
  asOf: string;
}

/** GET /journeys/:id/personal-details (apps/api/src/personal-data/read-personal-details.query.ts). */
export interface PersonalDetailsRead {
  journeyId: string;
  status: 'held' | 'none' | 'erased';
  personalDetails: {
    name?: string;
    dateOfBirth?: string;
    contact?: { phone?: string; email?: string; address?: string };
    notes?: string;
  } | null;
  erasedOn: string | null;
  accessRecordId: string;
}
