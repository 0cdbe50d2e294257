import type { EventMetadata, StoredEvent } from './event-store.port';

/**
 * A stored event as JSON: everything the store holds for it, with the position and revision
 * as decimal strings (lossless for any backend's bigint). The form of exports, evidence
 * bundles and the audit chain's canonical bytes alike.
 */
export interface StoredEventJson {
  position: string;
  streamId: string;
  revision: string;
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export function toStoredEventJson(event: StoredEvent): StoredEventJson {
  return {
    position: event.position.toString(), streamId: event.streamId, revision: event.revision.toString(),
    id: event.id, type: event.type, data: event.data, metadata: event.metadata as unknown as Record<string, unknown>,
  };
}

export function fromStoredEventJson(event: StoredEventJson): StoredEvent {
  return { ...event, position: BigInt(event.position), revision: BigInt(event.revision), metadata: event.metadata as unknown as EventMetadata };
}
