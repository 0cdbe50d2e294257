import { addMonths, daysBetween } from '../../libs/domain/src/calendar/calendar-date';
import { workingDaysBetween } from '../../libs/domain/src/calendar/working-days';
import { FOLLOW_UP_MILESTONES } from '../../libs/domain/src/codes';
import { journeyIdOfStream, JOURNEY_STREAM_PREFIX } from '../../libs/domain/src/events';
import { correctHistory, type JourneyFact } from '../../libs/domain/src/journey/corrections';
import { reasonableGroundsTargetDate, recoveryPeriodEnds, REASONABLE_GROUNDS_TARGET_WORKING_DAYS } from '../../libs/domain/src/policy';
import { regionOf } from '../../libs/domain/src/police-force-areas';
import { sortablePosition, type DocumentProjection, type ProjectedEvent } from '../projection';
import type { DecisionView, EpisodeView, JourneyDocument } from './journey.document';
import { summarise } from './journey.summary';

/** The journey read model (`journeys`): one document per person, for support workers' caseloads. */
export const journeyProjection: DocumentProjection<JourneyDocument> = {
  name: 'journeys',
  // 2: lastPosition became a sortable string (was a JS number, which rounds large positions).
  // 3: organisationId is the caseload organisation (was the first responder's); transfers and erasure.
  // 4: corrections (RecordCorrected), with the folded events kept to fold again.
  // 5: no folded events in the document: a correction folds the stream's events again.
  version: 5,
  collection: 'journeys',
  indexes: [
    { key: { organisationId: 1, stage: 1 }, name: 'organisation_stage' },
    { key: { awaiting: 1, reasonableGroundsTargetOn: 1 }, name: 'awaiting_rg_target' },
    { key: { nextFollowUpDueOn: 1 }, name: 'next_follow_up_due' },
    { key: { organisationId: 1, attentionFrom: 1 }, name: 'caseload_order' },
    { key: { identifiedOn: 1, journeyId: 1 }, name: 'identified_order' },
    // The caseload's search by referral reference (current or earlier). Created at start if missing: no rebuild.
    { key: { 'episodes.referralId': 1 }, name: 'referral_ids' },
  ],
  documentId: (event) => (event.streamId.startsWith(JOURNEY_STREAM_PREFIX) ? journeyIdOfStream(event.streamId) : undefined),
  needsHistory: (event) => event.type === 'RecordCorrected',
  evolve(document, event, history) {
    const next = event.type === 'RecordCorrected' ? corrected(document, event, history) : apply(document, event);
    if (!next) return null;
    return {
      ...summarise(next),
      lastPosition: sortablePosition(event.position),
      lastRevision: Number(event.revision),
      lastRecordedAt: event.metadata.recordedAt,
    };
  },
};

/**
 * A correction folds the journey's events again, from the first, with every correction up to
 * this one applied to the events it corrects: exactly the document a replay of the corrected
 * history gives. The cost is bounded by the journey's length; corrections are rare.
 */
function corrected(doc: JourneyDocument | null, correction: ProjectedEvent & { type: 'RecordCorrected' }, history: readonly ProjectedEvent[] | undefined): JourneyDocument | null {
  if (!doc) return null;
  if (!history) throw new Error(`Projecting the correction ${correction.id} needs the journey's earlier events`);
  return correctedFacts([...history, correction]).reduce<JourneyDocument | null>(apply, null);
}

/** A journey's facts, in order, with each correction among `events` applied to the facts before it. */
export function correctedFacts(events: readonly ProjectedEvent[]): JourneyFact[] {
  let facts: JourneyFact[] = [];
  for (const event of events) {
    if (event.type === 'RecordCorrected') facts = correctHistory(facts, event.data);
    else facts.push(event as JourneyFact);
  }
  return facts;
}

function apply(doc: JourneyDocument | null, event: JourneyFact): JourneyDocument | null {
  if (event.type === 'VictimIdentified') return identified(event.data);
  if (!doc) return null; // cannot happen: the decider records nothing before identification
  switch (event.type) {
    case 'ConsentRecorded': {
      const { scope, given, occurredAt, interpreterUsed } = event.data;
      return { ...doc, consent: { ...doc.consent, [scope]: { given, on: occurredAt, interpreterUsed } } };
    }
    case 'DutyToNotifySubmitted':
      return { ...doc, dutyToNotifyOn: event.data.occurredAt };
    case 'CircumstancesRecorded':
      return { ...doc, circumstancesRecorded: doc.circumstancesRecorded + 1 };
    case 'VictimReferred': {
      const { referralId, occurredAt, competentAuthority, supportRequested } = event.data;
      return { ...doc, episodes: [...doc.episodes, newEpisode(1, referralId, occurredAt, competentAuthority, { supportRequested })] };
    }
    case 'VictimReReferred': {
      const { newReferralId, previousReferralId, sameIncident, occurredAt, competentAuthority } = event.data;
      const episode = newEpisode(doc.episodes.length + 1, newReferralId, occurredAt, competentAuthority, { previousReferralId, sameIncident });
      return { ...doc, reReferred: true, episodes: [...doc.episodes, episode] };
    }
    case 'DecisionMade':
      return onEpisode(doc, event.data.referralId, (e) => withDecision(e, event.id, event.data));
    case 'ReconsiderationRequested': {
      const { referralId, decisionEventId, requestedOn } = event.data;
      return onEpisode(doc, referralId, (e) => ({
        ...e,
        decisions: e.decisions.map((d) => (d.eventId === decisionEventId ? { ...d, reconsiderationRequestedOn: requestedOn } : d)),
      }));
    }
    case 'NeedsAssessed': {
      const { occurredAt, riskLevel, domains, dependants } = event.data;
      return onCurrent(doc, (e) => ({ ...e, needsAssessments: [...e.needsAssessments, { on: occurredAt, riskLevel, domains, dependants }] }));
    }
    case 'CareProvided': {
      const { service, providerId, startedOn, endedOn, costPence } = event.data;
      return onCurrent(doc, (e) => ({ ...e, care: [...e.care, withoutUndefined({ service, providerId, startedOn, endedOn, costPence })] }));
    }
    case 'VictimExited': {
      const { occurredAt, reason, housing, immigrationStatus } = event.data;
      return onCurrent(doc, (e) => ({
        ...e,
        exit: { on: occurredAt, reason, housing, immigrationStatus, daysInSupport: daysBetween(e.referredOn, occurredAt) },
        followUpsPending: FOLLOW_UP_MILESTONES.map((m) => ({ monthsSinceExit: m, dueOn: addMonths(occurredAt, m) })),
      }));
    }
    case 'JourneyTransferred':
      return { ...doc, organisationId: event.data.toOrganisationId };
    case 'PersonalDataErased':
      return { ...doc, personalData: 'erased', personalDataErasedOn: event.data.occurredAt };
    case 'FollowUpRecorded': {
      const { occurredAt, ...rest } = event.data;
      return onCurrent(doc, (e) => ({
        ...e,
        followUps: [...e.followUps, { on: occurredAt, ...rest }],
        followUpsPending: e.followUpsPending.filter((p) => p.monthsSinceExit !== rest.monthsSinceExit),
      }));
    }
  }
}

function identified(data: Extract<JourneyFact, { type: 'VictimIdentified' }>['data']): JourneyDocument {
  return {
    _id: data.journeyId,
    journeyId: data.journeyId,
    organisationId: data.caseloadOrganisationId,
    firstResponderId: data.firstResponder.organisationId,
    firstResponderType: data.firstResponder.organisationType,
    identifiedOn: data.occurredAt,
    ageGroup: data.ageGroup,
    gender: data.gender,
    nationality: data.nationality,
    exploitationTypes: data.exploitationTypes,
    countyLines: data.countyLines,
    exploitationLocation: data.exploitationLocation,
    policeForceArea: data.policeForceArea,
    region: regionOf(data.policeForceArea) ?? null,
    indicators: data.indicators,
    consent: {},
    personalData: data.personalDetails ? 'held' : 'none',
    personalDataErasedOn: null,
    circumstancesRecorded: 0,
    stage: 'identified',
    awaiting: null,
    waitingSince: null,
    reasonableGroundsTargetOn: null,
    recoveryPeriodEndsOn: null,
    nextFollowUpDueOn: null,
    attentionFrom: '9999-12-31',
    currentReferralId: null,
    reReferred: false,
    episodes: [],
    services: [],
    totalCareCostPence: 0,
    lastPosition: '',
    lastRevision: -1,
    lastRecordedAt: '',
  };
}

function newEpisode(number: number, referralId: string, referredOn: string, competentAuthority: EpisodeView['competentAuthority'], extra: Partial<EpisodeView>): EpisodeView {
  return {
    number, referralId, referredOn, competentAuthority, ...withoutUndefined(extra),
    reasonableGroundsTargetOn: reasonableGroundsTargetDate(referredOn),
    decisions: [], needsAssessments: [], care: [], followUps: [], followUpsPending: [],
  };
}

function withDecision(e: EpisodeView, eventId: string, data: Extract<JourneyFact, { type: 'DecisionMade' }>['data']): EpisodeView {
  const { stage, outcome, decidedAt, reasonCode } = data;
  if (stage === 'reasonable_grounds') {
    const workingDays = workingDaysBetween(e.referredOn, decidedAt);
    const decision: DecisionView = withoutUndefined({ eventId, stage, outcome, decidedAt, reasonCode, waited: workingDays });
    return {
      ...e,
      decisions: [...e.decisions, decision],
      reasonableGrounds: { outcome, decidedAt, workingDays, withinTarget: workingDays <= REASONABLE_GROUNDS_TARGET_WORKING_DAYS },
      ...(outcome === 'positive' ? { recoveryPeriodEndsOn: recoveryPeriodEnds(decidedAt) } : {}),
    };
  }
  const rgDate = e.reasonableGrounds?.decidedAt ?? e.referredOn;
  const daysFromReasonableGrounds = daysBetween(rgDate, decidedAt);
  return {
    ...e,
    decisions: [...e.decisions, withoutUndefined({ eventId, stage, outcome, decidedAt, reasonCode, waited: daysFromReasonableGrounds })],
    conclusiveGrounds: { outcome, decidedAt, daysFromReasonableGrounds, daysFromReferral: daysBetween(e.referredOn, decidedAt) },
  };
}

/** Optional facts that were not given are left out, not stored as null. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function onEpisode(doc: JourneyDocument, referralId: string, change: (e: EpisodeView) => EpisodeView): JourneyDocument {
  return { ...doc, episodes: doc.episodes.map((e) => (e.referralId === referralId ? change(e) : e)) };
}

function onCurrent(doc: JourneyDocument, change: (e: EpisodeView) => EpisodeView): JourneyDocument {
  const last = doc.episodes.length - 1;
  return { ...doc, episodes: doc.episodes.map((e, i) => (i === last ? change(e) : e)) };
}
