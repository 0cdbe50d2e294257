import { JOURNEY_STREAM_PREFIX } from '../../../../libs/domain/src/events';
import { SqliteEventStore } from '../../../../libs/event-store/src/embedded/sqlite-event-store';
import { EsdbEventStore } from '../../../../libs/event-store/src/eventstoredb/esdb-event-store';
import type { EventStore } from '../../../../libs/event-store/src/event-store.port';
import { SqliteReadStore } from '../../../../libs/read-store/src/embedded/sqlite-read-store';
import type { ReadStore } from '../../../../libs/read-store/src/read-store.port';
import type { AppConfig } from '../config';

export interface Stores {
  events: EventStore;
  readStore: ReadStore;
}

/** The stream categories this product writes and projects from $all. */
export const PRODUCT_STREAM_PREFIXES = [JOURNEY_STREAM_PREFIX] as const;

/**
 * Opens the stores the configuration names, before the application is built, so that a
 * data folder held by another process fails the start at once with a plain message.
 * EVENTSTORE_CONNECTION_STRING selects EventStoreDB; absent, the embedded SQLite store.
 */
export function openStores(config: AppConfig): Stores {
  const events: EventStore = config.eventStoreConnectionString
    ? EsdbEventStore.connect({ connectionString: config.eventStoreConnectionString, streamPrefixes: PRODUCT_STREAM_PREFIXES })
    : SqliteEventStore.open({ directory: config.dataDir });
  try {
    return { events, readStore: SqliteReadStore.open({ directory: config.dataDir }) };
  } catch (error) {
    void events.close();
    throw error;
  }
}

export async function closeStores(stores: Stores): Promise<void> {
  await stores.readStore.close();
  await stores.events.close();
}
