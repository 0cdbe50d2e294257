import { JOURNEY_STREAM_PREFIX } from '../../../../libs/domain/src/events';
import { SqliteEventStore } from '../../../../libs/event-store/src/embedded/sqlite-event-store';
import { EsdbEventStore } from '../../../../libs/event-store/src/eventstoredb/esdb-event-store';
import type { EventStore } from '../../../../libs/event-store/src/event-store.port';
import { SqliteReadStore } from '../../../../libs/read-store/src/embedded/sqlite-read-store';
import { MongoReadStore } from '../../../../libs/read-store/src/mongodb/mongo-read-store';
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
 * data folder held by another process (or a MongoDB that is no replica set) fails the start
 * at once with a plain message. EVENTSTORE_CONNECTION_STRING selects EventStoreDB and
 * MONGODB_URI selects MongoDB; absent, the embedded SQLite stores in DATA_DIR.
 */
export async function openStores(config: AppConfig): Promise<Stores> {
  const events: EventStore = config.eventStoreConnectionString
    ? EsdbEventStore.connect({ connectionString: config.eventStoreConnectionString, streamPrefixes: PRODUCT_STREAM_PREFIXES })
    : SqliteEventStore.open({ directory: config.dataDir });
  try {
    const readStore: ReadStore = config.mongodbUri
      ? await MongoReadStore.connect({ uri: config.mongodbUri })
      : SqliteReadStore.open({ directory: config.dataDir });
    return { events, readStore };
  } catch (error) {
    await events.close();
    throw error;
  }
}

export async function closeStores(stores: Stores): Promise<void> {
  await stores.readStore.close();
  await stores.events.close();
}
