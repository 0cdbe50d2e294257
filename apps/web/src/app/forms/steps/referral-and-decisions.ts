/** Referral into the NRM, the Reasonable and Conclusive Grounds decisions, and reconsideration of a negative one. */
import { reconsiderationDeadline } from '../../../../../../libs/domain/src/policy';
import { COMPETENT_AUTHORITY_CHOICES, OUTCOME_CHOICES, STAGE_LABELS } from '../choices';
import { longDate } from '../dates';
import { REFERENCE, type FieldSpec, type FormReader } from '../field-types';
import { NEGATIVE_REASON_CHOICES } from '../suggested-codes';
import {
  afterIdentification, dateField, episodeOf, fixedField, journeyPath, type JourneySnapshot, type StepDefinition, type StepInput,
} from './step-definition';

const REFERENCE_RULE = { regex: REFERENCE, message: 'Referral reference must start with a letter or digit, and use only letters, digits and - _ / .' };

export const referenceField = (name: string, label: string, hint?: string): FieldSpec =>
  ({ kind: 'text', name, label, max: 64, pattern: { ...REFERENCE_RULE, message: REFERENCE_RULE.message.replace('Referral reference', label) }, width: 'medium', hint, autocomplete: 'off' });

/** An adult's referral follows their consent; a child's needs none. */
export const afterConsent = (journey: JourneySnapshot | undefined) =>
  ({ date: journey?.ageGroup === 'adult' ? journey.consent?.nrm_referral?.on : undefined, what: 'their consent' });

export const referral: StepDefinition = {
  id: 'referral',
  title: 'Refer into the NRM',
  submitLabel: 'Record the referral',
  path: (id) => journeyPath(id, 'referrals'),
  items: ({ journey }) => [
    dateField('occurredAt', 'Date of referral', { notBefore: [afterIdentification(journey), afterConsent(journey)] }),
    referenceField('referralId', 'NRM referral reference', 'As on the referral, for example NRM-2024-0001.'),
    { kind: 'radios', name: 'competentAuthority', label: 'Competent authority', choices: COMPETENT_AUTHORITY_CHOICES },
    { kind: 'yesno', name: 'supportRequested', label: 'Was support requested?', requiredMessage: 'Select whether support was requested' },
  ],
};

/** The referral a decision or reconsideration is about: fixed by next-steps, else one of the journey's referrals. */
function referralField(input: StepInput): FieldSpec {
  if (typeof input.preset.referralId === 'string') return fixedField('referralId', 'Referral', input.preset.referralId);
  const episodes = input.journey?.episodes ?? [];
  if (!episodes.length) return referenceField('referralId', 'Referral reference');
  return {
    kind: 'select', name: 'referralId', label: 'Referral', initial: input.journey?.currentReferralId ?? episodes[episodes.length - 1].referralId,
    choices: episodes.map((e) => ({ value: e.referralId, label: `${e.referralId} (referred ${longDate(e.referredOn)})` })),
  };
}

function decisionStep(id: string, stage: 'reasonable_grounds' | 'conclusive_grounds'): StepDefinition {
  return {
    id,
    title: `Record the ${STAGE_LABELS[stage]} decision`,
    submitLabel: 'Record the decision',
    path: (journeyId) => journeyPath(journeyId, 'decisions'),
    items: (input) => {
      const { journey } = input;
      const episode = (form: FormReader) => episodeOf(journey, input.preset.referralId ?? form.get('referralId'));
      const inForce = (form: FormReader) => episode(form)?.decisions.filter((d) => d.stage === stage).at(-1);
      const fixedStage = typeof input.preset.stage === 'string' ? input.preset.stage : stage;
      return [
        referralField(input),
        fixedField('stage', 'Stage', fixedStage, STAGE_LABELS[fixedStage as typeof stage] ?? fixedStage),
        { kind: 'radios', name: 'outcome', label: 'Outcome', choices: OUTCOME_CHOICES, inline: true },
        dateField('decidedAt', 'Date of the decision', {
          hint: stage === 'conclusive_grounds' ? 'No sooner than the end of the recovery period after a positive Reasonable Grounds decision.' : 'As on the decision letter.',
          notBefore: [
            { date: (form) => episode(form)?.referredOn, what: 'the referral' },
            ...(stage === 'conclusive_grounds' ? [{ date: (form: FormReader) => episode(form)?.recoveryPeriodEndsOn, what: 'the end of the recovery period' }] : []),
            { date: (form) => inForce(form)?.reconsiderationRequestedOn, what: 'the reconsideration request' },
          ],
        }),
        { kind: 'select', name: 'reasonCode', label: 'Reason for the negative decision', optional: true, choices: NEGATIVE_REASON_CHOICES, showWhen: (form) => form.get('outcome') === 'negative' },
        dateField('occurredAt', 'Date the decision was received', {
          optional: true, initial: null, hint: 'Leave empty if it was received on the day it was made.',
          notBefore: [{ date: (form) => form.get('decidedAt') as string | undefined, what: 'the date of the decision' }],
        }),
      ];
    },
  };
}

export const reasonableGroundsDecision = decisionStep('reasonable-grounds-decision', 'reasonable_grounds');
export const conclusiveGroundsDecision = decisionStep('conclusive-grounds-decision', 'conclusive_grounds');

export const reconsideration: StepDefinition = {
  id: 'reconsideration',
  title: 'Request reconsideration of a negative decision',
  submitLabel: 'Record the request',
  path: (id) => journeyPath(id, 'reconsiderations'),
  intro: 'Since February 2024 reconsideration must be requested within 30 days of the decision.',
  items: (input) => {
    const eventId = input.preset.decisionEventId;
    const decision = input.journey?.episodes.flatMap((e) => e.decisions).find((d) => d.eventId === eventId);
    const deadline = decision ? reconsiderationDeadline(decision.decidedAt) : undefined;
    return [
      referralField(input),
      typeof eventId === 'string'
        ? fixedField('decisionEventId', 'Decision', eventId, decision ? `${STAGE_LABELS[decision.stage as 'reasonable_grounds']} decision: ${decision.outcome}, made on ${longDate(decision.decidedAt)}` : eventId)
        : { kind: 'text', name: 'decisionEventId', label: 'Decision (its event id)', max: 64, width: 'medium' },
      dateField('requestedOn', 'Date reconsideration was requested', {
        notBefore: [{ date: decision?.decidedAt, what: 'the decision' }],
        notAfter: { date: deadline, what: '30 days after the decision' },
        hint: deadline ? `By ${longDate(deadline)} at the latest.` : undefined,
      }),
      dateField('occurredAt', 'Date recorded', {
        optional: true, initial: null, hint: 'Leave empty if it is the date of the request.',
        notBefore: [{ date: decision?.decidedAt, what: 'the decision' }],
      }),
    ];
  },
};
