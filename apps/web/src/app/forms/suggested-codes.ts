/**
 * Codes offered as choices where the API takes any snake_case code (indicators, needs
 * domains, UN Human Trafficking Case Data Standard codes, decision reasons). The API has no
 * closed list for them, so each list field also takes other codes typed in.
 */
import { snakeChoices } from './choices';

export const INDICATOR_CHOICES = snakeChoices([
  'debt_bondage', 'withheld_wages', 'works_excessive_hours', 'lives_at_workplace', 'no_identity_documents', 'withheld_documents',
  'restricted_movement', 'controlled_by_others', 'moved_between_addresses', 'sexual_exploitation_signs', 'carrying_drugs_or_cash',
  'found_in_cannabis_farm', 'missing_episodes', 'unexplained_travel', 'older_associates', 'fearful_of_authorities',
  'signs_of_physical_abuse', 'unexplained_surgery_scars',
], { no_identity_documents: 'No identity documents', sexual_exploitation_signs: 'Signs of sexual exploitation' });

export const RECRUITMENT_CHOICES = snakeChoices([
  'job_offer', 'intimate_partner_or_marriage_offer', 'family_member', 'abduction', 'education_offer', 'travel_offer', 'peer_or_friend', 'online_contact', 'other', 'unknown',
], { intimate_partner_or_marriage_offer: 'Intimate partner or marriage offer', peer_or_friend: 'Peer or friend', unknown: 'Not known' });

export const CONTROL_METHOD_CHOICES = snakeChoices([
  'debt_bondage', 'takes_earnings', 'threats', 'psychological_abuse', 'physical_abuse', 'sexual_abuse', 'false_promises', 'psychoactive_substances',
  'restricts_movement', 'withholds_documents', 'withholds_necessities', 'threats_to_family', 'threat_of_law_enforcement',
], { psychoactive_substances: 'Psychoactive substances (drugs or alcohol)', threat_of_law_enforcement: 'Threat of the police or immigration' });

export const PERPETRATOR_ROLE_CHOICES = snakeChoices(['recruiter', 'transporter', 'exploiter', 'controller', 'harbourer']);

export const RELATIONSHIP_CHOICES = snakeChoices(['stranger', 'acquaintance', 'friend', 'intimate_partner', 'family_member', 'employer', 'other', 'unknown'], { unknown: 'Not known' });

export const DURATION_CHOICES = snakeChoices(['under_1_month', '1_to_6_months', '6_to_12_months', '1_to_2_years', 'over_2_years', 'unknown'], {
  under_1_month: 'Under a month', '1_to_6_months': '1 to 6 months', '6_to_12_months': '6 to 12 months', '1_to_2_years': '1 to 2 years', over_2_years: 'Over 2 years', unknown: 'Not known',
});

export const DEBT_CHOICES = snakeChoices(['none', 'under_1000', '1000_to_5000', '5000_to_20000', 'over_20000', 'unknown'], {
  none: 'No debt', under_1000: 'Under £1,000', '1000_to_5000': '£1,000 to £5,000', '5000_to_20000': '£5,000 to £20,000', over_20000: 'Over £20,000', unknown: 'Not known',
});

export const NEEDS_DOMAIN_CHOICES = snakeChoices([
  'accommodation', 'physical_health', 'mental_health', 'legal', 'finance', 'safety', 'language', 'education', 'employment', 'family',
]);

export const NEGATIVE_REASON_CHOICES = snakeChoices(['insufficient_information', 'indicators_not_met', 'credibility_concerns', 'not_modern_slavery'], {
  indicators_not_met: 'Indicators of modern slavery not met', not_modern_slavery: 'Not modern slavery',
});
