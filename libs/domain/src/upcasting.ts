import { JourneyEvent, JourneyEventType } from './events';

/**
 * Reading older stored shapes. Each event type has a current schema version; an upcaster
 * turns version n into n+1, and reading applies them in turn, so handlers and projections
 * only ever see the current shape. When a type changes, bump its version here and add the
 * upcaster from the previous one.
 */
export const CURRENT_SCHEMA_VERSION: Readonly<Record<JourneyEventType, number>> = {
  VictimIdentified: 2, ConsentRecorded: 1, DutyToNotifySubmitted: 1, CircumstancesRecorded: 1,
  VictimReferred: 1, DecisionMade: 1, ReconsiderationRequested: 1, NeedsAssessed: 1,
  CareProvided: 1, VictimExited: 1, FollowUpRecorded: 1, VictimReReferred: 1,
  JourneyTransferred: 1, PersonalDataErased: 1, RecordCorrected: 1,
};

type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

/** `UPCASTERS[type][n]` turns version n into n+1. */
export const UPCASTERS: Partial<Record<JourneyEventType, Record<number, Upcaster>>> = {
  VictimIdentified: {
    // Version 1 had no caseload: the first responder's organisation held the case.
    1: (data) => ({ ...data, caseloadOrganisationId: (data.firstResponder as { organisationId?: string } | undefined)?.organisationId ?? 'unknown' }),
  },
};

/** The versions and steps upcasting works from; tests pass their own. */
export interface UpcastingRegistry {
  current: Readonly<Record<string, number>>;
  steps: Partial<Record<string, Record<number, Upcaster>>>;
}

export const JOURNEY_UPCASTING: UpcastingRegistry = { current: CURRENT_SCHEMA_VERSION, steps: UPCASTERS };

export class UnknownSchemaVersionError extends Error {
  constructor(type: string, version: number, current: number | undefined) {
    super(`No upcaster brings ${type} schema version ${version} to version ${current}`);
    this.name = 'UnknownSchemaVersionError';
  }
}

/** Brings a stored event's data from its schema version to the current one. */
export function upcast(
  type: JourneyEventType,
  schemaVersion: number,
  data: Record<string, unknown>,
  registry: UpcastingRegistry = JOURNEY_UPCASTING,
): JourneyEvent {
  const current = registry.current[type];
  let version = schemaVersion;
  let shape = data;
  while (current !== undefined && version < current) {
    const step = registry.steps[type]?.[version];
    if (!step) throw new UnknownSchemaVersionError(type, schemaVersion, current);
    shape = step(shape);
    version++;
  }
  if (current === undefined || version !== current) throw new UnknownSchemaVersionError(type, schemaVersion, current);
  return { type, data: shape } as unknown as JourneyEvent;
}
