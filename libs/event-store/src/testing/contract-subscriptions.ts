/// <reference types="jest" />
/** Contract: catch-up-then-live subscriptions to the global log. */
import type { Subscription, SubscriptionMessage } from '../event-store.port';
import {
  anEvent,
  caughtUpIndex,
  countEvents,
  eventIds,
  expectStrictlyIncreasing,
  freshStreamId,
  readAllOf,
  someEvents,
  type StoreUnderTest,
  SubscriptionReader,
} from './contract-support';

const caughtUp = (messages: SubscriptionMessage[]) => caughtUpIndex(messages) >= 0;

/** Gives a subscriber that was asked for its next message time to reach the point where it waits. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

export function describeSubscriptionContract(store: StoreUnderTest): void {
  const open: Subscription[] = [];

  function subscribe(streams: string[], after?: bigint): SubscriptionReader {
    const subscription = store().subscribeToAll(after === undefined ? {} : { after });
    open.push(subscription);
    return new SubscriptionReader(subscription, streams);
  }

  describe('subscribing to the global log', () => {
    // Declared here, not beside the store's cleanup, so it runs first: subscriptions close before their store.
    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.close()));
    });

    it('delivers only the events strictly after the position it starts from', async () => {
      const streamId = freshStreamId();
      await store().append(streamId, someEvents(3), 'no_stream');
      const stored = await store().readStream(streamId);

      const reader = subscribe([streamId], stored[0].position);
      const messages = await reader.until(caughtUp);
      expect(eventIds(messages)).toEqual([stored[1].id, stored[2].id]);
      for (const m of messages) if (m.kind === 'event') expect(m.event.position > stored[0].position).toBe(true);
    });

    it('delivers events exactly as stored, in the order of the global log', async () => {
      const [a, b] = [freshStreamId('a'), freshStreamId('b')];
      const before = await store().headPosition();
      await store().append(a, someEvents(2), 'no_stream');
      await store().append(b, someEvents(2), 'no_stream');
      await store().append(a, someEvents(1), 1n);

      const messages = await subscribe([a, b], before).until(caughtUp);
      const delivered = messages.flatMap((m) => (m.kind === 'event' ? [m.event] : []));
      expect(delivered).toEqual(await readAllOf(store(), [a, b], { after: before }));
    });

    it('signals caught_up once every event that existed when it started has been delivered', async () => {
      const streamId = freshStreamId();
      const before = await store().headPosition();
      await store().append(streamId, someEvents(3), 'no_stream');

      const messages = await subscribe([streamId], before).until(caughtUp);
      expect(countEvents(messages.slice(0, caughtUpIndex(messages)))).toBe(3);
    });

    it('signals caught_up even when there is nothing to deliver', async () => {
      await store().append(freshStreamId(), [anEvent()], 'no_stream');
      const head = await store().headPosition();
      const messages = await subscribe([], head).until(caughtUp);
      expect(messages).toEqual([expect.objectContaining({ kind: 'caught_up' })]);
    });

    it('after catching up, delivers events appended later, then signals caught_up again', async () => {
      const streamId = freshStreamId();
      const before = await store().headPosition();
      await store().append(streamId, someEvents(1), 'no_stream');
      const reader = subscribe([streamId], before);
      await reader.until(caughtUp);

      const live = someEvents(2);
      await store().append(streamId, live, 0n);
      const messages = await reader.until((m) => countEvents(m) === 2 && caughtUp(m.slice(-1)));
      expect(eventIds(messages)).toEqual(live.map((e) => e.id));
      expect(messages.at(-1)?.kind).toBe('caught_up');
    });

    it('wakes a subscriber that is already waiting when an event is appended', async () => {
      const streamId = freshStreamId();
      const reader = subscribe([streamId], await store().headPosition());
      await reader.until(caughtUp);

      const arriving = reader.until((m) => countEvents(m) === 1);
      await settle(); // the subscriber is now parked, waiting for the next append
      const event = anEvent();
      await store().append(streamId, [event], 'no_stream');
      expect(eventIds(await arriving)).toEqual([event.id]);
    });

    it('keeps delivering live appends in order, one append after another', async () => {
      const streamId = freshStreamId();
      const reader = subscribe([streamId], await store().headPosition());
      await reader.until(caughtUp);

      const arriving = reader.until((m) => countEvents(m) === 20);
      const appended: string[] = [];
      for (let i = 0; i < 20; i += 1) {
        const event = anEvent({ n: i });
        appended.push(event.id);
        await store().append(streamId, [event], i === 0 ? 'no_stream' : BigInt(i - 1));
        if (i % 5 === 0) await settle(); // let the subscriber drain and park between some appends
      }
      const messages = await arriving;
      expect(eventIds(messages)).toEqual(appended);
      expectStrictlyIncreasing(messages.flatMap((m) => (m.kind === 'event' ? [m.event.position] : [])));
    });

    it('serves many concurrent subscribers the same live events in the same order', async () => {
      const [a, b] = [freshStreamId('a'), freshStreamId('b')];
      const head = await store().headPosition();
      const readers = Array.from({ length: 8 }, () => subscribe([a, b], head));
      await Promise.all(readers.map((r) => r.until(caughtUp)));

      const arriving = Promise.all(readers.map((r) => r.until((m) => countEvents(m) === 6)));
      await settle();
      await Promise.all([store().append(a, someEvents(3), 'no_stream'), store().append(b, someEvents(3), 'no_stream')]);
      const expected = (await readAllOf(store(), [a, b], { after: head })).map((e) => e.id);
      const received = await arriving;
      for (const messages of received) expect(eventIds(messages)).toEqual(expected);
    });

    it('ends promptly when closed while waiting for new events', async () => {
      const reader = subscribe([], await store().headPosition());
      await reader.until(caughtUp);
      const pending = reader.next(2000);
      const started = Date.now();
      await reader.subscription.close();
      expect(await pending).toEqual({ done: true, value: undefined });
      expect(Date.now() - started).toBeLessThan(1000);
    });
  });
}
