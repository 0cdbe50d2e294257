/** While in the NRM (needs assessment, care), exit from support, follow-ups after it, and re-referral. */
import {
  CARE_SERVICE_CHOICES, COMPETENT_AUTHORITY_CHOICES, EXIT_REASON_CHOICES, HOUSING_CHOICES, IMMIGRATION_STATUS_CHOICES, OCCUPATION_CHOICES, RISK_LEVEL_CHOICES,
} from '../choices';
import type { FormReader } from '../field-types';
import { NEEDS_DOMAIN_CHOICES } from '../suggested-codes';
import { afterConsent, referenceField } from './referral-and-decisions';
import { afterIdentification, currentEpisode, dateField, fixedField, journeyPath, type StepDefinition } from './step-definition';

export const needsAssessment: StepDefinition = {
  id: 'needs-assessment',
  title: 'Record a needs assessment',
  submitLabel: 'Record the assessment',
  path: (id) => journeyPath(id, 'needs-assessments'),
  items: ({ journey }) => [
    dateField('occurredAt', 'Date of the assessment', { notBefore: [afterIdentification(journey), { date: currentEpisode(journey)?.referredOn, what: 'the referral' }] }),
    {
      kind: 'checkboxes', name: 'domains', label: 'Needs identified', choices: NEEDS_DOMAIN_CHOICES, max: 30, hint: 'Select all that apply.',
      other: { label: 'Other needs', hint: 'Codes in lower case with underscores, separated by commas.' },
    },
    { kind: 'radios', name: 'riskLevel', label: 'Risk level', choices: RISK_LEVEL_CHOICES, inline: true },
    { kind: 'integer', name: 'dependants', label: 'Number of dependants', min: 0, max: 50, initial: 0 },
  ],
};

export const care: StepDefinition = {
  id: 'care',
  title: 'Record care provided',
  submitLabel: 'Record the care',
  path: (id) => journeyPath(id, 'care'),
  items: ({ journey }) => [
    { kind: 'radios', name: 'service', label: 'Service', choices: CARE_SERVICE_CHOICES },
    { kind: 'text', name: 'providerId', label: 'Provider', max: 100, width: 'medium', hint: 'The identifier of the organisation providing it, for example safe-house-3.' },
    dateField('startedOn', 'Date it started', { notBefore: [afterIdentification(journey), { date: currentEpisode(journey)?.referredOn, what: 'the referral' }] }),
    dateField('endedOn', 'Date it ended', { optional: true, initial: null, hint: 'Leave empty if it continues.', notBefore: [{ date: (form: FormReader) => form.get('startedOn') as string | undefined, what: 'the date it started' }] }),
    { kind: 'pence', name: 'costPence', label: 'Cost', optional: true, max: 1_000_000_000, hint: 'In pounds, for example 2500 or 2500.50.' },
  ],
};

export const exit: StepDefinition = {
  id: 'exit',
  title: 'Record exit from support',
  submitLabel: 'Record the exit',
  path: (id) => journeyPath(id, 'exit'),
  items: ({ journey }) => {
    const episode = currentEpisode(journey);
    const positiveCg = episode?.conclusiveGrounds?.outcome === 'positive' ? episode.conclusiveGrounds.decidedAt : undefined;
    return [
      dateField('occurredAt', 'Date of exit', {
        notBefore: [afterIdentification(journey), { date: episode?.referredOn, what: 'the referral' },
          { date: (form) => (form.get('reason') === 'move_on_complete' ? positiveCg : undefined), what: 'the Conclusive Grounds decision' }],
      }),
      { kind: 'radios', name: 'reason', label: 'Reason for exit', choices: EXIT_REASON_CHOICES },
      { kind: 'select', name: 'housing', label: 'Housing on exit', choices: HOUSING_CHOICES },
      { kind: 'select', name: 'immigrationStatus', label: 'Immigration status on exit', choices: IMMIGRATION_STATUS_CHOICES },
    ];
  },
};

const contactMade = (form: FormReader) => form.get('contactMade') === true;

export const followUp: StepDefinition = {
  id: 'follow-up',
  title: 'Record a follow-up after exit',
  submitLabel: 'Record the follow-up',
  path: (id) => journeyPath(id, 'follow-ups'),
  intro: 'Record the follow-up even if no contact was made: no contact is a fact too.',
  items: ({ journey, preset }) => {
    const months = preset.monthsSinceExit;
    return [
      typeof months === 'number'
        ? fixedField('monthsSinceExit', 'Follow-up', months, `${months} ${months === 1 ? 'month' : 'months'} after exit`)
        : { kind: 'integer', name: 'monthsSinceExit', label: 'Months since exit', min: 1, max: 120, hint: 'The schedule is 1, 3, 6, 12 and 24 months.' },
      dateField('occurredAt', 'Date of the follow-up', { notBefore: [afterIdentification(journey), { date: currentEpisode(journey)?.exit?.on, what: 'the exit' }] }),
      { kind: 'yesno', name: 'contactMade', label: 'Was contact made?', requiredMessage: 'Select whether contact was made' },
      {
        kind: 'group', legend: 'What they told you', showWhen: contactMade, hint: '“Not known” is an answer too.', fields: [
          { kind: 'select', name: 'housing', label: 'Housing', choices: HOUSING_CHOICES },
          { kind: 'select', name: 'occupation', label: 'Work or education', choices: OCCUPATION_CHOICES },
          { kind: 'select', name: 'immigrationStatus', label: 'Immigration status', choices: IMMIGRATION_STATUS_CHOICES },
          { kind: 'yesno', name: 'destitute', label: 'Are they destitute?', requiredMessage: 'Select whether they are destitute' },
          { kind: 'yesno', name: 'safeguardingConcern', label: 'Is there a safeguarding concern?', requiredMessage: 'Select whether there is a safeguarding concern' },
          { kind: 'yesno', name: 'reExploitationReported', label: 'Was re-exploitation reported?', requiredMessage: 'Select whether re-exploitation was reported' },
        ],
      },
    ];
  },
};

export const reReferral: StepDefinition = {
  id: 're-referral',
  title: 'Re-refer into the NRM',
  submitLabel: 'Record the re-referral',
  path: (id) => journeyPath(id, 're-referrals'),
  intro: 'A re-referral after exit opens a new episode on the same journey, linked to the earlier referral.',
  items: ({ journey, preset }) => {
    const previous = typeof preset.previousReferralId === 'string' ? preset.previousReferralId : currentEpisode(journey)?.referralId;
    return [
      dateField('occurredAt', 'Date of re-referral', { notBefore: [afterIdentification(journey), { date: currentEpisode(journey)?.exit?.on, what: 'the exit' }, afterConsent(journey)] }),
      previous ? fixedField('previousReferralId', 'Previous referral', previous) : referenceField('previousReferralId', 'Previous referral reference'),
      referenceField('newReferralId', 'New NRM referral reference', 'As on the new referral, for example NRM-2025-0042.'),
      { kind: 'yesno', name: 'sameIncident', label: 'Is it about the same exploitation as before?', requiredMessage: 'Select whether it is about the same exploitation' },
      { kind: 'radios', name: 'competentAuthority', label: 'Competent authority', choices: COMPETENT_AUTHORITY_CHOICES },
    ];
  },
};
