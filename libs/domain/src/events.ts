import type {
  AgeGroup, CareService, CompetentAuthority, ConsentScope, DecisionOutcome, DecisionStage,
  ErasureLegalBasis, ExitReason, ExploitationLocation, ExploitationType, Gender, Housing,
  ImmigrationStatus, Occupation, OrganisationType, RiskLevel, TransferReason,
} from './codes';
import type { CalendarDate } from './calendar/calendar-date';

/**
 * The journey event catalogue, version 1 (DOMAIN.md). Events are past-tense facts; a
 * shipped type is never renamed or reshaped: a new shape gets a new schema version and an
 * upcaster (see upcasting.ts). Every event says when it happened (`occurredAt`, a UK date
 * given by the user); who recorded it and when is metadata kept by the store.
 */

export interface PersonalDetails {
  name?: string;
  dateOfBirth?: CalendarDate;
  contact?: { phone?: string; email?: string; address?: string };
  notes?: string;
}

export interface VictimIdentified {
  journeyId: string;
  occurredAt: CalendarDate;
  firstResponder: { organisationId: string; organisationType: OrganisationType };
  ageGroup: AgeGroup;
  gender: Gender;
  nationality: string;
  exploitationTypes: ExploitationType[];
  countyLines: boolean;
  exploitationLocation: ExploitationLocation;
  policeForceArea: string;
  indicators: string[];
  /**
   * The organisation whose support workers hold the case (schema version 2): the
   * identifying support worker's own. Version 1 events had none; their upcaster takes the
   * first responder's. A JourneyTransferred moves the case.
   */
  caseloadOrganisationId: string;
  /**
   * Personal data (PII). Stored sealed: every field encrypted with the journey's own data key
   * (libs/personal-data), so destroying that key erases it without touching the history.
   */
  personalDetails?: PersonalDetails;
}

export interface ConsentRecorded {
  occurredAt: CalendarDate;
  scope: ConsentScope;
  given: boolean;
  interpreterUsed: boolean;
  language?: string;
}

/** An anonymous notification for an adult who did not consent: no personal data at all. */
export interface DutyToNotifySubmitted {
  occurredAt: CalendarDate;
  policeForceArea: string;
  exploitationTypes: ExploitationType[];
}

/** Codes from the UN Human Trafficking Case Data Standard; never perpetrators' names. */
export interface CircumstancesRecorded {
  occurredAt: CalendarDate;
  recruitmentMethod: string;
  controlMethods: string[];
  perpetratorRoles: string[];
  relationshipToPerpetrator: string;
  organisedCrimeGroup: boolean;
  durationBand: string;
  debtBand: string;
}

export interface VictimReferred {
  occurredAt: CalendarDate;
  referralId: string;
  competentAuthority: CompetentAuthority;
  supportRequested: boolean;
}

export interface DecisionMade {
  occurredAt: CalendarDate;
  referralId: string;
  stage: DecisionStage;
  outcome: DecisionOutcome;
  decidedAt: CalendarDate;
  reasonCode?: string;
}

export interface ReconsiderationRequested {
  occurredAt: CalendarDate;
  referralId: string;
  /** Id of the DecisionMade event asked to be reconsidered. */
  decisionEventId: string;
  requestedOn: CalendarDate;
}

export interface NeedsAssessed {
  occurredAt: CalendarDate;
  domains: string[];
  riskLevel: RiskLevel;
  dependants: number;
}

export interface CareProvided {
  occurredAt: CalendarDate;
  service: CareService;
  providerId: string;
  startedOn: CalendarDate;
  endedOn?: CalendarDate;
  costPence?: number;
}

export interface VictimExited {
  occurredAt: CalendarDate;
  reason: ExitReason;
  housing: Housing;
  immigrationStatus: ImmigrationStatus;
}

/** No contact is a fact, not missing data: when `contactMade` is false the rest is absent. */
export interface FollowUpRecorded {
  occurredAt: CalendarDate;
  monthsSinceExit: number;
  contactMade: boolean;
  housing?: Housing;
  occupation?: Occupation;
  immigrationStatus?: ImmigrationStatus;
  destitute?: boolean;
  safeguardingConcern?: boolean;
  reExploitationReported?: boolean;
}

export interface VictimReReferred {
  occurredAt: CalendarDate;
  newReferralId: string;
  previousReferralId: string;
  sameIncident: boolean;
  competentAuthority: CompetentAuthority;
}

/** The case moves to another organisation's caseload; its support workers hold it from now on. */
export interface JourneyTransferred {
  occurredAt: CalendarDate;
  fromOrganisationId: string;
  toOrganisationId: string;
  reason: TransferReason;
}

/**
 * The person's personal data was erased: their data key is destroyed, so the sealed fields
 * of earlier events can never be read again. Everything else (the facts the statistics
 * count) stays. `reason` is a case reference, never personal data.
 */
export interface PersonalDataErased {
  occurredAt: CalendarDate;
  reason: string;
  legalBasis: ErasureLegalBasis;
}

/** One change a correction makes: a dotted path in the corrected event's data and the value it should have had. */
export interface FieldChange {
  field: string;
  /** The right value; null removes an optional field that should not have been recorded. */
  value: unknown;
}

/**
 * An earlier event of the journey was recorded wrongly: these fields of its data should have
 * read so. The original stays in the history; every fold (the decider's state, every read
 * model) applies the correction as a replay of the history with the corrected event would.
 * Personal details among the values are sealed like the identification's.
 */
export interface RecordCorrected {
  occurredAt: CalendarDate;
  correctedEventId: string;
  changes: FieldChange[];
  /** Why the record was wrong. Kept in plain text in the history, so never personal data. */
  reason: string;
}

interface EventMap {
  VictimIdentified: VictimIdentified;
  ConsentRecorded: ConsentRecorded;
  DutyToNotifySubmitted: DutyToNotifySubmitted;
  CircumstancesRecorded: CircumstancesRecorded;
  VictimReferred: VictimReferred;
  DecisionMade: DecisionMade;
  ReconsiderationRequested: ReconsiderationRequested;
  NeedsAssessed: NeedsAssessed;
  CareProvided: CareProvided;
  VictimExited: VictimExited;
  FollowUpRecorded: FollowUpRecorded;
  VictimReReferred: VictimReReferred;
  JourneyTransferred: JourneyTransferred;
  PersonalDataErased: PersonalDataErased;
  RecordCorrected: RecordCorrected;
}

export type JourneyEventType = keyof EventMap;
/** A journey event: its stored `type` is its TypeScript name. */
export type JourneyEvent = { [T in JourneyEventType]: { type: T; data: EventMap[T] } }[JourneyEventType];
export type JourneyEventOf<T extends JourneyEventType> = Extract<JourneyEvent, { type: T }>;
/** A journey event as read back: with the id the store gave it. */
export type RecordedJourneyEvent = JourneyEvent & { id: string };

export const JOURNEY_EVENT_TYPES: readonly JourneyEventType[] = [
  'VictimIdentified', 'ConsentRecorded', 'DutyToNotifySubmitted', 'CircumstancesRecorded',
  'VictimReferred', 'DecisionMade', 'ReconsiderationRequested', 'NeedsAssessed', 'CareProvided',
  'VictimExited', 'FollowUpRecorded', 'VictimReReferred', 'JourneyTransferred', 'PersonalDataErased',
  'RecordCorrected',
];

export function isJourneyEventType(type: string): type is JourneyEventType {
  return (JOURNEY_EVENT_TYPES as readonly string[]).includes(type);
}

/** One stream per person. */
export const JOURNEY_STREAM_PREFIX = 'journey-';
export const journeyStreamId = (journeyId: string) => `${JOURNEY_STREAM_PREFIX}${journeyId}`;
export const journeyIdOfStream = (streamId: string) => streamId.slice(JOURNEY_STREAM_PREFIX.length);
