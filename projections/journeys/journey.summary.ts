import type { DecisionView, EpisodeView, JourneyDocument, JourneyStage } from './journey.document';

/** Recomputes the summary fields that caseload queries filter and sort on, from the episodes. */
export function summarise(doc: JourneyDocument): JourneyDocument {
  const summary = summaryOf(doc);
  const attentionFrom = summary.reasonableGroundsTargetOn ?? summary.recoveryPeriodEndsOn ?? summary.nextFollowUpDueOn ?? NOTHING_DUE;
  return { ...summary, attentionFrom };
}

/** Sorts after every real date. */
export const NOTHING_DUE = '9999-12-31';

function summaryOf(doc: JourneyDocument): JourneyDocument {
  const episode = doc.episodes[doc.episodes.length - 1];
  const care = doc.episodes.flatMap((e) => e.care);
  const base = {
    ...doc,
    services: [...new Set(care.map((c) => c.service))].sort(),
    totalCareCostPence: care.reduce((sum, c) => sum + (c.costPence ?? 0), 0),
    currentReferralId: episode?.referralId ?? null,
    awaiting: null,
    waitingSince: null,
    reasonableGroundsTargetOn: null,
    recoveryPeriodEndsOn: null,
    nextFollowUpDueOn: null,
  } satisfies JourneyDocument;
  if (!episode) return { ...base, stage: beforeReferral(doc) };
  if (episode.exit) {
    const due = episode.followUpsPending.map((p) => p.dueOn).sort();
    return { ...base, stage: 'exited', nextFollowUpDueOn: due[0] ?? null };
  }
  return { ...base, ...waiting(episode) };
}

function beforeReferral(doc: JourneyDocument): JourneyStage {
  if (doc.dutyToNotifyOn) return 'duty_to_notify_submitted';
  if (doc.consent.nrm_referral?.given === false) return 'consent_refused';
  return 'identified';
}

const latest = (e: EpisodeView, stage: DecisionView['stage']) => [...e.decisions].reverse().find((d) => d.stage === stage);

function waiting(e: EpisodeView): Pick<JourneyDocument, 'stage' | 'awaiting' | 'waitingSince' | 'reasonableGroundsTargetOn' | 'recoveryPeriodEndsOn'> {
  const none = { reasonableGroundsTargetOn: null, recoveryPeriodEndsOn: null };
  const rg = latest(e, 'reasonable_grounds');
  if (!rg) {
    return { stage: 'awaiting_reasonable_grounds', awaiting: 'reasonable_grounds', waitingSince: e.referredOn, reasonableGroundsTargetOn: e.reasonableGroundsTargetOn, recoveryPeriodEndsOn: null };
  }
  if (rg.outcome === 'negative') {
    return rg.reconsiderationRequestedOn
      ? { ...none, stage: 'reconsideration_requested', awaiting: 'reasonable_grounds', waitingSince: rg.reconsiderationRequestedOn }
      : { ...none, stage: 'negative_reasonable_grounds', awaiting: null, waitingSince: null };
  }
  const cg = latest(e, 'conclusive_grounds');
  if (!cg) {
    return { stage: 'awaiting_conclusive_grounds', awaiting: 'conclusive_grounds', waitingSince: rg.decidedAt, reasonableGroundsTargetOn: null, recoveryPeriodEndsOn: e.recoveryPeriodEndsOn ?? null };
  }
  if (cg.outcome === 'positive') return { ...none, stage: 'positive_conclusive_grounds', awaiting: null, waitingSince: null };
  return cg.reconsiderationRequestedOn
    ? { ...none, stage: 'reconsideration_requested', awaiting: 'conclusive_grounds', waitingSince: cg.reconsiderationRequestedOn }
    : { ...none, stage: 'negative_conclusive_grounds', awaiting: null, waitingSince: null };
}
