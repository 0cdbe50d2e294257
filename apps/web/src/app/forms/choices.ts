/**
 * The codes a worker chooses from, in plain words. The code lists themselves come from the
 * domain (libs/domain/src/codes.ts, police-force-areas.ts, nationalities.ts), so a code added
 * there shows up here, and the compiler asks for its label.
 */
import * as C from '../../../../../libs/domain/src/codes';
import { NATIONALITIES } from '../../../../../libs/domain/src/nationalities';
import { POLICE_FORCE_AREAS } from '../../../../../libs/domain/src/police-force-areas';
import type { Choice } from './field-types';

type Labels<T extends string> = Record<T, string>;

const choices = <T extends string>(codes: readonly T[], labels: Labels<T>, hints: Partial<Labels<T>> = {}): Choice[] =>
  codes.map((value) => ({ value, label: labels[value], hint: hints[value] }));

export const ORGANISATION_TYPE_CHOICES = choices(C.ORGANISATION_TYPES, {
  police: 'Police', local_authority: 'Local authority', immigration: 'Immigration (Home Office)', border_force: 'Border Force',
  national_crime_agency: 'National Crime Agency', labour_abuse_authority: 'Gangmasters and Labour Abuse Authority',
  ngo: 'Designated non-governmental organisation', helpline: 'Modern slavery helpline', health: 'Health service', other: 'Other',
});

export const AGE_GROUP_CHOICES = choices(C.AGE_GROUPS, { adult: 'Adult (18 or over)', child: 'Child (under 18)', unknown: 'Not known' },
  { unknown: 'Treated as a child until their age is known: no consent is needed to refer them.' });

export const GENDER_CHOICES = choices(C.GENDERS, { female: 'Female', male: 'Male', transgender: 'Transgender', other: 'Other', unknown: 'Not known' });

export const EXPLOITATION_TYPE_CHOICES = choices(C.EXPLOITATION_TYPES, {
  labour: 'Labour', sexual: 'Sexual', criminal: 'Criminal', domestic_servitude: 'Domestic servitude', organ_harvesting: 'Organ harvesting', unknown: 'Not known',
});

export const EXPLOITATION_LOCATION_CHOICES = choices(C.EXPLOITATION_LOCATIONS, { uk: 'In the UK', overseas: 'Overseas', both: 'Both in the UK and overseas', unknown: 'Not known' });

export const CONSENT_SCOPE_CHOICES = choices(C.CONSENT_SCOPES, { nrm_referral: 'A referral into the NRM', data_sharing: 'Sharing their information with other services' });

export const COMPETENT_AUTHORITY_CHOICES = choices(C.COMPETENT_AUTHORITIES, {
  SCA: 'Single Competent Authority (SCA)', IECA: 'Immigration Enforcement Competent Authority (IECA)', DEVOLVED_CHILD_PANEL: 'Devolved child decision-making panel',
});

export const STAGE_LABELS: Labels<C.DecisionStage> = { reasonable_grounds: 'Reasonable Grounds', conclusive_grounds: 'Conclusive Grounds' };

export const OUTCOME_CHOICES = choices(C.DECISION_OUTCOMES, { positive: 'Positive', negative: 'Negative' });

export const CARE_SERVICE_CHOICES = choices(C.CARE_SERVICES, {
  accommodation: 'Accommodation (safe house)', outreach: 'Outreach support', financial: 'Financial support', medical: 'Medical care', counselling: 'Counselling',
  legal: 'Legal advice', interpreting: 'Interpreting', transport: 'Transport', education: 'Education for dependants',
});

export const RISK_LEVEL_CHOICES = choices(C.RISK_LEVELS, { low: 'Low', medium: 'Medium', high: 'High' });

export const EXIT_REASON_CHOICES = choices(C.EXIT_REASONS, {
  move_on_complete: 'Move-on support complete', negative_decision: 'Negative decision', withdrew: 'Withdrew from support', lost_contact: 'Lost contact',
  returned_home: 'Returned home', detained: 'Detained', deceased: 'Died', other: 'Other reason',
}, { move_on_complete: 'Only after a positive Conclusive Grounds decision.' });

export const HOUSING_CHOICES = choices(C.HOUSING, { stable: 'Stable housing', temporary: 'Temporary housing', homeless: 'Homeless', detention: 'In detention', unknown: 'Not known' });

export const IMMIGRATION_STATUS_CHOICES = choices(C.IMMIGRATION_STATUSES, {
  british_or_settled: 'British or settled', leave_to_remain: 'Leave to remain', pending: 'Application pending', refused: 'Refused',
  returned: 'Returned to their country', unknown: 'Not known',
});

export const OCCUPATION_CHOICES = choices(C.OCCUPATIONS, { employed: 'Employed', education: 'In education or training', unemployed: 'Unemployed', unable_to_work: 'Unable to work', unknown: 'Not known' });

const countries = new Intl.DisplayNames(['en-GB'], { type: 'region', fallback: 'code' });

/** Every nationality the API accepts, by country name, "Not known" first. */
export function nationalityChoices(): Choice[] {
  const named = NATIONALITIES.filter((code) => code !== 'unknown').map((code) => {
    let name = code;
    try { name = countries.of(code) ?? code; } catch { /* an unassigned code keeps its letters */ }
    return { value: code, label: name === code ? code : `${name} (${code})` };
  });
  named.sort((a, b) => a.label.localeCompare(b.label, 'en-GB'));
  return [{ value: 'unknown', label: 'Not known' }, ...named];
}

/** Police force areas grouped by region. */
export function policeForceAreaChoices(): Choice[] {
  return [...POLICE_FORCE_AREAS.values()].map((area) => ({ value: area.code, label: area.name, group: area.region }));
}

/** A snake_case code as words, for suggested codes with no label of their own (`job_offer` → "Job offer"). */
export function codeWords(code: string): string {
  const words = code.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const snakeChoices = (codes: readonly string[], labels: Record<string, string> = {}): Choice[] =>
  codes.map((value) => ({ value, label: labels[value] ?? codeWords(value) }));
