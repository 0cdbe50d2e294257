import type * as E from '../events';

/**
 * What a user asks the journey to record. Each command carries its data (shaped
 * like the event it may produce) and `now`, the server's clock when the command arrived, so
 * that deciding is a pure function and replays decide identically.
 */
interface CommandMap {
  IdentifyVictim: E.VictimIdentified;
  RecordConsent: E.ConsentRecorded;
  SubmitDutyToNotify: E.DutyToNotifySubmitted;
  RecordCircumstances: E.CircumstancesRecorded;
  ReferVictim: E.VictimReferred;
  RecordDecision: E.DecisionMade;
  RequestReconsideration: E.ReconsiderationRequested;
  AssessNeeds: E.NeedsAssessed;
  RecordCare: E.CareProvided;
  RecordExit: E.VictimExited;
  RecordFollowUp: E.FollowUpRecorded;
  ReReferVictim: E.VictimReReferred;
  /** The case's current organisation comes from the journey, not the caller. */
  TransferJourney: Omit<E.JourneyTransferred, 'fromOrganisationId'>;
  ErasePersonalData: E.PersonalDataErased;
  CorrectRecord: E.RecordCorrected;
}

export type JourneyCommandType = keyof CommandMap;
export type JourneyCommand = {
  [T in JourneyCommandType]: { type: T; data: CommandMap[T]; now: string };
}[JourneyCommandType];
export type JourneyCommandOf<T extends JourneyCommandType> = Extract<JourneyCommand, { type: T }>;

/** The event each command records when its rules hold. */
export const EVENT_RECORDED_BY = {
  IdentifyVictim: 'VictimIdentified',
  RecordConsent: 'ConsentRecorded',
  SubmitDutyToNotify: 'DutyToNotifySubmitted',
  RecordCircumstances: 'CircumstancesRecorded',
  ReferVictim: 'VictimReferred',
  RecordDecision: 'DecisionMade',
  RequestReconsideration: 'ReconsiderationRequested',
  AssessNeeds: 'NeedsAssessed',
  RecordCare: 'CareProvided',
  RecordExit: 'VictimExited',
  RecordFollowUp: 'FollowUpRecorded',
  ReReferVictim: 'VictimReReferred',
  TransferJourney: 'JourneyTransferred',
  ErasePersonalData: 'PersonalDataErased',
  CorrectRecord: 'RecordCorrected',
} as const satisfies Record<JourneyCommandType, E.JourneyEventType>;
