import { describeEventStoreContract } from '../testing/event-store.contract';
import { EsdbEventStore } from './esdb-event-store';

/**
 * The event-store contract against a real EventStoreDB: `npm run test:esdb` with
 * EVENTSTORE_CONNECTION_STRING set (e.g. esdb://localhost:2113?tls=false). Without it the
 * suite is skipped, and says so.
 */
const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (!connectionString) {
  describe('EsdbEventStore against a real EventStoreDB', () => {
    it.skip('SKIPPED: set EVENTSTORE_CONNECTION_STRING to run the contract against a real EventStoreDB (npm run test:esdb)', () => undefined);
  });
  // eslint-disable-next-line no-console
  console.warn('Real EventStoreDB contract suite SKIPPED: EVENTSTORE_CONNECTION_STRING is not set.');
} else {
  describeEventStoreContract(`EsdbEventStore (real server ${connectionString.replace(/\/\/[^@]*@/, '//***@')})`, async () => {
    const store = EsdbEventStore.connect({ connectionString });
    return { store, cleanup: () => store.close() };
  });
}
