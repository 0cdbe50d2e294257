import { JOURNEY_STREAM_PREFIX } from '../../../../libs/domain/src/events';
import { SqliteEventStore } from '../../../../libs/event-store/src/embedded/sqlite-event-store';
import { EsdbEventStore } from '../../../../libs/event-store/src/eventstoredb/esdb-event-store';
import type { EventStore } from '../../../../libs/event-store/src/event-store.port';
import { SqliteReadStore } from '../../../../libs/read-store/src/embedded/sqlite-read-store';
import { MongoReadStore } from '../../../../libs/read-store/src/mongodb/mongo-read-store';
import type { ReadStore } from '../../../../libs/read-store/src/read-store.port';
import type { DataKeyStore } from '../../../../libs/personal-data/src/data-key-store.port';
import { SqliteDataKeyStore } from '../../../../libs/personal-data/src/embedded/sqlite-data-key-store';
import { DEFAULT_KEYS_DATABASE_NAME, MongoDataKeyStore } from '../../../../libs/personal-data/src/mongodb/mongo-data-key-store';
import type { AppConfig } from '../config';
import { ACCESS_STREAM_PREFIX } from '../personal-data/access-records';
import { AUDIT_HEADS_STREAM } from '../../../../libs/audit/src/signed-heads';

export interface Stores {
  events: EventStore;
  readStore: ReadStore;
  /** Journeys' data keys: apart from the event store, so that destroying one erases personal data. */
  dataKeys: DataKeyStore;
}

/** The stream categories this product writes, and reads and chains from $all: journeys, access records, signed audit heads. */
export const PRODUCT_STREAM_PREFIXES = [JOURNEY_STREAM_PREFIX, ACCESS_STREAM_PREFIX, AUDIT_HEADS_STREAM] as const;

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
  let readStore: ReadStore | undefined;
  try {
    readStore = config.mongodbUri ? await MongoReadStore.connect({ uri: config.mongodbUri }) : SqliteReadStore.open({ directory: config.dataDir, cachedDocuments: config.readStoreCachedDocuments });
    return { events, readStore, dataKeys: await openDataKeyStore(config) };
  } catch (error) {
    await readStore?.close();
    await events.close();
    throw error;
  }
}

/**
 * KEY_STORE_MONGODB_URI, else MONGODB_URI (in a database of its own, never the read
 * models'), else the embedded store in DATA_DIR/keys.
 */
function openDataKeyStore(config: AppConfig): Promise<DataKeyStore> | DataKeyStore {
  if (config.keyStoreMongodbUri) return MongoDataKeyStore.connect({ uri: config.keyStoreMongodbUri });
  if (config.mongodbUri) return MongoDataKeyStore.connect({ uri: config.mongodbUri, databaseName: DEFAULT_KEYS_DATABASE_NAME });
  return SqliteDataKeyStore.open({ dataDir: config.dataDir });
}

/**
 * Closes the key store, the read store, then the event store: each one even if another failed
 * to close (a store left open keeps its lock, and on the embedded default its WAL), then throws
 * the first failure. The embedded stores commit the writes already accepted before closing.
 */
export async function closeStores(stores: Stores): Promise<void> {
  const failures: unknown[] = [];
  for (const store of [stores.dataKeys, stores.readStore, stores.events]) {
    await store.close().catch((error: unknown) => failures.push(error));
  }
  if (failures.length > 0) throw failures[0];
}
