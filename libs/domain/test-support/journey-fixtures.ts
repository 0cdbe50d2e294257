import type * as E from '../src/events';
import type { JourneyEvent } from '../src/events';
import type { JourneyCommand } from '../src/journey/commands';

/** Readable building blocks for journey specifications. Dates are UK calendar dates. */
export const NOW = '2026-11-28T12:00:00Z';

export const identified = (over: Partial<E.VictimIdentified> = {}): JourneyEvent => ({
  type: 'VictimIdentified',
  data: {
    journeyId: 'j-1',
    occurredAt: '2024-01-08',
    firstResponder: { organisationId: 'org-police-1', organisationType: 'police' },
    ageGroup: 'adult',
    gender: 'female',
    nationality: 'AL',
    exploitationTypes: ['sexual'],
    countyLines: false,
    exploitationLocation: 'uk',
    policeForceArea: 'E23000001',
    indicators: ['debt_bondage'],
    caseloadOrganisationId: 'org-ngo-1',
    ...over,
  },
});

export const consented = (given = true, occurredAt = '2024-01-08'): JourneyEvent => ({
  type: 'ConsentRecorded',
  data: { occurredAt, scope: 'nrm_referral', given, interpreterUsed: true, language: 'sq' },
});

export const referred = (occurredAt = '2024-01-08', referralId = 'ref-1'): JourneyEvent => ({
  type: 'VictimReferred',
  data: { occurredAt, referralId, competentAuthority: 'SCA', supportRequested: true },
});

export const decided = (
  stage: E.DecisionMade['stage'],
  outcome: E.DecisionMade['outcome'],
  decidedAt: string,
  referralId = 'ref-1',
): E.DecisionMade => ({ occurredAt: decidedAt, referralId, stage, outcome, decidedAt });

export const decision = (id: string, data: E.DecisionMade) => ({ id, type: 'DecisionMade' as const, data });

export const exited = (occurredAt: string, reason: E.VictimExited['reason'] = 'withdrew'): JourneyEvent => ({
  type: 'VictimExited',
  data: { occurredAt, reason, housing: 'temporary', immigrationStatus: 'pending' },
});

/** A command arriving now. */
export function command<C extends JourneyCommand>(type: C['type'], data: C['data'], now = NOW): JourneyCommand {
  return { type, data, now } as JourneyCommand;
}
