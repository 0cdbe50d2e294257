import type { FieldChange, JourneyEventType, RecordCorrected, RecordedJourneyEvent } from '../events';

/**
 * Corrections as data: which fields of which events may be corrected, and the corrected
 * history they describe. Every fold (the decider's state, the read models, the state as at
 * a date) applies a RecordCorrected by replacing the corrected event's data in the history
 * and folding that history again, so a correction reads exactly as a replay of the history
 * with the corrected event would.
 */

/** An event a correction can refer to: every journey event but a correction. */
export type JourneyFact = Exclude<RecordedJourneyEvent, { type: 'RecordCorrected' }>;

const PERSONAL_DETAILS = [
  'personalDetails', 'personalDetails.name', 'personalDetails.dateOfBirth', 'personalDetails.contact',
  'personalDetails.contact.phone', 'personalDetails.contact.email', 'personalDetails.contact.address', 'personalDetails.notes',
];

/**
 * The data fields a correction may change, by event type (dotted paths; a list is replaced
 * whole). Keys that tie events together or to a caseload never change: journeyId,
 * caseloadOrganisationId, referral ids, the decision a reconsideration names, the
 * organisations of a transfer. A wrong key is not a correction but a different fact.
 * PersonalDataErased and RecordCorrected are not correctable at all.
 */
export const CORRECTABLE_FIELDS: Readonly<Partial<Record<JourneyEventType, readonly string[]>>> = {
  VictimIdentified: [
    'occurredAt', 'firstResponder', 'firstResponder.organisationId', 'firstResponder.organisationType', 'ageGroup',
    'gender', 'nationality', 'exploitationTypes', 'countyLines', 'exploitationLocation', 'policeForceArea', 'indicators',
    ...PERSONAL_DETAILS,
  ],
  ConsentRecorded: ['occurredAt', 'scope', 'given', 'interpreterUsed', 'language'],
  DutyToNotifySubmitted: ['occurredAt', 'policeForceArea', 'exploitationTypes'],
  CircumstancesRecorded: [
    'occurredAt', 'recruitmentMethod', 'controlMethods', 'perpetratorRoles', 'relationshipToPerpetrator',
    'organisedCrimeGroup', 'durationBand', 'debtBand',
  ],
  VictimReferred: ['occurredAt', 'competentAuthority', 'supportRequested'],
  DecisionMade: ['occurredAt', 'stage', 'outcome', 'decidedAt', 'reasonCode'],
  ReconsiderationRequested: ['occurredAt', 'requestedOn'],
  NeedsAssessed: ['occurredAt', 'domains', 'riskLevel', 'dependants'],
  CareProvided: ['occurredAt', 'service', 'providerId', 'startedOn', 'endedOn', 'costPence'],
  VictimExited: ['occurredAt', 'reason', 'housing', 'immigrationStatus'],
  FollowUpRecorded: [
    'occurredAt', 'monthsSinceExit', 'contactMade', 'housing', 'occupation', 'immigrationStatus', 'destitute',
    'safeguardingConcern', 'reExploitationReported',
  ],
  VictimReReferred: ['occurredAt', 'sameIncident', 'competentAuthority'],
  JourneyTransferred: ['occurredAt', 'reason'],
};

export const isCorrectableField = (type: JourneyEventType, field: string): boolean =>
  CORRECTABLE_FIELDS[type]?.includes(field) ?? false;

export const isPersonalDetailsField = (field: string): boolean =>
  field === 'personalDetails' || field.startsWith('personalDetails.');

/**
 * `data` with each change applied in order: the value set at its dotted path (missing
 * objects on the way are created), or the field removed when the value is null.
 */
export function applyChanges<D extends object>(data: D, changes: readonly FieldChange[]): D {
  const start = { ...data } as Record<string, unknown>;
  return changes.reduce((shape, change) => setPath(shape, change.field.split('.'), change.value), start) as D;
}

function setPath(shape: Record<string, unknown>, [name, ...rest]: string[], value: unknown): Record<string, unknown> {
  if (rest.length === 0) {
    if (value !== null) return { ...shape, [name]: value };
    const { [name]: _removed, ...kept } = shape;
    return kept;
  }
  const inner = shape[name];
  const base = typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as Record<string, unknown>) : {};
  return { ...shape, [name]: setPath(base, rest, value) };
}

/** The history with a correction applied: the corrected event keeps its id, place and type; its data changes. */
export function correctHistory<F extends { id: string; data: object }>(facts: readonly F[], correction: RecordCorrected): F[] {
  return facts.map((fact) => (fact.id === correction.correctedEventId ? { ...fact, data: applyChanges(fact.data, correction.changes) } : fact));
}

