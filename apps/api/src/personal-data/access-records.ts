import { randomUUID } from 'node:crypto';
import type { EventStore, StoredEvent } from '../../../../libs/event-store/src/event-store.port';
import type { Actor } from '../journeys/recording/record-journey-step.command';

/** Why personal data is being read: a code, never free text (free text invites personal data). */
export const ACCESS_PURPOSES = [
  'case_management', 'safeguarding', 'audit', 'subject_access_request', 'legal_proceedings', 'data_quality',
] as const;
export type AccessPurpose = (typeof ACCESS_PURPOSES)[number];

/** One stream of access records per journey, apart from the journey's own history. */
export const ACCESS_STREAM_PREFIX = 'access-';
export const accessStreamId = (journeyId: string) => `${ACCESS_STREAM_PREFIX}${journeyId}`;

/** An access record as auditors read it: who read the journey's personal data, when and why; never the data. */
export interface AccessRecord {
  id: string;
  journeyId: string;
  accessedAt: string;
  accessedBy: { userId: string; role: string; organisationId: string };
  purpose: AccessPurpose;
  correlationId: string;
  position: string;
}

/**
 * Appends the record of one read of a journey's personal data. Called before the data is
 * opened: if this throws, the read must be refused (fail closed).
 */
export async function recordAccess(events: EventStore, journeyId: string, actor: Actor, purpose: AccessPurpose, correlationId: string, now: string): Promise<string> {
  const id = randomUUID();
  await events.append(accessStreamId(journeyId), [{
    id,
    type: 'PersonalDataAccessed',
    data: { journeyId, purpose },
    metadata: { recordedAt: now, recordedBy: { ...actor }, commandId: id, correlationId, schemaVersion: 1 },
  }], 'any');
  return id;
}

export async function readAccessRecords(events: EventStore, journeyId: string): Promise<AccessRecord[]> {
  return (await events.readStream(accessStreamId(journeyId))).filter((e) => e.type === 'PersonalDataAccessed').map(toAccessRecord);
}

function toAccessRecord(event: StoredEvent): AccessRecord {
  return {
    id: event.id,
    journeyId: String(event.data.journeyId),
    accessedAt: event.metadata.recordedAt,
    accessedBy: event.metadata.recordedBy,
    purpose: event.data.purpose as AccessPurpose,
    correlationId: event.metadata.correlationId,
    position: event.position.toString(),
  };
}
