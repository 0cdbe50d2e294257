/**
 * The EventStoreDB test double, driven by the REAL @eventstore/db-client: appends, reads,
 * positions, errors and the crash/restart lifecycle. Subscriptions: subscriptions.spec.ts.
 */
import { randomUUID } from 'node:crypto';
import {
  ANY, BACKWARDS, binaryEvent, END, EventStoreDBClient, jsonEvent, MaxAppendSizeExceededError, NO_STREAM,
  START, STREAM_EXISTS, StreamNotFoundError, WrongExpectedVersionError,
} from '@eventstore/db-client';
import { parseUUID } from '@eventstore/db-client/dist/utils/grpcUUID';
import { EsdbTestServer } from './index';
import { collect, rawFilteredReadAll, Recorder } from './spec-helpers';
import { uuidMessage, uuidText } from './wire';

const event = (n: number, type = 'Happened') => jsonEvent({ type, data: { n } });
const stream = (prefix = 'test') => `${prefix}-${randomUUID()}`;

describe('EsdbTestServer with the real client', () => {
  let server: EsdbTestServer;
  let client: EventStoreDBClient;

  beforeAll(async () => {
    server = await EsdbTestServer.start();
    client = EventStoreDBClient.connectionString(server.connectionString);
  });
  afterAll(async () => {
    await client.dispose();
    await server.close();
  });

  describe('append', () => {
    it('honours every expected-revision kind and reports the actual version', async () => {
      const id = stream();
      await expect(client.appendToStream(id, event(0), { expectedRevision: STREAM_EXISTS })).rejects.toMatchObject({
        constructor: WrongExpectedVersionError, actualVersion: 'no_stream', expectedVersion: 'stream_exists',
      });
      const first = await client.appendToStream(id, [event(0), event(1)], { expectedRevision: NO_STREAM });
      expect(first).toMatchObject({ success: true, nextExpectedRevision: 1n });
      await expect(client.appendToStream(id, event(2), { expectedRevision: NO_STREAM })).rejects.toMatchObject({
        actualVersion: 1n, expectedVersion: 'no_stream',
      });
      await expect(client.appendToStream(id, event(2), { expectedRevision: 0n })).rejects.toMatchObject({
        constructor: WrongExpectedVersionError, streamName: id, actualVersion: 1n, expectedVersion: 0n,
      });
      await expect(client.appendToStream(id, event(2), { expectedRevision: 5n })).rejects.toMatchObject({ actualVersion: 1n });
      expect(await client.appendToStream(id, event(2), { expectedRevision: 1n })).toMatchObject({ nextExpectedRevision: 2n });
      expect(await client.appendToStream(id, event(3), { expectedRevision: STREAM_EXISTS })).toMatchObject({ nextExpectedRevision: 3n });
      expect(await client.appendToStream(id, event(4), { expectedRevision: ANY })).toMatchObject({ nextExpectedRevision: 4n });
    });

    it('is atomic: a rejected append stores nothing', async () => {
      const before = server.eventCount;
      await expect(client.appendToStream(stream(), [event(0), event(1)], { expectedRevision: 3n })).rejects.toThrow(
        WrongExpectedVersionError,
      );
      expect(server.eventCount).toBe(before);
    });

    it('treats a retry with the same event ids as idempotent and stores nothing', async () => {
      const id = stream();
      const batch = [event(0), event(1)];
      const original = await client.appendToStream(id, batch, { expectedRevision: NO_STREAM });
      const count = server.eventCount;
      expect(await client.appendToStream(id, batch, { expectedRevision: NO_STREAM })).toEqual(original);
      expect(await client.appendToStream(id, batch, { expectedRevision: ANY })).toEqual(original);
      expect(server.eventCount).toBe(count);
      // Only part of the ids were written before: not idempotent, so wrong expected version.
      await expect(client.appendToStream(id, [batch[0], event(9)], { expectedRevision: NO_STREAM })).rejects.toMatchObject({
        actualVersion: 1n,
      });
    });

    it('gives one append one commit position shared by its events, and answers with the last event position', async () => {
      const id = stream();
      const first = await client.appendToStream(id, [event(0), event(1), event(2)]);
      const second = await client.appendToStream(id, event(3));
      const read = (await collect(client.readStream(id))).map((e) => e.event!.position!);
      expect(new Set(read.slice(0, 3).map((p) => p.commit)).size).toBe(1);
      expect(read[0].prepare < read[1].prepare && read[1].prepare < read[2].prepare).toBe(true);
      expect(read[2].prepare <= read[0].commit && read[0].commit < read[3].prepare).toBe(true);
      expect(first.position).toEqual(read[2]);
      expect(second.position).toEqual(read[3]);
    });

    it('accepts a 1 MiB event and rejects an append over MaxAppendSize, as EventStoreDB does', async () => {
      const id = stream();
      const data = new Uint8Array(1024 * 1024).map((_, i) => (i * 31) % 256);
      await client.appendToStream(id, binaryEvent({ type: 'Big', data }));
      const [stored] = await collect(client.readStream(id));
      expect(Buffer.from(stored.event!.data as Uint8Array).equals(Buffer.from(data))).toBe(true);
      const tooBig = binaryEvent({ type: 'Big', data: new Uint8Array(1024 * 1024 + 1) });
      await expect(client.appendToStream(id, tooBig)).rejects.toMatchObject({
        constructor: MaxAppendSizeExceededError, maxAppendSize: 1024 * 1024,
      });
    });
  });

  describe('readStream', () => {
    const id = stream('read');
    beforeAll(async () => {
      await client.appendToStream(id, [0, 1, 2, 3, 4].map((n) => event(n)));
    });
    const revisions = async (options: Parameters<EventStoreDBClient['readStream']>[1]) =>
      (await collect(client.readStream(id, options))).map((e) => e.event!.revision);

    it('reads forwards and backwards, from a revision inclusively, up to maxCount', async () => {
      expect(await revisions({})).toEqual([0n, 1n, 2n, 3n, 4n]);
      expect(await revisions({ fromRevision: 2n, maxCount: 2 })).toEqual([2n, 3n]);
      expect(await revisions({ fromRevision: END })).toEqual([]);
      expect(await revisions({ direction: BACKWARDS, fromRevision: END, maxCount: 2 })).toEqual([4n, 3n]);
      expect(await revisions({ direction: BACKWARDS, fromRevision: 1n })).toEqual([1n, 0n]);
      expect(await revisions({ direction: BACKWARDS, fromRevision: START })).toEqual([0n]);
    });

    it('surfaces StreamNotFoundError while iterating a missing stream', async () => {
      await expect(collect(client.readStream(stream('missing')))).rejects.toThrow(StreamNotFoundError);
    });

    it('returns data, metadata, ids, types, content types and created exactly', async () => {
      const target = stream('content');
      const binary = new Uint8Array([0, 255, 1, 254, 0, 10, 13]);
      const json = jsonEvent({ id: randomUUID(), type: 'Json', data: { text: 'héllo — 世界 🚀', n: 1.5 }, metadata: { by: 'ünï' } });
      const bin = binaryEvent({ id: randomUUID(), type: 'Bin', data: binary, metadata: new Uint8Array([200, 0, 1]) });
      const before = Date.now();
      await client.appendToStream(target, [json, bin]);
      const [a, b] = (await collect(client.readStream(target))).map((e) => e.event!);
      expect(a).toMatchObject({ id: json.id, type: 'Json', isJson: true, data: json.data, metadata: json.metadata, streamId: target });
      expect(b).toMatchObject({ id: bin.id, type: 'Bin', isJson: false });
      expect(Array.from(b.data as Uint8Array)).toEqual(Array.from(binary));
      expect(Array.from(b.metadata as Uint8Array)).toEqual([200, 0, 1]);
      expect(a.created.getTime()).toBeGreaterThanOrEqual(before - 5);
      expect(a.created.getTime()).toBeLessThanOrEqual(Date.now() + 5);
    });
  });

  describe('readAll', () => {
    const prefix = `all-${randomUUID().slice(0, 8)}`;
    beforeAll(async () => {
      await client.appendToStream(`${prefix}-a`, [event(0), event(1)]);
      await client.setStreamMetadata(`${prefix}-a`, { maxCount: 10 }); // a `$metadata` event in `$$…`
      await client.appendToStream(`other-${prefix}`, event(2));
      await client.appendToStream(`${prefix}-b`, event(3));
    });

    it('reads forwards (position inclusive) and backwards (position exclusive) in (commit, prepare) order', async () => {
      const forwards = await collect(client.readAll());
      const positions = forwards.map((e) => e.event!.position!);
      const sorted = [...positions].sort((x, y) => (x.commit === y.commit ? Number(x.prepare - y.prepare) : Number(x.commit - y.commit)));
      expect(positions).toEqual(sorted);
      expect(forwards.every((e) => e.commitPosition === e.event!.position!.commit)).toBe(true);
      const middle = positions[2];
      expect((await collect(client.readAll({ fromPosition: middle, maxCount: 2 }))).map((e) => e.event!.position)).toEqual(
        positions.slice(2, 4),
      );
      expect((await collect(client.readAll({ fromPosition: middle, direction: BACKWARDS }))).map((e) => e.event!.position)).toEqual(
        positions.slice(0, 2).reverse(),
      );
      const backwards = await collect(client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 3 }));
      expect(backwards.map((e) => e.event!.position)).toEqual(positions.slice(-3).reverse());
    });

    it('filters $all reads on the server by stream prefix and by event-type regex (excludeSystemEvents)', async () => {
      const byPrefix = await rawFilteredReadAll(server.port, { on: 'stream', prefixes: [`${prefix}-`] });
      expect(byPrefix.map((r) => r.getEvent()!.getEvent()!.getMetadataMap().get('type'))).toEqual(['Happened', 'Happened', 'Happened']);
      const noSystem = await rawFilteredReadAll(server.port, { on: 'type', regex: '^[^$].*' });
      const types = noSystem.map((r) => r.getEvent()!.getEvent()!.getMetadataMap().get('type'));
      expect(types.length).toBeGreaterThanOrEqual(4);
      expect(types.some((t) => t!.startsWith('$'))).toBe(false);
      expect((await collect(client.readAll())).some((e) => e.event!.type === '$metadata')).toBe(true);
    });
  });

  it('answers UNIMPLEMENTED for methods the double does not implement', async () => {
    await expect(client.deleteStream(stream())).rejects.toMatchObject({ code: 12 });
  });

  it('stop() cuts open subscriptions; restart() serves the same events on the same port', async () => {
    const id = stream('crash');
    await client.appendToStream(id, [event(0), event(1)]);
    const summary = async () =>
      (await collect(client.readAll())).map(({ event: e }) => ({ id: e!.id, revision: e!.revision, position: e!.position }));
    const before = await summary();
    const recorder = new Recorder();
    recorder.attach(client.subscribeToStream(id));
    await recorder.waitFor((r) => r.trace.includes('caughtUp'));
    const port = server.port;
    await server.stop();
    await recorder.waitFor((r) => r.items.some((i) => i.kind === 'error'));
    await expect(client.appendToStream(id, event(2))).rejects.toMatchObject({ code: 14 });
    await server.restart();
    expect(server.port).toBe(port);
    expect(await summary()).toEqual(before); // (whole events include a 1 MiB one: slow to deep-compare)
    const after = await client.appendToStream(id, event(2), { expectedRevision: 1n });
    expect(after.position!.prepare > before[before.length - 1].position!.commit).toBe(true);
  });
});

describe('EsdbTestServer wire helpers', () => {
  it('encodes structured UUIDs the way the client decodes them, and back', () => {
    // f47ac10b… has the top bit set: its most significant half travels as a negative int64.
    for (const id of [randomUUID(), 'f47ac10b-58cc-4372-a567-0e02b2c3d479', '0000000a-58cc-4372-8567-0e02b2c3d479']) {
      expect(parseUUID(uuidMessage(id, true))).toBe(id);
      expect(uuidText(uuidMessage(id, true))).toBe(id);
    }
    expect(uuidText(uuidMessage('6F9619FF-8B86-D011-B42D-00C04FC964FF', false))).toBe('6f9619ff-8b86-d011-b42d-00c04fc964ff');
  });
});

describe('EsdbTestServer options', () => {
  it('self-committed layout: commit === prepare; positions above 2^53 keep full precision', async () => {
    const start = 2n ** 60n + 7n;
    const server = await EsdbTestServer.start({ logLayout: 'self-committed', initialLogPosition: start });
    const client = EventStoreDBClient.connectionString(server.connectionString);
    try {
      const result = await client.appendToStream('s-1', [event(0), event(1)]);
      const positions = (await collect(client.readAll())).map((e) => e.event!.position!);
      expect(positions[0]).toEqual({ commit: start, prepare: start });
      expect(positions[1].commit).toBe(positions[1].prepare);
      expect(result.position).toEqual(positions[1]);
    } finally {
      await client.dispose();
      await server.close();
    }
  });
});
