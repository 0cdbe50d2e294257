import type { CalendarDate } from '../libs/domain/src/calendar/calendar-date';
import { addMonths } from '../libs/domain/src/calendar/calendar-date';
import { plusDays } from './dates';
import { addWorkingDays } from '../libs/domain/src/calendar/working-days';
import type { CompetentAuthority, DecisionOutcome, DecisionStage, ExitReason } from '../libs/domain/src/codes';
import { FOLLOW_UP_MILESTONES } from '../libs/domain/src/codes';
import type { JourneyCommandType } from '../libs/domain/src/journey/commands';
import { MOVE_ON_SUPPORT_DAYS, recoveryPeriodEnds } from '../libs/domain/src/policy';
import { circumstances, exitCircumstances, followUpAnswers, needs, negativeReason } from './answers';
import * as A from './assumptions';
import { planCare } from './care-plan';
import type { Person } from './person';
import type { Random } from './random';
import * as S from './nrm-statistics';

/** One command the journey will be asked to record, and when. */
export interface Step {
  /** occurredAt: steps run in (date, episode, priority, order added). */
  date: CalendarDate;
  episode: number;
  priority: number;
  type: JourneyCommandType;
  data: Record<string, unknown>;
  /** Who records it: the first responder, or the support provider (caseworker). */
  by: 'responder' | 'caseworker';
  /** For a reconsideration request: the decision step it names (its event id is known once run). */
  reconsiders?: Step;
  /** Set when the step has been run. */
  eventId?: string;
}

/** Same-day order: each step after those it depends on. */
export const PRIORITY = { identify: 0, refused: 1, dtn: 2, consent: 3, refer: 4, circumstances: 5, decision: 6, reconsider: 7, redecision: 8, needs: 9, care: 10, exit: 14, followUp: 15 } as const;

interface Decision { step?: Step; decidedAt: CalendarDate; occurredAt: CalendarDate; outcome: DecisionOutcome }
interface Episode { index: number; referralId: string; referredOn: CalendarDate; authority: CompetentAuthority; supportRequested: boolean }

const yearOf = (date: CalendarDate) => Number(date.slice(0, 4));
const maxDate = (a: CalendarDate, b: CalendarDate) => (a > b ? a : b);

/**
 * Plans a journey's commands from identification to `today`: what the published figures
 * make likely, in an order the decider accepts. Anything dated after `today` is left out,
 * so journeys still waiting for a decision simply stop there (the backlogs).
 */
export class JourneyPlanner {
  readonly steps: Step[] = [];
  private readonly child: boolean;

  constructor(
    private readonly rng: Random,
    private readonly today: CalendarDate,
    private readonly journeyId: string,
    private readonly person: Person,
    /** The support provider's organisation: children's services for children, else a victim care contract provider. */
    private readonly providerId: string,
    private readonly nextReferralId: (year: number) => string,
  ) {
    this.child = person.ageGroup !== 'adult';
  }

  plan(): Step[] {
    const { rng, person } = this;
    const d0 = person.identifiedOn;
    const { personalDetails, pathway, identifiedOn: _, ...identified } = person;
    this.add(d0, 0, 'identify', 'IdentifyVictim', {
      journeyId: this.journeyId, occurredAt: d0, ...identified,
      // The support provider holds the case from the start; the first responder records for them.
      caseloadOrganisationId: this.providerId,
      ...(personalDetails ? { personalDetails } : {}) }, 'responder');
    let consentOn: CalendarDate | undefined;
    if (pathway !== 'referral') {
      this.consent(d0, 0, false);
      if (pathway === 'refused_without_dtn') return this.steps;
      const dtnOn = plusDays(d0, rng.chance(0.7) ? 0 : rng.int(1, 10));
      this.add(dtnOn, 0, 'dtn', 'SubmitDutyToNotify', { occurredAt: dtnOn, policeForceArea: person.policeForceArea, exploitationTypes: person.exploitationTypes }, 'responder');
      if (!rng.chance(A.LATER_CONSENT_AFTER_DTN)) return this.steps;
      consentOn = this.consent(plusDays(dtnOn, rng.int(7, 120)), 0, true);
    } else if (!this.child) {
      if (rng.chance(A.REFUSED_THEN_CONSENTED)) this.consent(d0, 0, false);
      consentOn = this.consent(plusDays(d0, rng.chance(0.8) ? 0 : rng.int(1, 30)), 0, true);
    }
    if (!this.child && rng.chance(0.5)) this.consent(consentOn!, 0, true, 'data_sharing');
    const referredOn = plusDays(consentOn ?? d0, rng.chance(0.6) ? 0 : rng.int(1, 14));
    this.episode(0, referredOn);
    return this.steps;
  }

  private episode(index: number, referredOn: CalendarDate, previousReferralId?: string): void {
    const { rng } = this;
    if (referredOn > this.today) return;
    const e: Episode = { index, referralId: this.nextReferralId(yearOf(referredOn)), referredOn, authority: this.authority(referredOn), supportRequested: rng.chance(this.child ? A.SUPPORT_REQUESTED.child : A.SUPPORT_REQUESTED.adult) };
    if (previousReferralId === undefined) {
      this.add(referredOn, index, 'refer', 'ReferVictim', { occurredAt: referredOn, referralId: e.referralId, competentAuthority: e.authority, supportRequested: e.supportRequested }, 'responder');
    } else {
      if (!this.child) this.consent(referredOn, index, true);
      this.add(referredOn, index, 'refer', 'ReReferVictim', { occurredAt: referredOn, newReferralId: e.referralId, previousReferralId, sameIncident: rng.chance(A.RE_REFERRAL.sameIncident), competentAuthority: e.authority }, 'responder');
    }
    if (rng.chance(0.55)) {
      const on = plusDays(referredOn, rng.int(0, 20));
      this.add(on, index, 'circumstances', 'RecordCircumstances', { occurredAt: on, ...circumstances(rng, this.person.countyLines) }, 'responder');
    }

    const earlyExitOn = plusDays(referredOn, Math.round(rng.exponential(365 / A.EARLY_EXIT_PER_YEAR)));
    let exit: { on: CalendarDate; reason: ExitReason } | undefined;
    let positiveRg: Decision | undefined;
    const rg = this.firstDecision(e, 'reasonable_grounds', referredOn);
    if (earlyExitOn < rg.occurredAt) {
      exit = { on: earlyExitOn, reason: rng.weighted(A.EARLY_EXIT_REASONS) }; // left before any RG: the referral lapses
    } else if (this.record(e, 'reasonable_grounds', rg)) {
      const final = this.afterNegative(e, 'reasonable_grounds', rg);
      if (final?.outcome === 'negative') exit = { on: addWorkingDays(final.occurredAt, A.NEGATIVE_EXIT_WORKING_DAYS), reason: 'negative_decision' };
      else positiveRg = final;
    }
    if (positiveRg) {
      const cg = this.firstDecision(e, 'conclusive_grounds', referredOn, positiveRg.decidedAt);
      if (earlyExitOn < cg.occurredAt) {
        exit = { on: maxDate(earlyExitOn, positiveRg.occurredAt), reason: rng.weighted(A.EARLY_EXIT_REASONS) };
        if (rng.chance(A.CG_AFTER_EARLY_EXIT)) this.record(e, 'conclusive_grounds', cg); // decided after they left support
      } else if (this.record(e, 'conclusive_grounds', cg)) {
        const final = this.afterNegative(e, 'conclusive_grounds', cg);
        if (final) {
          exit = final.outcome === 'positive'
            ? { on: plusDays(final.occurredAt, MOVE_ON_SUPPORT_DAYS + rng.int(0, A.MOVE_ON_EXTRA_DAYS_MAX)), reason: 'move_on_complete' }
            : { on: addWorkingDays(final.occurredAt, A.NEGATIVE_EXIT_WORKING_DAYS), reason: 'negative_decision' };
        }
      }
    }
    const exitOn = exit && exit.on <= this.today ? exit.on : undefined;
    const lastOpenDay = exitOn ?? this.today;
    this.needs(e, lastOpenDay);
    const careFrom = this.child ? plusDays(referredOn, rng.int(0, 7)) : positiveRg && plusDays(positiveRg.occurredAt, rng.int(0, 7));
    if (e.supportRequested && careFrom && careFrom <= lastOpenDay) {
      for (const care of planCare(rng, { child: this.child, uk: this.person.nationality === 'GB', providerId: this.providerId }, careFrom, lastOpenDay, exitOn !== undefined)) {
        this.add(care.occurredAt, index, 'care', 'RecordCare', { ...care }, 'caseworker');
      }
    }
    if (!exit || !exitOn) return;
    this.add(exitOn, index, 'exit', 'RecordExit', { occurredAt: exitOn, reason: exit.reason, ...exitCircumstances(rng, exit.reason, this.person.nationality === 'GB') }, 'caseworker');
    this.afterExit(e, exitOn, exit.reason);
  }

  /** A decision as first made: when, received when, and its outcome by that year's published rate. */
  private firstDecision(e: Episode, stage: DecisionStage, referredOn: CalendarDate, rgDecidedAt?: CalendarDate): Decision {
    const { rng } = this;
    const figures = S.figuresFor(yearOf(referredOn));
    const devolved = e.authority === 'DEVOLVED_CHILD_PANEL';
    let decidedAt: CalendarDate;
    if (stage === 'reasonable_grounds') {
      decidedAt = devolved ? plusDays(referredOn, Math.round(rng.lognormal(A.DEVOLVED.rgMedianDays, A.DEVOLVED.rgSigma)))
        : rng.chance(figures.rgWithinTarget) ? addWorkingDays(referredOn, rng.weightedEntry([[0, 1], [1, 2.5], [2, 2], [3, 1.5], [4, 1.5], [5, 1.5]] as const))
        : plusDays(referredOn, Math.min(A.RG_TAIL.maxDays, A.RG_TAIL.minDays + Math.round(rng.lognormal(A.RG_TAIL.medianDays, A.RG_TAIL.sigma))));
    } else {
      const earliest = recoveryPeriodEnds(rgDecidedAt!);
      const median = figures.cgMedianDays * (this.person.gender === 'female' ? S.FEMALE_CG_WAIT_FACTOR : 1);
      decidedAt = devolved ? plusDays(earliest, rng.int(0, A.DEVOLVED.cgExtraDaysMax))
        : maxDate(plusDays(earliest, rng.int(0, 14)), plusDays(referredOn, Math.round(rng.lognormal(median, A.CG_WAIT_SIGMA))));
    }
    return { decidedAt, occurredAt: this.received(decidedAt), outcome: this.outcome(e, stage, decidedAt) };
  }

  private outcome(e: Episode, stage: DecisionStage, decidedAt: CalendarDate): DecisionOutcome {
    const figures = S.figuresFor(yearOf(decidedAt));
    const rate = e.authority === 'DEVOLVED_CHILD_PANEL' ? (stage === 'reasonable_grounds' ? A.DEVOLVED.rgPositive : A.DEVOLVED.cgPositive)
      : stage === 'reasonable_grounds' ? figures.rgPositive : figures.cgPositive;
    return this.rng.chance(rate) ? 'positive' : 'negative';
  }

  private received(decidedAt: CalendarDate): CalendarDate {
    return plusDays(decidedAt, this.rng.chance(0.7) ? 0 : this.rng.int(1, 5));
  }

  /** Adds the decision if it is made by today; false when it is still awaited. */
  private record(e: Episode, stage: DecisionStage, d: Decision, priority: 'decision' | 'redecision' = 'decision'): boolean {
    const reasonCode = d.outcome === 'positive' ? undefined : negativeReason(this.rng);
    d.step = this.add(d.occurredAt, e.index, priority, 'RecordDecision',
      { occurredAt: d.occurredAt, referralId: e.referralId, stage, outcome: d.outcome, decidedAt: d.decidedAt, ...(reasonCode ? { reasonCode } : {}) }, 'caseworker');
    return d.step !== undefined;
  }

  /**
   * A recorded negative decision may be reconsidered (support continues meanwhile) and
   * overturned. Returns the decision in force, or undefined while the new one is awaited.
   */
  private afterNegative(e: Episode, stage: DecisionStage, first: Decision): Decision | undefined {
    const { rng } = this;
    if (first.outcome === 'positive' || !rng.chance(S.RECONSIDERED_SHARE[stage])) return first;
    // Within 30 days of the decision (the rule since February 2024), on or after it was received.
    const requestedOn = plusDays(first.occurredAt, rng.int(0, 25));
    const request = this.add(requestedOn, e.index, 'reconsider', 'RequestReconsideration', { occurredAt: requestedOn, referralId: e.referralId, decisionEventId: '', requestedOn }, 'caseworker', first.step);
    if (!request) return undefined;
    const decidedAt = plusDays(requestedOn, Math.max(1, Math.round(rng.lognormal(A.RECONSIDERATION.decisionMedianDays, A.RECONSIDERATION.decisionSigma))));
    const second: Decision = { decidedAt, occurredAt: this.received(decidedAt), outcome: rng.chance(S.overturnRate(yearOf(decidedAt))) ? 'positive' : 'negative' };
    return this.record(e, stage, second, 'redecision') ? second : undefined;
  }

  private needs(e: Episode, lastOpenDay: CalendarDate): void {
    const { rng } = this;
    if (!rng.chance(A.NEEDS_ASSESSED)) return;
    const on = plusDays(e.referredOn, rng.chance(A.NEEDS_WITHIN_10_DAYS) ? rng.int(0, 10) : rng.int(11, 90));
    if (on <= lastOpenDay) this.add(on, e.index, 'needs', 'AssessNeeds', { occurredAt: on, ...needs(rng, this.child) }, 'caseworker');
  }

  /** Follow-ups at 1, 3, 6, 12, 24 months; a re-referral, if one comes, ends them and opens a new episode. */
  private afterExit(e: Episode, exitOn: CalendarDate, reason: ExitReason): void {
    const { rng } = this;
    if (reason === 'deceased') return;
    const factor = (this.child && this.person.nationality === 'GB' ? A.RE_REFERRAL.ukChildFactor : 1) * (reason === 'lost_contact' ? A.RE_REFERRAL.lostContactFactor : 1);
    const reReferredOn = e.index + 1 < A.RE_REFERRAL.maxEpisodes && rng.chance(A.RE_REFERRAL.chance * factor)
      ? plusDays(exitOn, Math.max(1, Math.round(rng.lognormal(A.RE_REFERRAL.medianDays, A.RE_REFERRAL.sigma)))) : undefined;
    for (const months of FOLLOW_UP_MILESTONES) {
      const on = plusDays(addMonths(exitOn, months), rng.int(0, 14));
      if (on > this.today || (reReferredOn && on >= reReferredOn)) break;
      const contactMade = rng.chance(A.FOLLOW_UP_CONTACT[months] * (A.FOLLOW_UP_CONTACT_FACTOR[reason] ?? 1));
      const soon = reReferredOn !== undefined && reReferredOn <= plusDays(on, 120);
      this.add(on, e.index, 'followUp', 'RecordFollowUp', { occurredAt: on, monthsSinceExit: months, contactMade, ...(contactMade ? followUpAnswers(rng, months, this.person.nationality === 'GB', soon) : {}) }, 'caseworker');
    }
    if (reReferredOn) this.episode(e.index + 1, reReferredOn, e.referralId);
  }

  private authority(on: CalendarDate): CompetentAuthority {
    const { rng } = this;
    if (this.child && rng.chance(S.devolvedChildShare(on))) return 'DEVOLVED_CHILD_PANEL';
    if (this.person.nationality === 'GB') return 'SCA';
    // IECA cases are mostly adults subject to immigration control: about half of referrals are non-UK adults.
    return rng.chance(Math.min(0.9, S.iecaShare(on) / (this.child ? 10 : 0.5))) ? 'IECA' : 'SCA';
  }

  private consent(on: CalendarDate, episode: number, given: boolean, scope: 'nrm_referral' | 'data_sharing' = 'nrm_referral'): CalendarDate {
    const language = A.LANGUAGE[this.person.nationality] ?? 'en';
    this.add(on, episode, given ? 'consent' : 'refused', 'RecordConsent', { occurredAt: on, scope, given, interpreterUsed: language !== 'en' && this.rng.chance(0.8), language }, 'responder');
    return on;
  }

  private add(date: CalendarDate, episode: number, priority: keyof typeof PRIORITY, type: JourneyCommandType, data: Record<string, unknown>, by: Step['by'], reconsiders?: Step): Step | undefined {
    if (date > this.today) return undefined;
    const step: Step = { date, episode, priority: PRIORITY[priority], type, data, by, ...(reconsiders ? { reconsiders } : {}) };
    this.steps.push(step);
    return step;
  }
}
