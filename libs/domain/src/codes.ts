/**
 * The codes the system accepts (DOMAIN.md, "Codes"). Each list is the single source for the
 * domain types, the API's validation and the OpenAPI document: an unknown value is a 400.
 */

export const ORGANISATION_TYPES = [
  'police', 'local_authority', 'immigration', 'border_force', 'national_crime_agency',
  'labour_abuse_authority', 'ngo', 'helpline', 'health', 'other',
] as const;
export const AGE_GROUPS = ['adult', 'child', 'unknown'] as const;
export const GENDERS = ['female', 'male', 'transgender', 'other', 'unknown'] as const;
export const EXPLOITATION_TYPES = [
  'labour', 'sexual', 'criminal', 'domestic_servitude', 'organ_harvesting', 'unknown',
] as const;
export const EXPLOITATION_LOCATIONS = ['uk', 'overseas', 'both', 'unknown'] as const;
export const CONSENT_SCOPES = ['nrm_referral', 'data_sharing'] as const;
export const COMPETENT_AUTHORITIES = ['SCA', 'IECA', 'DEVOLVED_CHILD_PANEL'] as const;
export const DECISION_STAGES = ['reasonable_grounds', 'conclusive_grounds'] as const;
export const DECISION_OUTCOMES = ['positive', 'negative'] as const;
export const CARE_SERVICES = [
  'accommodation', 'outreach', 'financial', 'medical', 'counselling', 'legal', 'interpreting',
  'transport', 'education',
] as const;
export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export const EXIT_REASONS = [
  'move_on_complete', 'negative_decision', 'withdrew', 'lost_contact', 'returned_home',
  'detained', 'deceased', 'other',
] as const;
export const HOUSING = ['stable', 'temporary', 'homeless', 'detention', 'unknown'] as const;
export const IMMIGRATION_STATUSES = [
  'british_or_settled', 'leave_to_remain', 'pending', 'refused', 'returned', 'unknown',
] as const;
export const OCCUPATIONS = ['employed', 'education', 'unemployed', 'unable_to_work', 'unknown'] as const;
/** Why a case moves to another organisation's caseload. */
export const TRANSFER_REASONS = [
  'relocated', 'provider_change', 'specialist_support', 'safeguarding', 'capacity', 'other',
] as const;
/** The UK GDPR Article 17(1) ground an erasure rests on, (a) to (f). */
export const ERASURE_LEGAL_BASES = [
  'no_longer_necessary', 'consent_withdrawn', 'objection', 'unlawfully_processed',
  'legal_obligation', 'child_information_society_service',
] as const;
/** The proposed follow-up schedule, in months after exit. */
export const FOLLOW_UP_MILESTONES = [1, 3, 6, 12, 24] as const;

export type OrganisationType = (typeof ORGANISATION_TYPES)[number];
export type AgeGroup = (typeof AGE_GROUPS)[number];
export type Gender = (typeof GENDERS)[number];
export type ExploitationType = (typeof EXPLOITATION_TYPES)[number];
export type ExploitationLocation = (typeof EXPLOITATION_LOCATIONS)[number];
export type ConsentScope = (typeof CONSENT_SCOPES)[number];
export type CompetentAuthority = (typeof COMPETENT_AUTHORITIES)[number];
export type DecisionStage = (typeof DECISION_STAGES)[number];
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];
export type CareService = (typeof CARE_SERVICES)[number];
export type RiskLevel = (typeof RISK_LEVELS)[number];
export type ExitReason = (typeof EXIT_REASONS)[number];
export type Housing = (typeof HOUSING)[number];
export type ImmigrationStatus = (typeof IMMIGRATION_STATUSES)[number];
export type Occupation = (typeof OCCUPATIONS)[number];

export type TransferReason = (typeof TRANSFER_REASONS)[number];
export type ErasureLegalBasis = (typeof ERASURE_LEGAL_BASES)[number];
