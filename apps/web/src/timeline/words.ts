/**
 * Plain words for what the record holds: event types, field names and codes (DOMAIN.md,
 * "Codes"), dates and instants in UK terms. Nothing here decodes personal data: a sealed
 * value (`pd1:...`) is only ever named as sealed.
 */
import { POLICE_FORCE_AREAS } from '../../../../libs/domain/src/police-force-areas';

export const SEALED = 'sealed personal data';
const SEALED_PREFIX = /^pd\d+:/;

export const isSealed = (value: unknown): boolean => typeof value === 'string' && SEALED_PREFIX.test(value);

const EVENT_TYPES: Record<string, string> = {
  VictimIdentified: 'Identified as a potential victim',
  ConsentRecorded: 'Consent recorded',
  DutyToNotifySubmitted: 'Duty to Notify submitted',
  CircumstancesRecorded: 'Circumstances of exploitation recorded',
  VictimReferred: 'Referred into the NRM',
  DecisionMade: 'Decision made',
  ReconsiderationRequested: 'Reconsideration requested',
  NeedsAssessed: 'Needs assessed',
  CareProvided: 'Care provided',
  VictimExited: 'Exited support',
  FollowUpRecorded: 'Follow-up after exit',
  VictimReReferred: 'Re-referred: a new episode',
  JourneyTransferred: 'Transferred to another caseload',
  PersonalDataErased: 'Personal data erased',
  RecordCorrected: 'Record corrected',
};

/** The event type in plain words (an unknown type as it is stored). */
export function typeLabel(type: string): string {
  return EVENT_TYPES[type] ?? type;
}

/** A title for one event: its type, sharpened by what it says (a decision's stage and outcome, say). */
export function eventTitle(type: string, data: Record<string, unknown>): string {
  switch (type) {
    case 'DecisionMade':
      return `${codeLabel(data.stage)} decision: ${inSentence(codeLabel(data.outcome))}`;
    case 'ConsentRecorded':
      return `Consent to ${inSentence(codeLabel(data.scope))} ${data.given === true ? 'given' : 'refused'}`;
    case 'CareProvided':
      return `Care provided: ${inSentence(codeLabel(data.service))}`;
    case 'FollowUpRecorded':
      return `Follow-up ${typeof data.monthsSinceExit === 'number' ? `${data.monthsSinceExit} ${data.monthsSinceExit === 1 ? 'month' : 'months'} after exit` : 'after exit'}: ${data.contactMade === true ? 'contact made' : 'no contact'}`;
    case 'VictimExited':
      return `Exited support: ${inSentence(codeLabel(data.reason))}`;
    default:
      return typeLabel(type);
  }
}

const FIELDS: Record<string, string> = {
  occurredAt: 'Happened on',
  journeyId: 'Journey',
  firstResponder: 'First responder',
  organisationId: 'Organisation',
  organisationType: 'Organisation type',
  ageGroup: 'Age group',
  gender: 'Gender',
  nationality: 'Nationality',
  exploitationTypes: 'Exploitation types',
  countyLines: 'County lines',
  exploitationLocation: 'Where exploited',
  policeForceArea: 'Police force area',
  indicators: 'Indicators',
  caseloadOrganisationId: 'Caseload organisation',
  personalDetails: 'Personal details',
  name: 'Name',
  dateOfBirth: 'Date of birth',
  contact: 'Contact details',
  phone: 'Phone',
  email: 'Email',
  address: 'Address',
  notes: 'Notes',
  scope: 'Consent to',
  given: 'Given',
  interpreterUsed: 'Interpreter used',
  language: 'Language',
  recruitmentMethod: 'Recruitment method',
  controlMethods: 'Control methods',
  perpetratorRoles: 'Perpetrator roles',
  relationshipToPerpetrator: 'Relationship to perpetrator',
  organisedCrimeGroup: 'Organised crime group',
  durationBand: 'Duration',
  debtBand: 'Debt',
  referralId: 'Referral',
  competentAuthority: 'Competent authority',
  supportRequested: 'Support requested',
  stage: 'Stage',
  outcome: 'Outcome',
  decidedAt: 'Decided on',
  reasonCode: 'Reason',
  decisionEventId: 'Decision to reconsider',
  requestedOn: 'Requested on',
  domains: 'Needs',
  riskLevel: 'Risk level',
  dependants: 'Dependants',
  service: 'Service',
  providerId: 'Provider',
  startedOn: 'Started on',
  endedOn: 'Ended on',
  costPence: 'Cost',
  reason: 'Reason',
  housing: 'Housing',
  immigrationStatus: 'Immigration status',
  monthsSinceExit: 'Months since exit',
  contactMade: 'Contact made',
  occupation: 'Work or education',
  destitute: 'Destitute',
  safeguardingConcern: 'Safeguarding concern',
  reExploitationReported: 'Re-exploitation reported',
  newReferralId: 'New referral',
  previousReferralId: 'Previous referral',
  sameIncident: 'Same incident',
  fromOrganisationId: 'From organisation',
  toOrganisationId: 'To organisation',
  legalBasis: 'Legal basis',
  correctedEventId: 'Corrects',
  changes: 'Changes',
};

/** A field's name in plain words; a dotted path names each step (`Personal details: name`). */
export function fieldLabel(field: string): string {
  const steps = field.split('.');
  const words = steps.map((step) => FIELDS[step] ?? humanise(step));
  return words.map((word, i) => (i === 0 ? word : word.toLowerCase())).join(': ');
}

const CODES: Record<string, string> = {
  SCA: 'Single Competent Authority (SCA)',
  IECA: 'Immigration Enforcement Competent Authority (IECA)',
  DEVOLVED_CHILD_PANEL: 'Devolved child panel',
  reasonable_grounds: 'Reasonable Grounds',
  conclusive_grounds: 'Conclusive Grounds',
  nrm_referral: 'NRM referral',
  data_sharing: 'Data sharing',
  uk: 'UK',
  ngo: 'NGO',
  national_crime_agency: 'National Crime Agency',
  move_on_complete: 'Move-on complete',
  consent_refused: 'Consent refused',
  duty_to_notify_submitted: 'Duty to Notify submitted',
  awaiting_reasonable_grounds: 'Awaiting Reasonable Grounds decision',
  negative_reasonable_grounds: 'Negative Reasonable Grounds decision',
  in_recovery_period: 'In recovery period (positive Reasonable Grounds)',
  awaiting_conclusive_grounds: 'Awaiting Conclusive Grounds decision',
  positive_conclusive_grounds: 'Positive Conclusive Grounds decision',
  negative_conclusive_grounds: 'Negative Conclusive Grounds decision',
  reconsideration_requested: 'Reconsideration requested',
  support_worker: 'support worker',
  child_information_society_service: 'Child information society service',
};

/** A code as a readable label: the list above, else its words (`domestic_servitude` → `Domestic servitude`). */
export function codeLabel(code: unknown): string {
  if (typeof code !== 'string') return String(code);
  return CODES[code] ?? humanise(code);
}

/** A label inside a sentence: `Move-on complete` → `move-on complete`; a name (`NRM referral`, `National Crime Agency`) stays. */
export function inSentence(label: string): string {
  return /[A-Z]/.test(label.slice(1)) ? label : label.charAt(0).toLowerCase() + label.slice(1);
}

export function humanise(code: string): string {
  const words = code.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words ? words[0].toUpperCase() + words.slice(1) : code;
}

let regions: Intl.DisplayNames | undefined;
let languages: Intl.DisplayNames | undefined;

export function nationalityLabel(code: unknown): string {
  if (typeof code !== 'string' || code === 'unknown') return 'Unknown';
  try {
    regions ??= new Intl.DisplayNames(['en-GB'], { type: 'region' });
    const name = regions.of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

export function languageLabel(code: unknown): string {
  if (typeof code !== 'string') return String(code);
  try {
    languages ??= new Intl.DisplayNames(['en-GB'], { type: 'language' });
    const name = languages.of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

export function policeForceAreaLabel(code: unknown): string {
  if (typeof code !== 'string') return String(code);
  const area = POLICE_FORCE_AREAS.get(code);
  return area ? `${area.name} (${code}, ${area.region})` : code;
}

export function penceLabel(pence: number): string {
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' }).format(pence / 100);
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-GB')} ${count === 1 ? one : many}`;
}

// Dates. Calendar dates (YYYY-MM-DD) are UK dates without a time; instants are shown in UK time.
const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;
const MS_PER_DAY = 86_400_000;
const CALENDAR = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
const INSTANT = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
const UK_DATE = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

export const isCalendarDate = (value: unknown): value is string => typeof value === 'string' && DATE_SHAPE.test(value);

/** `2024-01-16` as `Tue 16 Jan 2024`. */
export function dateLabel(date: string): string {
  if (!isCalendarDate(date)) return date;
  return CALENDAR.format(new Date(`${date}T00:00:00Z`));
}

/** An ISO instant in UK time: `16 Jan 2024, 09:12:02`. */
export function instantLabel(instant: string): string {
  const time = new Date(instant);
  return Number.isNaN(time.getTime()) ? instant : INSTANT.format(time);
}

/** The UK date of an instant (as the server's ukDateOf). */
export function ukDateOf(instant: string): string {
  const parts = UK_DATE.formatToParts(new Date(instant));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** Calendar days from one date to another (same day 0). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / MS_PER_DAY);
}
