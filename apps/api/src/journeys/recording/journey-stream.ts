import { createHash } from 'node:crypto';
import type { JourneyEvent, RecordedJourneyEvent } from '../../../../../libs/domain/src/events';
import { isJourneyEventType } from '../../../../../libs/domain/src/events';
import { CURRENT_SCHEMA_VERSION, upcast } from '../../../../../libs/domain/src/upcasting';
import type { EventToAppend, StoredEvent } from '../../../../../libs/event-store/src/event-store.port';
import type { RecordJourneyStep } from './record-journey-step.command';

/** Stored events of a journey stream, upcast to the shapes the decider knows. */
export function toRecordedJourneyEvents(stored: readonly StoredEvent[]): RecordedJourneyEvent[] {
  return stored
    .filter((e) => isJourneyEventType(e.type))
    .map((e) => ({ ...upcast(e.type as JourneyEvent['type'], e.metadata.schemaVersion, e.data), id: e.id }) as RecordedJourneyEvent);
}

/**
 * Wraps decided events for the store. Event ids derive from the command id, so a retry of
 * the same append carries the same ids (EventStoreDB's duplicate check relies on that).
 */
export function toEventsToAppend(events: readonly JourneyEvent[], step: RecordJourneyStep, commandId: string): EventToAppend[] {
  return events.map((event, index) => ({
    id: uuidFrom(`${commandId}/${index}`),
    type: event.type,
    data: event.data as unknown as Record<string, unknown>,
    metadata: {
      recordedAt: step.command.now,
      recordedBy: { ...step.actor },
      commandId,
      correlationId: step.correlationId,
      schemaVersion: CURRENT_SCHEMA_VERSION[event.type],
      ...(step.idempotency ? { idempotencyKey: step.idempotency.key } : {}),
    },
  }));
}

/** A name-based UUID (version 5 layout over SHA-1), stable for the same input. */
export function uuidFrom(name: string): string {
  const bytes = createHash('sha1').update(name).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
