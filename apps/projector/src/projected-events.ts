import { isJourneyEventType, JourneyEvent } from '../../../libs/domain/src/events';
import { upcast } from '../../../libs/domain/src/upcasting';
import type { EventStore, StoredEvent } from '../../../libs/event-store/src/event-store.port';
import type { ProjectedEvent } from '../../../projections/projection';

/** A stored event as projections see it (upcast), or undefined for events they do not know. */
export function toProjectedEvent(stored: StoredEvent): ProjectedEvent | undefined {
  if (!isJourneyEventType(stored.type)) return undefined;
  const event = upcast(stored.type as JourneyEvent['type'], stored.metadata.schemaVersion, stored.data);
  return { ...event, id: stored.id, streamId: stored.streamId, revision: stored.revision, position: stored.position, metadata: stored.metadata } as ProjectedEvent;
}

/** The events of `event`'s stream before it, as projections see them: the history a correction folds again. */
export async function historyOf(store: Pick<EventStore, 'readStream'>, event: ProjectedEvent): Promise<ProjectedEvent[]> {
  const stream = await store.readStream(event.streamId);
  return stream.filter((stored) => stored.revision < event.revision).flatMap((stored) => toProjectedEvent(stored) ?? []);
}
