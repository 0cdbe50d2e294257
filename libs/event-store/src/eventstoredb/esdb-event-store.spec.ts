import { EventStoreDBClient, jsonEvent, NO_STREAM } from '@eventstore/db-client';
import { EsdbTestServer } from '../../../../test/support/esdb-test-server';
import { IdempotencyKeyAlreadyUsedError } from '../errors';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { anEvent, freshStreamId } from '../testing/contract-support';
import { EsdbEventStore } from './esdb-event-store';
import { ledgerStream } from './esdb-idempotency-ledger';

/** The event-store contract through the real @eventstore/db-client, against the protocol test server. */
let server: EsdbTestServer;
beforeAll(async () => {
  // EventStoreDB's default MaxAppendSize is 1 MiB of data, which a 1 MiB JSON event exceeds;
  // production sets EVENTSTORE_MAX_APPEND_SIZE to 4 MiB (docs/eventstoredb.md), and so does this.
  server = await EsdbTestServer.start({ maxAppendSize: 4 * 1024 * 1024 });
});
afterAll(async () => {
  await server.close();
});

const connect = () => EsdbEventStore.connect({ connectionString: server.connectionString });

describeEventStoreContract('EsdbEventStore (protocol test server, one commit position per append)', async () => {
  const store = connect();
  return { store, cleanup: () => store.close() };
});

/** EventStoreDB 20+ writes gRPC appends self-committed: commit equals prepare for every event. */
describe('on a self-committed log layout', () => {
  let selfCommitted: EsdbTestServer;
  beforeAll(async () => {
    selfCommitted = await EsdbTestServer.start({ maxAppendSize: 4 * 1024 * 1024, logLayout: 'self-committed' });
  });
  afterAll(() => selfCommitted.close());
  describeEventStoreContract('EsdbEventStore (protocol test server, self-committed)', async () => {
    const store = EsdbEventStore.connect({ connectionString: selfCommitted.connectionString });
    return { store, cleanup: () => store.close() };
  });
});

describe('EsdbEventStore idempotency when an earlier attempt stopped half-way', () => {
  let store: EsdbEventStore;
  let client: EventStoreDBClient;
  beforeEach(() => {
    store = connect();
    client = EventStoreDBClient.connectionString(server.connectionString);
  });
  afterEach(async () => {
    await store.close();
    await client.dispose();
  });

  const claimOnly = (key: string, streamId: string, requestHash: string) =>
    client.appendToStream(ledgerStream(key), jsonEvent({ type: 'IdempotencyKeyClaimed', data: { key, requestHash, streamId } }), { expectedRevision: NO_STREAM });

  it('finds the result of an attempt that appended but crashed before recording it', async () => {
    const streamId = freshStreamId();
    const key = `key-${streamId}`;
    await claimOnly(key, streamId, 'hash-1');
    const event = anEvent();
    const appended = await store.append(streamId, [{ ...event, metadata: { ...event.metadata, idempotencyKey: key } }], 'no_stream');
    expect(await store.findIdempotencyRecord(key)).toEqual({ key, requestHash: 'hash-1', ...appended });
    const retry = await store.append(streamId, [anEvent()], 'any', { key, requestHash: 'hash-1' }).catch((e) => e);
    expect(retry).toBeInstanceOf(IdempotencyKeyAlreadyUsedError);
    expect(retry.original).toEqual(appended);
    expect(await store.readStream(streamId)).toHaveLength(1);
  });

  it('lets a retry go ahead when the earlier attempt claimed the key and crashed before appending', async () => {
    const streamId = freshStreamId();
    const key = `key-${streamId}`;
    await claimOnly(key, streamId, 'hash-1');
    expect(await store.findIdempotencyRecord(key)).toBeUndefined();
    const result = await store.append(streamId, [anEvent()], 'no_stream', { key, requestHash: 'hash-1' });
    expect(await store.findIdempotencyRecord(key)).toEqual({ key, requestHash: 'hash-1', ...result });
  });

  it('stores positions that order the log and survive a round trip through $all', async () => {
    const streamId = freshStreamId();
    const first = await store.append(streamId, [anEvent(), anEvent(), anEvent()], 'no_stream');
    const read = await store.readStream(streamId);
    expect(read.map((e) => e.position)).toEqual([...read.map((e) => e.position)].sort((a, b) => (a < b ? -1 : 1)));
    expect(read[2].position).toBe(first.position);
    expect(await store.headPosition()).toBe(first.position);
  });
});
