import { journeyStreamId } from '../../../../../libs/domain/src/events';
import { foldJourney } from '../../../../../libs/domain/src/journey/decider';
import { readLedgerEntries } from '../../../../../libs/audit/src/ledger';
import type { EventMetadata, EventStore, StoredEvent } from '../../../../../libs/event-store/src/event-store.port';
import type { ReadStore } from '../../../../../libs/read-store/src/read-store.port';
import { JourneyNotFound } from '../../errors';
import { assertOnCaseload } from '../caseload';
import { toRecordedJourneyEvents } from '../recording/journey-stream';
import type { Actor } from '../recording/record-journey-step.command';

/** One event of a journey's history, with its provenance, exactly as stored. */
export interface HistoryEntry {
  eventId: string;
  /** The event's place in the journey's stream (0-based). */
  revision: number;
  /** Its place in the global log, decimal. */
  position: string;
  type: string;
  /** The date the user gave for the fact (null for an event without one). */
  occurredAt: string | null;
  recordedAt: string;
  recordedBy: EventMetadata['recordedBy'];
  commandId: string;
  correlationId: string;
  schemaVersion: number;
  /** The payload as stored, in its schema version: personal details sealed, never opened. */
  data: Record<string, unknown>;
  /** The event's links in the audit ledger's hash chain; null until the ledger has chained it (it trails the log slightly). */
  hash: { eventHash: string; streamHash: string; globalHash: string } | null;
  /** Ids of the RecordCorrected events that correct this one, in order (the original stays as recorded). */
  correctedBy: string[];
}

export interface JourneyHistory {
  journeyId: string;
  events: HistoryEntry[];
}

/**
 * Every event of a journey, in order, read from the event store itself (not a read model),
 * with who recorded it, when, under which command and correlation, and its ledger hashes.
 * A support worker reads only their caseload's journeys (else 404, as everywhere).
 */
export async function readJourneyHistory(events: EventStore, readStore: ReadStore, journeyId: string, actor: Actor): Promise<JourneyHistory> {
  const stored = await events.readStream(journeyStreamId(journeyId));
  const state = foldJourney(toRecordedJourneyEvents(stored));
  if (!state.identified) throw new JourneyNotFound(journeyId);
  assertOnCaseload(actor, state.caseloadOrganisationId, journeyId);
  const hashes = await readLedgerEntries(readStore, stored.map((e) => e.position));
  const correctedBy = correctionsByEvent(stored);
  return {
    journeyId,
    events: stored.map((event) => {
      const link = hashes.get(event.position.toString());
      return {
        eventId: event.id,
        revision: Number(event.revision),
        position: event.position.toString(),
        type: event.type,
        occurredAt: typeof event.data.occurredAt === 'string' ? event.data.occurredAt : null,
        recordedAt: event.metadata.recordedAt,
        recordedBy: event.metadata.recordedBy,
        commandId: event.metadata.commandId,
        correlationId: event.metadata.correlationId,
        schemaVersion: event.metadata.schemaVersion,
        data: event.data,
        hash: link ? { eventHash: link.eventHash, streamHash: link.streamHash, globalHash: link.globalHash } : null,
        correctedBy: correctedBy.get(event.id) ?? [],
      };
    }),
  };
}

function correctionsByEvent(stored: readonly StoredEvent[]): Map<string, string[]> {
  const byEvent = new Map<string, string[]>();
  for (const event of stored) {
    if (event.type !== 'RecordCorrected') continue;
    const target = String(event.data.correctedEventId);
    byEvent.set(target, [...(byEvent.get(target) ?? []), event.id]);
  }
  return byEvent;
}
