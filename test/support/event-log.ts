import type { StoredEvent } from '../../libs/event-store/src/event-store.port';
import { SqliteEventStore } from '../../libs/event-store/src/embedded/sqlite-event-store';

/**
 * The whole event log of an embedded data folder no process holds (after a child ended, or a
 * restore). A store whose durability was lost before (a fault test) is still read: nothing is written.
 */
export async function logOf(dataDir: string): Promise<StoredEvent[]> {
  const store = SqliteEventStore.open({ directory: dataDir, onDurabilityLost: () => undefined });
  try {
    const events: StoredEvent[] = [];
    for await (const event of store.readAll()) events.push(event);
    return events;
  } finally {
    await store.close();
  }
}
