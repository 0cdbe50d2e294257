import { EsdbTestServer } from './esdb-test-server';

/** Environment that points the app at an event store; evaluated once the suite's server runs. */
export type BackendEnv = () => Record<string, string>;

/**
 * Defines `suite` twice: on the embedded event store, and on EventStoreDB (the protocol test
 * server, through the real client). The server starts before the suite's own hooks run.
 */
export function describeOnEachEventStore(title: string, suite: (env: BackendEnv, backend: string) => void): void {
  describe(`${title} [embedded event store]`, () => suite(() => ({}), 'embedded'));
  describe(`${title} [EventStoreDB protocol test server]`, () => {
    let server: EsdbTestServer | undefined;
    beforeAll(async () => {
      server = await EsdbTestServer.start({ maxAppendSize: 4 * 1024 * 1024 });
    });
    afterAll(async () => {
      await server?.close();
    });
    suite(() => ({ EVENTSTORE_CONNECTION_STRING: server!.connectionString }), 'eventstoredb');
  });
}
