import { SqliteEventStore } from '../../../../libs/event-store/src/embedded/sqlite-event-store';
import type { EventStore } from '../../../../libs/event-store/src/event-store.port';
import { SqliteReadStore } from '../../../../libs/read-store/src/embedded/sqlite-read-store';
import type { ReadStore } from '../../../../libs/read-store/src/read-store.port';
import type { AppConfig } from '../config';

export interface Stores {
  events: EventStore;
  readStore: ReadStore;
}

/**
 * Opens the embedded stores in DATA_DIR, before the application is built, so that a folder
 * held by another process fails the start at once with a plain message.
 */
export function openEmbeddedStores(config: AppConfig): Stores {
  const events = SqliteEventStore.open({ directory: config.dataDir });
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
