import fc from 'fast-check';
import { consent, decision, exit, identification, referral } from '../../../seeds/journey-requests';
import { calendarDate } from './schema-arbitraries';

/**
 * Request bodies a support worker would really send, route by route (from
 * seeds/journey-requests.ts and the access matrix's examples), varied a little. Bodies built
 * from the schemas alone are nearly always refused by the NRM's rules (dates out of order, a
 * referral before consent...); these reach the decider and are often recorded.
 */
/**
 * Stand-ins for ids of the journey in the path that the body must name (the event a
 * correction corrects, the decision a reconsideration is about): the request is built first,
 * and `withKnownIds` puts the journey's real ids in (or the nil UUID when it has none).
 */
export const IDENTIFICATION_EVENT = '@@identification-event-of-the-journey@@';
export const DECISION_EVENT = '@@decision-event-of-the-journey@@';

export type KnownEventIds = { identification?: string; decision?: string };

export function withKnownIds(text: string, ids: KnownEventIds): string {
  const nil = '00000000-0000-0000-0000-000000000000';
  return text.split(IDENTIFICATION_EVENT).join(ids.identification ?? nil).split(DECISION_EVENT).join(ids.decision ?? nil);
}

const referralId = fc.integer({ min: 1, max: 30 }).map((n) => `NRM-2024-${String(n).padStart(4, '0')}`);
const after = (from: string) => calendarDate(from, '2024-12-31');

export function realisticBody(route: string): fc.Arbitrary<unknown> | undefined {
  switch (route) {
    case 'POST /journeys':
      return fc.record({ ageGroup: fc.constantFrom('adult', 'child', 'unknown'), journeyId: fc.option(fc.uuid({ version: 4 }), { nil: undefined }), details: fc.boolean() })
        .map(({ ageGroup, journeyId, details }) => {
          const body: Record<string, unknown> = identification({ ageGroup, ...(journeyId ? { journeyId } : {}) });
          if (!details) delete body.personalDetails;
          return body;
        });
    case 'POST /journeys/{id}/consents':
      return fc.tuple(fc.boolean(), fc.constantFrom('2024-01-08', '2024-01-09')).map(([given, on]) => consent(given, on));
    case 'POST /journeys/{id}/duty-to-notify':
      return after('2024-01-08').map((occurredAt) => ({ occurredAt, policeForceArea: 'E23000001', exploitationTypes: ['labour'] }));
    case 'POST /journeys/{id}/circumstances':
      return after('2024-01-08').map((occurredAt) => ({
        occurredAt, recruitmentMethod: 'false_job_offer', controlMethods: ['threats'], perpetratorRoles: ['recruiter'],
        relationshipToPerpetrator: 'acquaintance', organisedCrimeGroup: false, durationBand: 'months_1_to_6', debtBand: 'none',
      }));
    case 'POST /journeys/{id}/referrals':
      return fc.tuple(after('2024-01-08'), referralId).map(([on, id]) => referral(on, id));
    case 'POST /journeys/{id}/decisions':
      return fc.tuple(fc.constantFrom('reasonable_grounds', 'conclusive_grounds'), fc.constantFrom('positive', 'negative'), after('2024-01-10'))
        .map(([stage, outcome, on]) => decision(stage, outcome, on));
    case 'POST /journeys/{id}/reconsiderations':
      return fc.tuple(after('2024-01-16'), fc.uuid({ version: 4 }), fc.boolean())
        .map(([requestedOn, other, known]) => ({ referralId: 'NRM-2024-0001', decisionEventId: known ? DECISION_EVENT : other, requestedOn }));
    case 'POST /journeys/{id}/needs-assessments':
      return fc.tuple(after('2024-01-08'), fc.constantFrom('low', 'medium', 'high'), fc.integer({ min: 0, max: 5 }))
        .map(([occurredAt, riskLevel, dependants]) => ({ occurredAt, domains: ['health', 'housing'], riskLevel, dependants }));
    case 'POST /journeys/{id}/care':
      return fc.tuple(fc.constantFrom('accommodation', 'outreach', 'counselling', 'legal'), fc.string({ minLength: 1, maxLength: 12 }), after('2024-01-09'))
        .map(([service, providerId, startedOn]) => ({ service, providerId, startedOn }));
    case 'POST /journeys/{id}/exit':
      return fc.tuple(after('2024-01-20'), fc.constantFrom('move_on_complete', 'withdrew')).map(([on, reason]) => exit(on, reason));
    case 'POST /journeys/{id}/follow-ups':
      return fc.tuple(after('2024-02-01'), fc.constantFrom(1, 3, 6), fc.boolean()).map(([occurredAt, monthsSinceExit, contactMade]) => contactMade
        ? { occurredAt, monthsSinceExit, contactMade, housing: 'stable', occupation: 'employed', immigrationStatus: 'pending', destitute: false }
        : { occurredAt, monthsSinceExit, contactMade });
    case 'POST /journeys/{id}/re-referrals':
      return fc.tuple(after('2024-03-01'), referralId).map(([occurredAt, newReferralId]) => ({
        occurredAt, newReferralId, previousReferralId: 'NRM-2024-0001', sameIncident: false, competentAuthority: 'SCA',
      }));
    case 'POST /journeys/{id}/transfers':
      return fc.constantFrom('met-police', 'org-elsewhere').map((toOrganisationId) => ({ toOrganisationId, reason: 'relocated' }));
    case 'POST /journeys/{id}/erasure':
      return fc.constantFrom('consent_withdrawn', 'no_longer_necessary').map((legalBasis) => ({ reason: 'DPO-2026-1', legalBasis }));
    case 'POST /journeys/{id}/corrections':
      return fc.tuple(fc.constantFrom('gender', 'nationality', 'countyLines'), fc.uuid({ version: 4 }), fc.boolean()).map(([field, other, known]) => ({
        correctedEventId: known ? IDENTIFICATION_EVENT : other,
        changes: [{ field, value: field === 'gender' ? 'male' : field === 'nationality' ? 'RO' : true }],
        reason: 'typing error, ref 12',
      }));
    default:
      return undefined;
  }
}
