/**
 * What each step's form needs to know: its fields, given the presets from next-steps and, when
 * it is current, the journey read model (whose dates let the form check "not before the
 * referral" and the like before the server does).
 */
import type { FieldSpec, FormItem, NotBefore } from '../field-types';
import { todayInUk } from '../dates';

/** The parts of GET /journeys/:id a form uses. */
export interface JourneySnapshot {
  journeyId: string;
  lastRevision: number;
  identifiedOn: string;
  ageGroup: string;
  policeForceArea?: string;
  exploitationTypes?: string[];
  consent?: { nrm_referral?: { given: boolean; on: string } };
  currentReferralId: string | null;
  episodes: Array<{
    referralId: string;
    referredOn: string;
    competentAuthority?: string;
    decisions: Array<{ eventId: string; stage: string; outcome: string; decidedAt: string; reconsiderationRequestedOn?: string }>;
    recoveryPeriodEndsOn?: string;
    conclusiveGrounds?: { outcome: string; decidedAt: string };
    exit?: { on: string };
  }>;
}

export type Episode = JourneySnapshot['episodes'][number];

export interface StepInput {
  /** Fixed values from next-steps (shown read-only and sent). */
  preset: Record<string, unknown>;
  /** The journey as of the form's revision; absent when unknown or not current (then only the server checks dates against it). */
  journey?: JourneySnapshot;
  /** The signed-in worker's organisation. */
  organisationId?: string;
}

export interface StepDefinition {
  id: string;
  title: string;
  submitLabel: string;
  /** The route, when next-steps does not give one. */
  path(journeyId: string): string;
  intro?: string;
  items(input: StepInput): FormItem[];
}

export const journeyPath = (journeyId: string, route: string) => `/journeys/${encodeURIComponent(journeyId)}/${route}`;

/** The journey's latest episode (referral or re-referral). */
export const currentEpisode = (journey: JourneySnapshot | undefined): Episode | undefined =>
  journey?.episodes[journey.episodes.length - 1];

export const episodeOf = (journey: JourneySnapshot | undefined, referralId: unknown): Episode | undefined =>
  journey?.episodes.find((e) => e.referralId === referralId);

/** A date field for when the step happened: today by default, not in the future, not before what it depends on. */
export function dateField(name: string, label: string, options: { hint?: string; optional?: boolean; initial?: string | null; notBefore?: NotBefore[]; notAfter?: { date: string | undefined; what: string } } = {}): FieldSpec {
  return {
    kind: 'date', name, label, hint: options.hint, optional: options.optional,
    initial: options.initial === null ? undefined : options.initial ?? todayInUk(),
    notFuture: true, notBefore: options.notBefore, notAfter: options.notAfter,
  };
}

/** "Not before the identification", the rule every step after it shares. */
export const afterIdentification = (journey: JourneySnapshot | undefined) => ({ date: journey?.identifiedOn, what: 'the identification' });

/** A fixed value from next-steps, shown as words. */
export function fixedField(name: string, label: string, value: unknown, display: string = String(value)): FieldSpec {
  return { kind: 'fixed', name, label, value: value as string | number | boolean, display };
}
