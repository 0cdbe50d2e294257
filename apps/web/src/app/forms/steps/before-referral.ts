/** The steps before a referral: consent, Duty to Notify (anonymous), circumstances of exploitation. */
import { CONSENT_SCOPE_CHOICES, EXPLOITATION_TYPE_CHOICES, policeForceAreaChoices } from '../choices';
import { LANGUAGE_TAG } from '../field-types';
import {
  CONTROL_METHOD_CHOICES, DEBT_CHOICES, DURATION_CHOICES, PERPETRATOR_ROLE_CHOICES, RECRUITMENT_CHOICES, RELATIONSHIP_CHOICES,
} from '../suggested-codes';
import { afterIdentification, dateField, fixedField, journeyPath, type StepDefinition } from './step-definition';

export const consent: StepDefinition = {
  id: 'consent',
  title: 'Record consent',
  submitLabel: 'Record consent',
  path: (id) => journeyPath(id, 'consents'),
  intro: 'An adult must give informed consent to be referred into the NRM. If they do not, submit a Duty to Notify instead.',
  items: ({ preset, journey }) => [
    dateField('occurredAt', 'Date consent was asked', { notBefore: [afterIdentification(journey)] }),
    typeof preset.scope === 'string'
      ? fixedField('scope', 'Consent to', preset.scope, CONSENT_SCOPE_CHOICES.find((c) => c.value === preset.scope)?.label)
      : { kind: 'radios', name: 'scope', label: 'Consent to', choices: CONSENT_SCOPE_CHOICES, initial: 'nrm_referral' },
    { kind: 'yesno', name: 'given', label: 'Did they give consent?', yes: 'Yes, they consented', no: 'No, they did not consent', requiredMessage: 'Select whether they gave consent' },
    { kind: 'yesno', name: 'interpreterUsed', label: 'Was an interpreter used?', requiredMessage: 'Select whether an interpreter was used' },
    {
      kind: 'text', name: 'language', label: 'Language consent was given in', optional: true, max: 35, width: 'short',
      hint: 'A language code, for example en (English), sq (Albanian), vi (Vietnamese), ti (Tigrinya).',
      pattern: { regex: LANGUAGE_TAG, message: 'Language must be a language code such as en, sq or pt-BR' },
    },
  ],
};

export const dutyToNotify: StepDefinition = {
  id: 'duty-to-notify',
  title: 'Submit a Duty to Notify',
  submitLabel: 'Submit the Duty to Notify',
  path: (id) => journeyPath(id, 'duty-to-notify'),
  intro: 'For an adult who did not consent to a referral. It is anonymous: no personal details are sent.',
  items: ({ journey }) => [
    dateField('occurredAt', 'Date of the notification', {
      notBefore: [afterIdentification(journey), { date: journey?.consent?.nrm_referral?.on, what: 'the consent answer' }],
    }),
    { kind: 'select', name: 'policeForceArea', label: 'Police force area', choices: policeForceAreaChoices(), initial: journey?.policeForceArea },
    { kind: 'checkboxes', name: 'exploitationTypes', label: 'Types of exploitation', choices: EXPLOITATION_TYPE_CHOICES, min: 1, max: EXPLOITATION_TYPE_CHOICES.length, initial: journey?.exploitationTypes, hint: 'Select all that apply.' },
  ],
};

const otherCodes = { label: 'Other codes', hint: 'UN Human Trafficking Case Data Standard codes, lower case with underscores, separated by commas.' };

export const circumstances: StepDefinition = {
  id: 'circumstances',
  title: 'Record the circumstances of exploitation',
  submitLabel: 'Record the circumstances',
  path: (id) => journeyPath(id, 'circumstances'),
  intro: 'Codes from the UN Human Trafficking Case Data Standard. Never record perpetrators’ names.',
  items: ({ journey }) => [
    dateField('occurredAt', 'Date recorded', { notBefore: [afterIdentification(journey)] }),
    { kind: 'select', name: 'recruitmentMethod', label: 'How they were recruited', choices: RECRUITMENT_CHOICES },
    { kind: 'checkboxes', name: 'controlMethods', label: 'How they were controlled', choices: CONTROL_METHOD_CHOICES, max: 20, hint: 'Select all that apply.', other: otherCodes },
    { kind: 'checkboxes', name: 'perpetratorRoles', label: 'Roles of the perpetrators', choices: PERPETRATOR_ROLE_CHOICES, max: 20, hint: 'Select all that apply.', other: otherCodes },
    { kind: 'select', name: 'relationshipToPerpetrator', label: 'Relationship to the perpetrator', choices: RELATIONSHIP_CHOICES },
    { kind: 'yesno', name: 'organisedCrimeGroup', label: 'Was an organised crime group involved?', requiredMessage: 'Select whether an organised crime group was involved' },
    { kind: 'select', name: 'durationBand', label: 'How long the exploitation lasted', choices: DURATION_CHOICES },
    { kind: 'select', name: 'debtBand', label: 'Debt owed to the perpetrators', choices: DEBT_CHOICES },
  ],
};
