/**
 * Catch-up subscriptions of the EventStoreDB test double, driven by the REAL client:
 * confirmation → history → (checkpoint) → caughtUp → live, exclusive starts, filters and
 * checkpoints, many subscribers, and resuming after a crash/restart.
 */
import { randomUUID } from 'node:crypto';
import {
  END, EventStoreDBClient, excludeSystemEvents, jsonEvent, START, streamNameFilter, UnavailableError,
  type AllStreamSubscription, type Position, type StreamSubscription,
} from '@eventstore/db-client';
import { EsdbTestServer } from './index';
import { Recorder } from './spec-helpers';

const event = (n: number, type = 'Happened') => jsonEvent({ type, data: { n } });
const after = (a: Position, b: Position) => a.commit > b.commit || (a.commit === b.commit && a.prepare > b.prepare);

describe('EsdbTestServer subscriptions', () => {
  let server: EsdbTestServer;
  let client: EventStoreDBClient;
  const open: Array<StreamSubscription | AllStreamSubscription> = [];
  const track = <S extends StreamSubscription | AllStreamSubscription>(s: S): S => (open.push(s), s);

  beforeEach(async () => {
    server = await EsdbTestServer.start();
    client = EventStoreDBClient.connectionString(server.connectionString);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.unsubscribe()));
    await client.dispose();
    await server.close();
  });

  it('subscribeToAll from start: confirmation, history, caughtUp, then live events in order', async () => {
    await client.appendToStream('a', [event(0), event(1)]);
    const recorder = new Recorder();
    const subscription = track(recorder.attach(client.subscribeToAll({ fromPosition: START })));
    await recorder.waitFor((r) => r.trace.includes('caughtUp'));
    await client.appendToStream('b', event(2));
    await client.appendToStream('a', event(3));
    await recorder.waitFor((r) => r.events.length === 4);
    expect(recorder.trace).toEqual(['confirmation', 'a@0', 'a@1', 'caughtUp', 'b@0', 'a@2']);
    expect(subscription.id).toMatch(/^[0-9a-f-]{36}$/);
    const positions = recorder.events.map((e) => e.event!.position!);
    positions.slice(1).forEach((p, i) => expect(after(p, positions[i])).toBe(true));
  });

  it('subscribeToAll from a position delivers strictly after it; from END only live events', async () => {
    const first = await client.appendToStream('a', [event(0), event(1)]);
    await client.appendToStream('a', event(2));
    const fromPosition = new Recorder();
    track(fromPosition.attach(client.subscribeToAll({ fromPosition: first.position! })));
    const fromEnd = new Recorder();
    track(fromEnd.attach(client.subscribeToAll({ fromPosition: END })));
    await fromPosition.waitFor((r) => r.trace.includes('caughtUp'));
    await fromEnd.waitFor((r) => r.trace.includes('caughtUp'));
    await client.appendToStream('b', event(3));
    await fromPosition.waitFor((r) => r.events.length === 2);
    await fromEnd.waitFor((r) => r.events.length === 1);
    expect(fromPosition.trace).toEqual(['confirmation', 'a@2', 'caughtUp', 'b@0']);
    expect(fromEnd.trace).toEqual(['confirmation', 'caughtUp', 'b@0']);
  });

  it('subscribeToStream from start, from a revision (exclusive), and to a stream that does not exist yet', async () => {
    await client.appendToStream('s', [event(0), event(1), event(2)]);
    const all = new Recorder();
    track(all.attach(client.subscribeToStream('s', { fromRevision: START })));
    const fromOne = new Recorder();
    track(fromOne.attach(client.subscribeToStream('s', { fromRevision: 1n })));
    const later = new Recorder();
    track(later.attach(client.subscribeToStream('later')));
    for (const r of [all, fromOne, later]) await r.waitFor((x) => x.trace.includes('caughtUp'));
    await client.appendToStream('s', event(3));
    await client.appendToStream('later', event(0));
    await all.waitFor((r) => r.events.length === 4);
    await fromOne.waitFor((r) => r.events.length === 2);
    await later.waitFor((r) => r.events.length === 1);
    expect(all.trace).toEqual(['confirmation', 's@0', 's@1', 's@2', 'caughtUp', 's@3']);
    expect(fromOne.trace).toEqual(['confirmation', 's@2', 'caughtUp', 's@3']);
    expect(later.trace).toEqual(['confirmation', 'caughtUp', 'later@0']);
  });

  it('filters by stream prefix and excludeSystemEvents, sending checkpoints every max × multiplier scanned events', async () => {
    await client.appendToStream('order-1', [event(0), event(1)]);
    await client.setStreamMetadata('order-1', { maxAge: 60 }); // `$metadata` in `$$order-1`
    await client.appendToStream('invoice-1', [event(0), event(1), event(2)]);
    const byPrefix = new Recorder();
    const noSystem = new Recorder();
    track(byPrefix.attach(client.subscribeToAll({ filter: streamNameFilter({ prefixes: ['order-'], checkpointReached: byPrefix.onCheckpoint, maxSearchWindow: 2, checkpointInterval: 2 }) })));
    track(noSystem.attach(client.subscribeToAll({ filter: excludeSystemEvents({ checkpointReached: noSystem.onCheckpoint }) })));
    await byPrefix.waitFor((r) => r.trace.includes('caughtUp'));
    await noSystem.waitFor((r) => r.trace.includes('caughtUp'));
    // 6 events scanned, interval 4: a checkpoint at the 4th, then one when caught up, before caughtUp.
    expect(byPrefix.trace).toEqual(['confirmation', 'order-1@0', 'order-1@1', 'checkpoint', 'checkpoint', 'caughtUp']);
    const all = (await collectAll(client)).map((e) => e.event!.position!);
    expect(byPrefix.checkpoints).toEqual([all[3], all[5]]);
    expect(noSystem.events.map((e) => e.event!.type)).not.toContain('$metadata');
    expect(noSystem.events).toHaveLength(5);
    for (let i = 0; i < 8; i++) await client.appendToStream(`invoice-${i + 2}`, event(i));
    await client.appendToStream('order-2', event(0));
    await byPrefix.waitFor((r) => r.events.length === 3 && r.checkpoints.length === 4);
    expect(byPrefix.trace.slice(6)).toEqual(['checkpoint', 'checkpoint', 'order-2@0']);
  });

  it('serves many concurrent subscribers the same live stream of events', async () => {
    const recorders = Array.from({ length: 20 }, () => new Recorder());
    recorders.forEach((r) => track(r.attach(client.subscribeToAll({ fromPosition: START }))));
    await Promise.all(recorders.map((r) => r.waitFor((x) => x.trace.includes('caughtUp'))));
    await Promise.all(Array.from({ length: 10 }, (_, i) => client.appendToStream(`p-${i}`, [event(0), event(1)])));
    await Promise.all(recorders.map((r) => r.waitFor((x) => x.events.length === 20)));
    const ids = recorders.map((r) => r.events.map((e) => e.event!.id).join());
    expect(new Set(ids).size).toBe(1);
    expect(server.subscriptionCount).toBe(20);
  });

  it('a paused consumer still gets every event (backpressure); unsubscribe ends the server side', async () => {
    for (let b = 0; b < 6; b++) {
      await client.appendToStream(`bulk-${b}`, Array.from({ length: 100 }, (_, i) => jsonEvent({ type: 'T', data: { i, pad: 'x'.repeat(1000) } })));
    }
    const recorder = new Recorder();
    const subscription = track(recorder.attach(client.subscribeToAll()));
    subscription.pause();
    await new Promise((resolve) => setTimeout(resolve, 100));
    subscription.resume();
    await recorder.waitFor((r) => r.trace.includes('caughtUp'), 5000);
    expect(recorder.events.map((e) => `${e.event!.streamId}@${e.event!.revision}`)).toEqual(
      Array.from({ length: 600 }, (_, n) => `bulk-${Math.floor(n / 100)}@${n % 100}`),
    );
    expect(server.subscriptionCount).toBe(1);
    await subscription.unsubscribe();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.subscriptionCount).toBe(0);
  });

  it('after a crash the subscription errors; after restart a new one resumes from the last position seen', async () => {
    const id = `crash-${randomUUID()}`;
    await client.appendToStream(id, [event(0), event(1)]);
    const recorder = new Recorder();
    track(recorder.attach(client.subscribeToAll()));
    await recorder.waitFor((r) => r.events.length === 2);
    await server.stop();
    await recorder.waitFor((r) => r.items.some((i) => i.kind === 'error'));
    const failure = recorder.items.find((i) => i.kind === 'error');
    expect(failure).toMatchObject({ error: expect.any(UnavailableError) });
    await server.restart();
    await client.appendToStream(id, event(2));
    const resumed = new Recorder();
    const last = recorder.events[recorder.events.length - 1].event!.position!;
    track(resumed.attach(client.subscribeToAll({ fromPosition: last })));
    await resumed.waitFor((r) => r.events.length === 1);
    expect(resumed.trace).toEqual(['confirmation', `${id}@2`, 'caughtUp']);
  });
});

async function collectAll(client: EventStoreDBClient) {
  const result = [];
  for await (const resolved of client.readAll()) result.push(resolved);
  return result;
}
