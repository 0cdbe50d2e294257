import type { ExitReason, ExploitationType, OrganisationType } from '../libs/domain/src/codes';

/**
 * Model choices with no exact published figure behind them. Each is approximate: shaped by
 * the bulletins cited in nrm-statistics.ts where they give a direction (e.g. labour the
 * most common type for adults, criminal for children [Q4-23]), otherwise a plain assumption
 * of ours, said so. Change them here, not in the generator.
 */
type Weights<K extends string> = Readonly<Record<K, number>>;

/** Exploitation types by age and gender (approx.; [Q4-23]: adults 34% labour only, children 43% criminal only). */
export const EXPLOITATION: Readonly<Record<'adult_male' | 'adult_female' | 'child_male' | 'child_female', Weights<ExploitationType>>> = {
  adult_male: { labour: 0.46, criminal: 0.18, sexual: 0.05, domestic_servitude: 0.03, unknown: 0.279, organ_harvesting: 0.001 },
  adult_female: { sexual: 0.4, labour: 0.2, domestic_servitude: 0.15, criminal: 0.07, unknown: 0.179, organ_harvesting: 0.001 },
  child_male: { criminal: 0.62, labour: 0.12, sexual: 0.05, domestic_servitude: 0.01, unknown: 0.2, organ_harvesting: 0 },
  child_female: { criminal: 0.33, sexual: 0.36, labour: 0.08, domestic_servitude: 0.05, unknown: 0.18, organ_harvesting: 0 },
};
/** Share of referrals recording a second exploitation type (assumption). */
export const SECOND_TYPE_SHARE = 0.12;
/** Genders other than male/female: a handful a year in the bulletins (approx.). */
export const OTHER_GENDER = { transgender: 0.002, other: 0.001, unknown: 0.002 } as const;

/** First responder types (approx.; the bulletins rank Home Office, police, local authorities, NGOs). */
export const RESPONDERS: Readonly<Record<'uk_child' | 'uk_adult' | 'other_child' | 'other_adult' | 'duty_to_notify', Weights<OrganisationType>>> = {
  uk_child: { local_authority: 0.5, police: 0.42, ngo: 0.03, health: 0.02, other: 0.03, immigration: 0, border_force: 0, national_crime_agency: 0, labour_abuse_authority: 0, helpline: 0 },
  uk_adult: { police: 0.45, local_authority: 0.24, ngo: 0.15, helpline: 0.02, health: 0.04, labour_abuse_authority: 0.02, other: 0.08, immigration: 0, border_force: 0, national_crime_agency: 0 },
  other_child: { local_authority: 0.55, immigration: 0.25, police: 0.12, border_force: 0.05, ngo: 0.03, health: 0, other: 0, national_crime_agency: 0, labour_abuse_authority: 0, helpline: 0 },
  other_adult: { immigration: 0.45, police: 0.18, ngo: 0.2, border_force: 0.05, local_authority: 0.04, labour_abuse_authority: 0.03, national_crime_agency: 0.02, health: 0.01, other: 0.02, helpline: 0 },
  // The duty to notify falls on specified public authorities (MSA 2015 s.52), not NGOs.
  duty_to_notify: { police: 0.5, immigration: 0.35, local_authority: 0.1, labour_abuse_authority: 0.03, national_crime_agency: 0.02, border_force: 0, ngo: 0, health: 0, other: 0, helpline: 0 },
};

/**
 * Referrals by police force area: roughly population, with London and Kent (ports) uplifted
 * (approx.; [NCA18]: 3.3% Scotland, 3.6% Wales, 0.7% Northern Ireland).
 */
export const POLICE_FORCE_AREA_WEIGHTS: Weights<string> = {
  E23000001: 20, E23000034: 0.3, E23000002: 0.8, E23000003: 2.5, E23000004: 2.5, E23000005: 5.5, E23000006: 1.5,
  E23000007: 2.2, E23000008: 1, E23000013: 1, E23000009: 1, E23000010: 4.5, E23000011: 2.2, E23000012: 1.5,
  E23000014: 5.5, E23000015: 1.6, E23000016: 1.9, E23000017: 0.9, E23000018: 1.5, E23000019: 1.9, E23000020: 1.2,
  E23000021: 1.8, E23000022: 1.2, E23000023: 1.4, E23000024: 1.3, E23000025: 1.1, E23000026: 1.2, E23000027: 1.8,
  E23000028: 3, E23000029: 3.5, E23000030: 3.2, E23000031: 1.6, E23000032: 4.5, E23000033: 2.3, E23000035: 2,
  E23000036: 2.3, E23000037: 0.8, E23000038: 0.9, E23000039: 0.9, W15000001: 0.9, W15000002: 0.7, W15000003: 1.8,
  W15000004: 0.6, S23000009: 3.8, N23000001: 0.8,
};

/** RG waits beyond the 5-working-day target: calendar days, lognormal (assumption). */
export const RG_TAIL = { minDays: 8, medianDays: 35, sigma: 1.0, maxDays: 900 } as const;
/** Devolved child panels: RG within about 45 days of referral [PILOT guidance]; CG soon after the recovery period. */
export const DEVOLVED = { rgMedianDays: 25, rgSigma: 0.6, cgExtraDaysMax: 30, rgPositive: 0.9, cgPositive: 0.9 } as const;
export const CG_WAIT_SIGMA = 0.65;
/** Reconsideration: requested days after the decision; new decision days after the request (assumption). */
export const RECONSIDERATION = { requestMaxDays: 28, decisionMedianDays: 60, decisionSigma: 0.7 } as const;
/** Support ends 9 working days after a final negative decision (statutory guidance; approx.). */
export const NEGATIVE_EXIT_WORKING_DAYS = 9;

/** Leaving support before a CG decision: a yearly hazard from referral (assumption), and why. */
export const EARLY_EXIT_PER_YEAR = 0.12;
export const EARLY_EXIT_REASONS: Weights<ExitReason> = {
  withdrew: 0.3, lost_contact: 0.35, returned_home: 0.1, detained: 0.1, deceased: 0.02, other: 0.13, move_on_complete: 0, negative_decision: 0,
};
/** Whether a CG decision is still made after someone left support early (assumption). */
export const CG_AFTER_EARLY_EXIT = 0.75;
/** Move-on support after a positive CG: at least 45 days (policy.ts), up to this many more. */
export const MOVE_ON_EXTRA_DAYS_MAX = 75;

/** Care: support requested at referral, accommodation versus outreach, other services (assumption). */
export const SUPPORT_REQUESTED = { adult: 0.78, child: 0.6 } as const;
export const ACCOMMODATION_SHARE = { adult: 0.22, child_uk: 0.25, child_other: 0.6 } as const;
export const SERVICE_SHARE = { financial: 0.9, counselling: 0.25, medical: 0.3, legal: 0.4, interpreting: 0.65, transport: 0.3, education_child: 0.7, education_dependants: 0.5 } as const;
/** Recurring care is recorded in periods of this many days, each with its cost. */
export const CARE_PERIOD_DAYS = 91;
/** Unit costs in pence (assumed, not published per service): per day for recurring care. */
export const DAILY_COST_PENCE = { accommodation: 8_000, outreach: 1_200, financial: 929, education: 1_000 } as const;
export const ONE_OFF_COST_PENCE = {
  counselling: [6_000, 6, 12], // per session, sessions min..max
  medical: [10_000, 1, 4],
  legal: [30_000, 1, 4],
  interpreting: [3_000, 2, 20], // per hour
  transport: [2_000, 1, 8],
} as const;

/** Needs assessments: share done, share of those within 10 days of referral (assumption). */
export const NEEDS_ASSESSED = 0.85;
export const NEEDS_WITHIN_10_DAYS = 0.62;
export const NEEDS_DOMAINS = ['accommodation', 'physical_health', 'mental_health', 'legal', 'finance', 'safety', 'language', 'education', 'employment', 'family'] as const;

/**
 * Follow-ups after exit at 1, 3, 6, 12 and 24 months: the chance contact is made, falling
 * with time, lower after some exits (assumption: the 2018 audit found no follow-up data at all).
 */
export const FOLLOW_UP_CONTACT: Readonly<Record<number, number>> = { 1: 0.75, 3: 0.65, 6: 0.55, 12: 0.45, 24: 0.35 };
export const FOLLOW_UP_CONTACT_FACTOR: Partial<Record<ExitReason, number>> = { lost_contact: 0.3, returned_home: 0.4, withdrew: 0.6, detained: 0.6 };

/**
 * Re-referral after exit (assumption, "a few percent within 12 months"): ever re-referred
 * with this chance, after a lognormal time; likelier for UK children and after lost contact.
 */
export const RE_REFERRAL = { chance: 0.06, medianDays: 300, sigma: 0.8, ukChildFactor: 1.8, lostContactFactor: 1.5, sameIncident: 0.3, maxEpisodes: 3 } as const;

/** Adults who refused consent and whose responder filed no Duty to Notify, or who consented later (assumption). */
export const REFUSED_WITHOUT_DTN = 0.01;
export const LATER_CONSENT_AFTER_DTN = 0.03;
export const REFUSED_THEN_CONSENTED = 0.05;

/** Language of the consent conversation (BCP 47) by nationality, for interpreters. */
export const LANGUAGE: Readonly<Record<string, string>> = {
  GB: 'en', AL: 'sq', VN: 'vi', ER: 'ti', SD: 'ar', AF: 'ps', IR: 'fa', IQ: 'ku', ET: 'am', RO: 'ro', CN: 'zh',
  PL: 'pl', IN: 'hi', EG: 'ar', SY: 'ar', NG: 'en', PK: 'ur', BD: 'bn', KW: 'ar', SO: 'so', TR: 'tr', UA: 'uk',
};

/** Indicator codes (snake_case) a first responder may tick, by exploitation type. */
export const INDICATORS: Readonly<Record<ExploitationType, readonly string[]>> = {
  labour: ['works_excessive_hours', 'withheld_wages', 'lives_at_workplace', 'debt_bondage', 'no_identity_documents'],
  sexual: ['sexual_exploitation_signs', 'controlled_by_others', 'moved_between_addresses', 'no_identity_documents'],
  criminal: ['carrying_drugs_or_cash', 'missing_episodes', 'found_in_cannabis_farm', 'unexplained_travel', 'older_associates'],
  domestic_servitude: ['lives_at_workplace', 'restricted_movement', 'withheld_wages', 'no_identity_documents'],
  organ_harvesting: ['unexplained_surgery_scars', 'controlled_by_others'],
  unknown: ['fearful_of_authorities', 'signs_of_physical_abuse', 'controlled_by_others'],
};

/** UN Human Trafficking Case Data Standard codes, in snake_case (no names, no free text). */
export const HTCDS = {
  recruitment: ['job_offer', 'intimate_partner_or_marriage_offer', 'family_member', 'abduction', 'education_offer', 'travel_offer', 'peer_or_friend', 'online_contact', 'other', 'unknown'],
  control: ['debt_bondage', 'takes_earnings', 'threats', 'psychological_abuse', 'physical_abuse', 'sexual_abuse', 'false_promises', 'psychoactive_substances', 'restricts_movement', 'withholds_documents', 'withholds_necessities', 'threats_to_family', 'threat_of_law_enforcement'],
  roles: ['recruiter', 'transporter', 'exploiter', 'controller', 'harbourer'],
  relationship: ['stranger', 'acquaintance', 'friend', 'intimate_partner', 'family_member', 'employer', 'other', 'unknown'],
  duration: ['under_1_month', '1_to_6_months', '6_to_12_months', '1_to_2_years', 'over_2_years', 'unknown'],
  debt: ['none', 'under_1000', '1000_to_5000', '5000_to_20000', 'over_20000', 'unknown'],
} as const;
