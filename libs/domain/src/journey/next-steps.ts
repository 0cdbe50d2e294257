import { CalendarDate, addMonths } from '../calendar/calendar-date';
import { EXIT_REASONS, FOLLOW_UP_MILESTONES, type ExitReason } from '../codes';
import { reconsiderationDeadline, recoveryPeriodEnds } from '../policy';
import { JourneyRuleBroken, type RuleCode } from '../rules';
import type { JourneyCommand, JourneyCommandType } from './commands';
import { decide } from './decide';
import { Decision, Episode, JourneyState, currentEpisode, decisionInForce, findEpisode } from './state';

/**
 * What a support worker could record next on a journey, each step allowed or not, and why
 * not. Every answer is the decider's own: each step is put to `decide` as a representative
 * command (its probe), built from the journey's state and dated today, and a refusal is the
 * JourneyRuleBroken it throws. Nothing here restates a rule; what it adds is when time will
 * change an answer (the end of the recovery period, a reconsideration's deadline), from the
 * same policy functions the decider uses, checked again with `decide`.
 *
 * The probe carries valid data of its own (dates are today), so the answer is about the
 * journey's state: a step allowed here can still be refused for what a form sends (a date
 * before the referral, a care end before its start).
 */

/** The steps of a journey after identification, as the API offers them (transfers and corrections aside). */
export const NEXT_STEP_IDS = [
  'consent', 'duty-to-notify', 'circumstances', 'referral', 'reasonable-grounds-decision',
  'conclusive-grounds-decision', 'reconsideration', 'needs-assessment', 'care', 'exit', 'follow-up', 're-referral',
] as const;
export type NextStepId = (typeof NEXT_STEP_IDS)[number];

/** Fields a step's form must send as given (they name what the step is about). */
export type StepPreset = Readonly<Record<string, string | number | boolean>>;

export interface NextStep {
  step: NextStepId;
  title: string;
  /** The command the step records. */
  command: JourneyCommandType;
  preset: StepPreset;
  /** Whether the decider accepts the step today. */
  allowed: boolean;
  /** Why not: the decider's rule code and sentence. Absent when allowed. */
  reason?: { code: RuleCode; message: string };
  /** Refused today, but the decider accepts it from this date (time alone makes it possible). */
  availableFrom?: CalendarDate;
  /** The last date the step may be dated (a reconsideration's deadline); absent when there is none. */
  availableUntil?: CalendarDate;
  /** A follow-up's scheduled date (the decider accepts a follow-up at any time after exit). */
  dueOn?: CalendarDate;
  /** For a field whose codes the rules narrow: the values the decider accepts today (exit: reason). */
  allowedValues?: Readonly<Record<string, readonly string[]>>;
  /** The command put to the decider to answer. Not for the form: its data are stand-ins. */
  probe: JourneyCommand;
}

/** Every step after identification, in journey order, each answered by the decider as of `today` (a UK date). */
export function nextSteps(state: JourneyState, today: CalendarDate): NextStep[] {
  return STEPS.map((define) => define(state, today));
}

/** The decider's answer to a command: undefined when accepted, else the broken rule. */
export function refusalOf(command: JourneyCommand, state: JourneyState): JourneyRuleBroken | undefined {
  try {
    decide(command, state);
    return undefined;
  } catch (error) {
    if (error instanceof JourneyRuleBroken) return error;
    throw error;
  }
}

/** The server clock a probe dated `day` carries: midday UTC is the same date in the UK, winter or summer. */
const nowOn = (day: CalendarDate) => `${day}T12:00:00.000Z`;

type Probe = (day: CalendarDate) => JourneyCommand;

interface Answer {
  allowed: boolean;
  reason?: { code: RuleCode; message: string };
  probe: JourneyCommand;
}

function answer(probe: Probe, state: JourneyState, today: CalendarDate, missing?: Partial<Record<RuleCode, string>>): Answer {
  const command = probe(today);
  const refusal = refusalOf(command, state);
  if (!refusal) return { allowed: true, probe: command };
  // A stand-in id (no referral or decision yet) would show in the decider's sentence: the code stays, the sentence says what is missing.
  const message = missing?.[refusal.code] ?? refusal.message;
  return { allowed: false, reason: { code: refusal.code, message }, probe: command };
}

function step(id: NextStepId, title: string, preset: StepPreset, result: Answer, extra: Partial<NextStep> = {}): NextStep {
  return { step: id, title, command: result.probe.type, preset, allowed: result.allowed, ...(result.reason ? { reason: result.reason } : {}), ...extra, probe: result.probe };
}

/** Stand-in referral id when the journey has none: it cannot be one (a referral id starts with a letter or digit). */
const NO_REFERRAL = '-';
const NO_DECISION = '-';
const NO_REFERRAL_YET = 'This person has not been referred into the NRM: record a referral first.';

type StepDefinition = (state: JourneyState, today: CalendarDate) => NextStep;

const consent: StepDefinition = (state, today) =>
  step('consent', 'Record consent to a referral (or its refusal)', {}, answer((day) => ({
    type: 'RecordConsent', now: nowOn(day), data: { occurredAt: day, scope: 'nrm_referral', given: true, interpreterUsed: false },
  }), state, today));

const dutyToNotify: StepDefinition = (state, today) =>
  step('duty-to-notify', 'Submit a Duty to Notify (anonymous, for an adult who did not consent)', {}, answer((day) => ({
    type: 'SubmitDutyToNotify', now: nowOn(day), data: { occurredAt: day, policeForceArea: 'E23000001', exploitationTypes: ['unknown'] },
  }), state, today));

const circumstances: StepDefinition = (state, today) =>
  step('circumstances', 'Record the circumstances of exploitation', {}, answer((day) => ({
    type: 'RecordCircumstances', now: nowOn(day),
    data: {
      occurredAt: day, recruitmentMethod: 'unknown', controlMethods: [], perpetratorRoles: [], relationshipToPerpetrator: 'unknown',
      organisedCrimeGroup: false, durationBand: 'unknown', debtBand: 'unknown',
    },
  }), state, today));

const referral: StepDefinition = (state, today) =>
  step('referral', 'Refer into the NRM', {}, answer((day) => ({
    type: 'ReferVictim', now: nowOn(day), data: { occurredAt: day, referralId: unusedReferralId(state, 'NRM-NEW'), competentAuthority: 'SCA', supportRequested: true },
  }), state, today));

const decisionProbe = (stage: Decision['stage'], referralId: string): Probe => (day) => ({
  type: 'RecordDecision', now: nowOn(day), data: { occurredAt: day, referralId, stage, outcome: 'positive', decidedAt: day },
});

const reasonableGrounds: StepDefinition = (state, today) => {
  const referralId = currentEpisode(state)?.referralId;
  const result = answer(decisionProbe('reasonable_grounds', referralId ?? NO_REFERRAL), state, today, { REFERRAL_NOT_FOUND: NO_REFERRAL_YET });
  return step('reasonable-grounds-decision', 'Record the Reasonable Grounds decision', { stage: 'reasonable_grounds', ...(referralId ? { referralId } : {}) }, result);
};

const conclusiveGrounds: StepDefinition = (state, today) => {
  const episode = currentEpisode(state);
  const probe = decisionProbe('conclusive_grounds', episode?.referralId ?? NO_REFERRAL);
  const result = answer(probe, state, today, { REFERRAL_NOT_FOUND: NO_REFERRAL_YET });
  const extra: Partial<NextStep> = {};
  if (episode && result.reason?.code === 'CONCLUSIVE_GROUNDS_BEFORE_RECOVERY_PERIOD') {
    // The decider's own date: the recovery period after the RG in force, by its policy version.
    const from = recoveryPeriodEnds(decisionInForce(episode, 'reasonable_grounds')!.decidedAt);
    if (from > today && !refusalOf(probe(from), state)) extra.availableFrom = from;
  }
  return step('conclusive-grounds-decision', 'Record the Conclusive Grounds decision', { stage: 'conclusive_grounds', ...(episode ? { referralId: episode.referralId } : {}) }, result, extra);
};

/**
 * Reconsideration asks about one decision: the latest negative decision the decider would
 * take a request for today, else the latest negative one (to say why not), else the latest
 * decision of any outcome.
 */
const reconsideration: StepDefinition = (state, today) => {
  const decisions = state.episodes.flatMap((e) => e.decisions.map((d) => ({ episode: e, decision: d }))).reverse();
  const negative = decisions.filter((c) => c.decision.outcome === 'negative');
  const probeFor = (c?: { episode: Episode; decision: Decision }): Probe => (day) => ({
    type: 'RequestReconsideration', now: nowOn(day),
    data: {
      occurredAt: day, requestedOn: day,
      referralId: c?.episode.referralId ?? currentEpisode(state)?.referralId ?? NO_REFERRAL,
      decisionEventId: c?.decision.eventId ?? NO_DECISION,
    },
  });
  const chosen = negative.find((c) => !refusalOf(probeFor(c)(today), state)) ?? negative[0] ?? decisions[0];
  const result = answer(probeFor(chosen), state, today, {
    REFERRAL_NOT_FOUND: NO_REFERRAL_YET,
    DECISION_NOT_FOUND: 'No decision has been made on this journey: only a negative decision can be reconsidered.',
  });
  const extra: Partial<NextStep> = {};
  const deadline = chosen && reconsiderationDeadline(chosen.decision.decidedAt);
  if (deadline && (result.allowed || result.reason?.code === 'RECONSIDERATION_WINDOW_CLOSED')) extra.availableUntil = deadline;
  const preset: StepPreset = chosen ? { decisionEventId: chosen.decision.eventId, referralId: chosen.episode.referralId } : {};
  return step('reconsideration', 'Request reconsideration of a negative decision', preset, result, extra);
};

const needsAssessment: StepDefinition = (state, today) =>
  step('needs-assessment', 'Record a needs assessment', {}, answer((day) => ({
    type: 'AssessNeeds', now: nowOn(day), data: { occurredAt: day, domains: [], riskLevel: 'low', dependants: 0 },
  }), state, today));

const care: StepDefinition = (state, today) =>
  step('care', 'Record care provided', {}, answer((day) => ({
    type: 'RecordCare', now: nowOn(day), data: { occurredAt: day, service: 'outreach', providerId: 'provider', startedOn: day },
  }), state, today));

const exitProbe = (reason: ExitReason): Probe => (day) => ({
  type: 'RecordExit', now: nowOn(day), data: { occurredAt: day, reason, housing: 'unknown', immigrationStatus: 'unknown' },
});

/** Exit is asked with a reason every exit may have; which reasons the decider takes today is listed apart (move-on needs a positive CG). */
const exit: StepDefinition = (state, today) => {
  const result = answer(exitProbe('withdrew'), state, today);
  const extra: Partial<NextStep> = result.allowed
    ? { allowedValues: { reason: EXIT_REASONS.filter((reason) => !refusalOf(exitProbe(reason)(today), state)) } }
    : {};
  return step('exit', 'Record exit from support', {}, result, extra);
};

/**
 * A follow-up is asked about the milestone for now: the latest scheduled one (1, 3, 6, 12, 24
 * months after exit) that is due and not yet recorded, else the next to come. The decider
 * takes a follow-up at any time after exit, so its due date is told, not enforced.
 */
const followUp: StepDefinition = (state, today) => {
  const milestone = followUpMilestone(state, today);
  const result = answer((day) => ({
    type: 'RecordFollowUp', now: nowOn(day), data: { occurredAt: day, monthsSinceExit: milestone?.monthsSinceExit ?? FOLLOW_UP_MILESTONES[0], contactMade: false },
  }), state, today);
  const title = milestone ? `Record the ${milestone.monthsSinceExit}-month follow-up` : 'Record a follow-up';
  return step('follow-up', title, milestone ? { monthsSinceExit: milestone.monthsSinceExit } : {}, result, milestone ? { dueOn: milestone.dueOn } : {});
};

const reReferral: StepDefinition = (state, today) => {
  const previousReferralId = currentEpisode(state)?.referralId;
  const result = answer((day) => ({
    type: 'ReReferVictim', now: nowOn(day),
    data: { occurredAt: day, newReferralId: unusedReferralId(state, `${previousReferralId ?? 'NRM'}-NEW`), previousReferralId: previousReferralId ?? NO_REFERRAL, sameIncident: false, competentAuthority: 'SCA' },
  }), state, today);
  return step('re-referral', 'Re-refer into the NRM (a new episode after exit)', previousReferralId ? { previousReferralId } : {}, result);
};

const STEPS: readonly StepDefinition[] = [
  consent, dutyToNotify, circumstances, referral, reasonableGrounds, conclusiveGrounds, reconsideration,
  needsAssessment, care, exit, followUp, reReferral,
];

/** A referral id the journey does not use yet, for a probe that opens an episode. */
function unusedReferralId(state: JourneyState, base: string): string {
  let id = base;
  for (let n = 2; findEpisode(state, id); n++) id = `${base}-${n}`;
  return id;
}

/**
 * The follow-up milestone for now, after the current episode's exit: the latest one due by
 * `today` that is not recorded, else the earliest one to come; none when all are recorded.
 */
export function followUpMilestone(state: JourneyState, today: CalendarDate): { monthsSinceExit: number; dueOn: CalendarDate } | undefined {
  const exitedOn = currentEpisode(state)?.exitedOn;
  if (!exitedOn) return undefined;
  const lastExit = state.facts.map((f) => f.type).lastIndexOf('VictimExited');
  const recorded = new Set(state.facts.slice(lastExit + 1).flatMap((f) => (f.type === 'FollowUpRecorded' ? [f.data.monthsSinceExit] : [])));
  const open = FOLLOW_UP_MILESTONES.filter((m) => !recorded.has(m)).map((m) => ({ monthsSinceExit: m, dueOn: addMonths(exitedOn, m) }));
  return open.filter((m) => m.dueOn <= today).pop() ?? open[0];
}
