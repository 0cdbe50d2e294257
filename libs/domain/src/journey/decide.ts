import { CalendarDate, ukDateOf } from '../calendar/calendar-date';
import type { JourneyEvent } from '../events';
import { NRM_START, reconsiderationDeadline, recoveryPeriodEnds } from '../policy';
import { broken } from '../rules';
import { JourneyCommand, JourneyCommandOf } from './commands';
import { correctRecord } from './correct-record';
import { Episode, JourneyState, currentEpisode, decisionInForce, findEpisode, isOpen } from './state';

/**
 * Decides what a command records, given the journey so far. Pure: the clock comes in with
 * the command. Throws JourneyRuleBroken (nothing is recorded) when a rule of DOMAIN.md's
 * invariants would break; otherwise returns the events to append.
 */
export function decide(command: JourneyCommand, state: JourneyState): JourneyEvent[] {
  const today = ukDateOf(command.now);
  notInFuture('occurredAt', command.data.occurredAt, today);
  if (command.type === 'IdentifyVictim') return identify(command, state);
  if (!state.identified) {
    broken('JOURNEY_NOT_IDENTIFIED', 'Nothing can be recorded before the person is identified: record the identification first.');
  }
  notBefore('occurredAt', command.data.occurredAt, state.identifiedOn!, 'the identification');
  switch (command.type) {
    case 'RecordConsent':
      return [{ type: 'ConsentRecorded', data: command.data }];
    case 'SubmitDutyToNotify':
      return dutyToNotify(command, state);
    case 'RecordCircumstances':
      return [{ type: 'CircumstancesRecorded', data: command.data }];
    case 'ReferVictim':
      return refer(command, state);
    case 'RecordDecision':
      return recordDecision(command, state, today);
    case 'RequestReconsideration':
      return requestReconsideration(command, state, today);
    case 'AssessNeeds':
      openEpisode(state, 'A needs assessment', command.data.occurredAt);
      return [{ type: 'NeedsAssessed', data: command.data }];
    case 'RecordCare':
      return recordCare(command, state, today);
    case 'RecordExit':
      return recordExit(command, state);
    case 'RecordFollowUp':
      return recordFollowUp(command, state);
    case 'ReReferVictim':
      return reRefer(command, state);
    case 'TransferJourney':
      return transfer(command, state);
    case 'ErasePersonalData':
      if (state.personalDataErasedOn) {
        broken('PERSONAL_DATA_ALREADY_ERASED', `This person's personal data was already erased on ${state.personalDataErasedOn}.`);
      }
      return [{ type: 'PersonalDataErased', data: command.data }];
    case 'CorrectRecord':
      return correctRecord(command, state, decide);
  }
}

function transfer(command: JourneyCommandOf<'TransferJourney'>, state: JourneyState): JourneyEvent[] {
  const fromOrganisationId = state.caseloadOrganisationId!;
  if (command.data.toOrganisationId === fromOrganisationId) {
    broken('TRANSFER_TO_SAME_ORGANISATION', `The journey is already on ${fromOrganisationId}'s caseload.`, 'toOrganisationId');
  }
  return [{ type: 'JourneyTransferred', data: { ...command.data, fromOrganisationId } }];
}

function identify(command: JourneyCommandOf<'IdentifyVictim'>, state: JourneyState): JourneyEvent[] {
  if (state.identified) {
    broken('JOURNEY_ALREADY_IDENTIFIED', 'This journey has already been identified; record the next step instead.', 'journeyId');
  }
  if (command.data.occurredAt < NRM_START) {
    broken('DATE_BEFORE_NRM', `The identification date is before the NRM began (${NRM_START}).`, 'occurredAt');
  }
  return [{ type: 'VictimIdentified', data: command.data }];
}

/** Age is presumed to be under 18 when unknown (Modern Slavery Act 2015, s.51), so only an adult's referral needs consent. */
const needsConsent = (state: JourneyState) => state.ageGroup === 'adult';

function dutyToNotify(command: JourneyCommandOf<'SubmitDutyToNotify'>, state: JourneyState): JourneyEvent[] {
  if (!needsConsent(state)) {
    broken('DUTY_TO_NOTIFY_NOT_FOR_CHILD', 'A child (or a person whose age is unknown) is referred without consent, not reported by Duty to Notify: record a referral instead.');
  }
  if (state.dutyToNotifyOn) broken('DUTY_TO_NOTIFY_ALREADY_SUBMITTED', `A Duty to Notify was already submitted on ${state.dutyToNotifyOn}.`);
  if (state.episodes.length > 0) broken('ALREADY_REFERRED', 'This person has been referred into the NRM, so no Duty to Notify is needed.');
  if (state.referralConsent?.given !== false) {
    broken('DUTY_TO_NOTIFY_NEEDS_REFUSED_CONSENT', 'A Duty to Notify is for an adult who did not consent to a referral: record their answer to consent first.');
  }
  notBefore('occurredAt', command.data.occurredAt, state.referralConsent.on, 'the consent answer');
  return [{ type: 'DutyToNotifySubmitted', data: command.data }];
}

function requireReferralConsent(state: JourneyState, occurredAt: CalendarDate): void {
  if (!needsConsent(state)) return;
  if (!state.referralConsent?.given) {
    broken('CONSENT_REQUIRED_FOR_ADULT_REFERRAL', state.referralConsent
      ? 'This adult did not consent to a referral. Record their consent if they now give it, or submit a Duty to Notify.'
      : 'An adult can only be referred with informed consent: record their consent to an NRM referral first.');
  }
  notBefore('occurredAt', occurredAt, state.referralConsent.on, 'the consent');
}

function refer(command: JourneyCommandOf<'ReferVictim'>, state: JourneyState): JourneyEvent[] {
  if (state.episodes.length > 0) {
    broken('ALREADY_REFERRED', 'This person has already been referred. After an exit, record a re-referral instead.');
  }
  requireReferralConsent(state, command.data.occurredAt);
  return [{ type: 'VictimReferred', data: command.data }];
}

function recordDecision(command: JourneyCommandOf<'RecordDecision'>, state: JourneyState, today: CalendarDate): JourneyEvent[] {
  const { referralId, stage, decidedAt, occurredAt } = command.data;
  const episode = referral(state, referralId);
  notInFuture('decidedAt', decidedAt, today);
  notBefore('decidedAt', decidedAt, episode.referredOn, 'the referral');
  notBefore('occurredAt', occurredAt, decidedAt, 'the decision date');
  const previous = decisionInForce(episode, stage);
  if (stage === 'reasonable_grounds') {
    if (previous && !previous.reconsiderationRequestedOn) {
      broken('REASONABLE_GROUNDS_ALREADY_DECIDED', `A Reasonable Grounds decision was already made on ${previous.decidedAt}. A new one needs a reconsideration request first.`);
    }
    if (!previous && !isOpen(episode)) {
      broken('REASONABLE_GROUNDS_NEEDS_OPEN_REFERRAL', 'A Reasonable Grounds decision needs an open referral, and this person has exited.', 'referralId');
    }
    if (previous) notBefore('decidedAt', decidedAt, previous.reconsiderationRequestedOn!, 'the reconsideration request');
  } else {
    const rg = decisionInForce(episode, 'reasonable_grounds');
    if (rg?.outcome !== 'positive') {
      broken('CONCLUSIVE_GROUNDS_WITHOUT_POSITIVE_REASONABLE_GROUNDS', 'A Conclusive Grounds decision needs a positive Reasonable Grounds decision on the same referral first.', 'stage');
    }
    const earliest = recoveryPeriodEnds(rg.decidedAt);
    if (decidedAt < earliest) {
      broken('CONCLUSIVE_GROUNDS_BEFORE_RECOVERY_PERIOD', `A Conclusive Grounds decision cannot be made before the recovery period ends: the earliest date is ${earliest} (RG decided ${rg.decidedAt}).`, 'decidedAt');
    }
    if (previous && !previous.reconsiderationRequestedOn) {
      broken('CONCLUSIVE_GROUNDS_ALREADY_DECIDED', `A Conclusive Grounds decision was already made on ${previous.decidedAt}. A new one needs a reconsideration request first.`);
    }
    if (previous) notBefore('decidedAt', decidedAt, previous.reconsiderationRequestedOn!, 'the reconsideration request');
  }
  return [{ type: 'DecisionMade', data: command.data }];
}

function requestReconsideration(command: JourneyCommandOf<'RequestReconsideration'>, state: JourneyState, today: CalendarDate): JourneyEvent[] {
  const { referralId, decisionEventId, requestedOn, occurredAt } = command.data;
  const episode = referral(state, referralId);
  const decision = episode.decisions.find((d) => d.eventId === decisionEventId);
  if (!decision) broken('DECISION_NOT_FOUND', `No decision ${decisionEventId} was made on referral ${referralId}.`, 'decisionEventId');
  if (decision.outcome === 'positive') broken('RECONSIDERATION_OF_POSITIVE_DECISION', 'Only a negative decision can be reconsidered.', 'decisionEventId');
  if (decisionInForce(episode, decision.stage) !== decision) {
    broken('RECONSIDERATION_OF_SUPERSEDED_DECISION', 'That decision has been replaced by a later one: reconsider the decision in force.', 'decisionEventId');
  }
  if (decision.reconsiderationRequestedOn) {
    broken('RECONSIDERATION_ALREADY_REQUESTED', `Reconsideration of this decision was already requested on ${decision.reconsiderationRequestedOn}.`, 'decisionEventId');
  }
  notInFuture('requestedOn', requestedOn, today);
  notBefore('requestedOn', requestedOn, decision.decidedAt, 'the decision');
  notBefore('occurredAt', occurredAt, decision.decidedAt, 'the decision');
  const deadline = reconsiderationDeadline(decision.decidedAt);
  if (deadline && requestedOn > deadline) {
    broken('RECONSIDERATION_WINDOW_CLOSED', `Reconsideration must be requested within 30 days of the decision, by ${deadline}.`, 'requestedOn');
  }
  return [{ type: 'ReconsiderationRequested', data: command.data }];
}

function recordCare(command: JourneyCommandOf<'RecordCare'>, state: JourneyState, today: CalendarDate): JourneyEvent[] {
  const { startedOn, endedOn } = command.data;
  const episode = openEpisode(state, 'Care', command.data.occurredAt);
  notInFuture('startedOn', startedOn, today);
  notBefore('startedOn', startedOn, episode.referredOn, 'the referral');
  if (endedOn !== undefined) {
    notInFuture('endedOn', endedOn, today);
    if (endedOn < startedOn) broken('CARE_ENDS_BEFORE_IT_STARTS', `Care cannot end (${endedOn}) before it started (${startedOn}).`, 'endedOn');
  }
  return [{ type: 'CareProvided', data: command.data }];
}

function recordExit(command: JourneyCommandOf<'RecordExit'>, state: JourneyState): JourneyEvent[] {
  const episode = openEpisode(state, 'An exit', command.data.occurredAt);
  if (command.data.reason === 'move_on_complete') {
    const cg = decisionInForce(episode, 'conclusive_grounds');
    if (cg?.outcome !== 'positive') {
      broken('MOVE_ON_WITHOUT_POSITIVE_CONCLUSIVE_GROUNDS', 'Exit after move-on support needs a positive Conclusive Grounds decision first.', 'reason');
    }
    notBefore('occurredAt', command.data.occurredAt, cg.decidedAt, 'the Conclusive Grounds decision');
  }
  return [{ type: 'VictimExited', data: command.data }];
}

function recordFollowUp(command: JourneyCommandOf<'RecordFollowUp'>, state: JourneyState): JourneyEvent[] {
  const episode = currentEpisode(state);
  if (!episode?.exitedOn) broken('FOLLOW_UP_WITHOUT_EXIT', 'Follow-ups are recorded after a person exits support, and this person has not exited.');
  notBefore('occurredAt', command.data.occurredAt, episode.exitedOn, 'the exit');
  return [{ type: 'FollowUpRecorded', data: command.data }];
}

function reRefer(command: JourneyCommandOf<'ReReferVictim'>, state: JourneyState): JourneyEvent[] {
  const episode = currentEpisode(state);
  if (!episode?.exitedOn) {
    broken('RE_REFERRAL_WITHOUT_EXIT', episode
      ? 'A re-referral opens a new episode after an exit, and this person has not exited.'
      : 'This person has never been referred: record a referral instead.');
  }
  if (command.data.previousReferralId !== episode.referralId) {
    broken('RE_REFERRAL_OF_WRONG_REFERRAL', `A re-referral follows the latest referral, ${episode.referralId}.`, 'previousReferralId');
  }
  if (findEpisode(state, command.data.newReferralId)) {
    broken('REFERRAL_ID_IN_USE', `Referral ${command.data.newReferralId} already exists on this journey.`, 'newReferralId');
  }
  notBefore('occurredAt', command.data.occurredAt, episode.exitedOn, 'the exit');
  requireReferralConsent(state, command.data.occurredAt);
  return [{ type: 'VictimReReferred', data: command.data }];
}

function referral(state: JourneyState, referralId: string): Episode {
  const episode = findEpisode(state, referralId);
  if (!episode) broken('REFERRAL_NOT_FOUND', `There is no referral ${referralId} on this journey.`, 'referralId');
  return episode;
}

function openEpisode(state: JourneyState, what: string, occurredAt: CalendarDate): Episode {
  const episode = currentEpisode(state);
  if (!isOpen(episode)) {
    broken('NO_OPEN_EPISODE', `${what} can only be recorded while the person is in the NRM (referred and not exited).`);
  }
  notBefore('occurredAt', occurredAt, episode.referredOn, 'the referral');
  return episode;
}

function notInFuture(field: string, date: CalendarDate, today: CalendarDate): void {
  if (date > today) broken('DATE_IN_FUTURE', `${field} (${date}) is in the future; record what has happened.`, field);
}

function notBefore(field: string, date: CalendarDate, dependency: CalendarDate, what: string): void {
  if (date < dependency) broken('DATE_BEFORE_DEPENDENCY', `${field} (${date}) is before ${what} (${dependency}).`, field);
}
