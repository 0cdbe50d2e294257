import { JourneyNotFound } from '../errors';
import type { Actor } from './recording/record-journey-step.command';

/**
 * Caseload scoping: a support worker reaches only the journeys on their own organisation's
 * caseload. Any other journey is "not found", never "forbidden", so that whether it exists
 * is not disclosed; and the check comes before any rule, so no rule's answer discloses it
 * either. Other roles' reach is settled by the route's access policy.
 */
export function assertOnCaseload(actor: Actor, caseloadOrganisationId: string | undefined, journeyId: string): void {
  if (actor.role === 'support_worker' && caseloadOrganisationId !== actor.organisationId) throw new JourneyNotFound(journeyId);
}

/** The caseload filter a role is held to: a support worker's own organisation, else none. */
export function caseloadScope(actor: Actor): string | undefined {
  return actor.role === 'support_worker' ? actor.organisationId : undefined;
}
