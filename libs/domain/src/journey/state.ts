import type { AgeGroup, CompetentAuthority, DecisionOutcome, DecisionStage, ExitReason } from '../codes';
import type { CalendarDate } from '../calendar/calendar-date';
import type { RecordedJourneyEvent } from '../events';
import { correctHistory, type JourneyFact } from './corrections';

/** A decision as the rules need it. */
export interface Decision {
  eventId: string;
  stage: DecisionStage;
  outcome: DecisionOutcome;
  decidedAt: CalendarDate;
  reconsiderationRequestedOn?: CalendarDate;
}

/** One referral into the NRM and what followed, up to exit. A re-referral opens another. */
export interface Episode {
  referralId: string;
  referredOn: CalendarDate;
  competentAuthority: CompetentAuthority;
  decisions: Decision[];
  exitedOn?: CalendarDate;
  exitReason?: ExitReason;
}

/** What the decider needs to know about a journey: nothing more. */
export interface JourneyState {
  identified: boolean;
  identifiedOn?: CalendarDate;
  ageGroup?: AgeGroup;
  /** Whose caseload the journey is on: who may read and record it. */
  caseloadOrganisationId?: string;
  personalDataErasedOn?: CalendarDate;
  /** Latest answer to consent for an NRM referral, if asked. */
  referralConsent?: { given: boolean; on: CalendarDate };
  dutyToNotifyOn?: CalendarDate;
  episodes: Episode[];
  /**
   * The journey's events but corrections, in order, with every correction applied: what a
   * correction re-decides, and what the state is folded again from when one arrives.
   */
  facts: JourneyFact[];
  /** Ids of the journey's RecordCorrected events (a correction is never corrected). */
  correctionIds: string[];
}

export const initialState = (): JourneyState => ({ identified: false, episodes: [], facts: [], correctionIds: [] });

export function currentEpisode(state: JourneyState): Episode | undefined {
  return state.episodes[state.episodes.length - 1];
}

export function isOpen(episode: Episode | undefined): episode is Episode {
  return episode !== undefined && episode.exitedOn === undefined;
}

/** The decision in force at a stage: the latest one (an overturn replaces, never edits). */
export function decisionInForce(episode: Episode, stage: DecisionStage): Decision | undefined {
  for (let i = episode.decisions.length - 1; i >= 0; i--) {
    if (episode.decisions[i].stage === stage) return episode.decisions[i];
  }
  return undefined;
}

export function findEpisode(state: JourneyState, referralId: string): Episode | undefined {
  return state.episodes.find((e) => e.referralId === referralId);
}

/**
 * Folds one recorded event into the state. Pure: returns a new state. A correction folds
 * the corrected history again from the start, so later commands decide on corrected facts.
 */
export function evolve(state: JourneyState, event: RecordedJourneyEvent): JourneyState {
  if (event.type !== 'RecordCorrected') return { ...evolveFact(state, event), facts: [...state.facts, event] };
  const refolded = correctHistory(state.facts, event.data).reduce(evolve, initialState());
  return { ...refolded, correctionIds: [...state.correctionIds, event.id] };
}

function evolveFact(state: JourneyState, event: JourneyFact): JourneyState {
  switch (event.type) {
    case 'VictimIdentified':
      return {
        ...state, identified: true, identifiedOn: event.data.occurredAt, ageGroup: event.data.ageGroup,
        caseloadOrganisationId: event.data.caseloadOrganisationId,
      };
    case 'JourneyTransferred':
      return { ...state, caseloadOrganisationId: event.data.toOrganisationId };
    case 'PersonalDataErased':
      return { ...state, personalDataErasedOn: event.data.occurredAt };
    case 'ConsentRecorded':
      if (event.data.scope !== 'nrm_referral') return state;
      return { ...state, referralConsent: { given: event.data.given, on: event.data.occurredAt } };
    case 'DutyToNotifySubmitted':
      return { ...state, dutyToNotifyOn: event.data.occurredAt };
    case 'VictimReferred':
      return withEpisode(state, event.data.referralId, event.data.occurredAt, event.data.competentAuthority);
    case 'VictimReReferred':
      return withEpisode(state, event.data.newReferralId, event.data.occurredAt, event.data.competentAuthority);
    case 'DecisionMade': {
      const { referralId, stage, outcome, decidedAt } = event.data;
      return updateEpisode(state, referralId, (e) => ({
        ...e,
        decisions: [...e.decisions, { eventId: event.id, stage, outcome, decidedAt }],
      }));
    }
    case 'ReconsiderationRequested': {
      const { referralId, decisionEventId, requestedOn } = event.data;
      return updateEpisode(state, referralId, (e) => ({
        ...e,
        decisions: e.decisions.map((d) =>
          d.eventId === decisionEventId ? { ...d, reconsiderationRequestedOn: requestedOn } : d,
        ),
      }));
    }
    case 'VictimExited': {
      const episode = currentEpisode(state);
      if (!episode) return state;
      return updateEpisode(state, episode.referralId, (e) => ({
        ...e, exitedOn: event.data.occurredAt, exitReason: event.data.reason,
      }));
    }
    case 'CircumstancesRecorded':
    case 'NeedsAssessed':
    case 'CareProvided':
    case 'FollowUpRecorded':
      return state;
  }
}

function withEpisode(state: JourneyState, referralId: string, referredOn: CalendarDate, competentAuthority: CompetentAuthority): JourneyState {
  return { ...state, episodes: [...state.episodes, { referralId, referredOn, competentAuthority, decisions: [] }] };
}

function updateEpisode(state: JourneyState, referralId: string, change: (e: Episode) => Episode): JourneyState {
  return { ...state, episodes: state.episodes.map((e) => (e.referralId === referralId ? change(e) : e)) };
}
