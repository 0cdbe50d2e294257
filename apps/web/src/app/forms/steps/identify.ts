/** Identify a potential victim: POST /journeys (IdentifyVictimDto), personal details optional and sealed by the server. */
import { NRM_START } from '../../../../../../libs/domain/src/policy';
import {
  AGE_GROUP_CHOICES, EXPLOITATION_LOCATION_CHOICES, EXPLOITATION_TYPE_CHOICES, GENDER_CHOICES, ORGANISATION_TYPE_CHOICES,
  nationalityChoices, policeForceAreaChoices,
} from '../choices';
import { longDate } from '../dates';
import { INDICATOR_CHOICES } from '../suggested-codes';
import { dateField, type StepDefinition } from './step-definition';

export const identify: StepDefinition = {
  id: 'identify',
  title: 'Identify a potential victim',
  submitLabel: 'Record the identification',
  path: () => '/journeys',
  intro: 'This starts a journey on your organisation’s caseload. Personal details are optional: they are encrypted and shown only on the journey’s page.',
  items: ({ organisationId }) => [
    dateField('occurredAt', 'Date of identification', { notBefore: [{ date: NRM_START, what: `the NRM began` }], hint: `The day the person was identified, no earlier than ${longDate(NRM_START)}.` }),
    {
      kind: 'group', legend: 'First responder', fields: [
        { kind: 'text', name: 'firstResponder.organisationId', label: 'First responder organisation', max: 100, initial: organisationId, width: 'medium', hint: 'The identifier of the organisation that identified the person.' },
        { kind: 'select', name: 'firstResponder.organisationType', label: 'Type of first responder', choices: ORGANISATION_TYPE_CHOICES },
      ],
    },
    { kind: 'radios', name: 'ageGroup', label: 'Age group', choices: AGE_GROUP_CHOICES, hint: 'Their age when they were exploited.' },
    { kind: 'radios', name: 'gender', label: 'Gender', choices: GENDER_CHOICES, inline: true },
    { kind: 'select', name: 'nationality', label: 'Nationality', choices: nationalityChoices() },
    { kind: 'checkboxes', name: 'exploitationTypes', label: 'Types of exploitation', choices: EXPLOITATION_TYPE_CHOICES, min: 1, max: EXPLOITATION_TYPE_CHOICES.length, hint: 'Select all that apply.' },
    { kind: 'yesno', name: 'countyLines', label: 'Was it county lines exploitation?', requiredMessage: 'Select whether it was county lines exploitation' },
    { kind: 'radios', name: 'exploitationLocation', label: 'Where the exploitation happened', choices: EXPLOITATION_LOCATION_CHOICES },
    { kind: 'select', name: 'policeForceArea', label: 'Police force area', choices: policeForceAreaChoices(), hint: 'Where the person was identified.' },
    {
      kind: 'checkboxes', name: 'indicators', label: 'Indicators of modern slavery', choices: INDICATOR_CHOICES, max: 50, hint: 'Select all that were seen. None is an answer too.',
      other: { label: 'Other indicators', hint: 'Codes in lower case with underscores, separated by commas, for example works_without_pay.' },
    },
    {
      kind: 'group', legend: 'Personal details (optional)', hint: 'Encrypted for this person alone, and never shown in lists or addresses.', fields: [
        { kind: 'text', name: 'personalDetails.name', label: 'Full name', max: 200, optional: true, autocomplete: 'off', width: 'medium' },
        { kind: 'date', name: 'personalDetails.dateOfBirth', label: 'Date of birth', optional: true },
        { kind: 'text', name: 'personalDetails.contact.phone', label: 'Phone number', max: 50, optional: true, input: 'tel', width: 'medium' },
        { kind: 'text', name: 'personalDetails.contact.email', label: 'Email address', max: 254, optional: true, input: 'email', width: 'medium' },
        { kind: 'text', name: 'personalDetails.contact.address', label: 'Address', max: 500, optional: true, multiline: true },
        { kind: 'text', name: 'personalDetails.notes', label: 'Notes', max: 5000, optional: true, multiline: true, hint: 'Anything else the person’s support needs to know.' },
      ],
    },
  ],
};
