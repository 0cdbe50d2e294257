/// <reference types="jest" />
/** Contract: reading streams and the global log, including payloads that stress encoding and size. */
import type { EventToAppend, ExpectedRevision, StoredEvent } from '../event-store.port';
import {
  anEvent,
  expectStrictlyIncreasing,
  freshStreamId,
  readAllOf,
  someEvents,
  type StoreUnderTest,
} from './contract-support';

export function describeReadContract(store: StoreUnderTest): void {
  /** What readers must get back: the event as appended, plus where it was stored. */
  function asAppended(event: EventToAppend, streamId: string) {
    return { id: event.id, type: event.type, data: event.data, metadata: event.metadata, streamId };
  }

  describe('reading a stream', () => {
    it('returns every event of the stream in revision order, exactly as appended', async () => {
      const streamId = freshStreamId();
      const first = someEvents(3);
      const second = someEvents(2, 3);
      await store().append(streamId, first, 'no_stream');
      await store().append(streamId, second, 2n);
      await store().append(freshStreamId(), [anEvent()], 'no_stream'); // another stream, not to be read

      const read = await store().readStream(streamId);
      expect(read).toMatchObject([...first, ...second].map((e) => asAppended(e, streamId)));
      expect(read.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
      expectStrictlyIncreasing(read.map((e) => e.position));
    });

    it('reads a stream that was never written as empty', async () => {
      expect(await store().readStream(freshStreamId())).toEqual([]);
    });
  });

  describe('reading the global log', () => {
    it('returns events of all streams in the order they were appended, with strictly increasing positions', async () => {
      const [a, b] = [freshStreamId('a'), freshStreamId('b')];
      const before = await store().headPosition();
      const appended = [anEvent(), anEvent(), anEvent(), anEvent(), anEvent()];
      await store().append(a, [appended[0]], 'no_stream');
      await store().append(b, [appended[1], appended[2]], 'no_stream');
      await store().append(a, [appended[3]], 0n);
      await store().append(b, [appended[4]], 1n);

      const read = await readAllOf(store(), [a, b], { after: before });
      expect(read.map((e) => e.id)).toEqual(appended.map((e) => e.id));
      expectStrictlyIncreasing(read.map((e) => e.position));
      if (before !== undefined) expect(read.every((e) => e.position > before)).toBe(true);
      expect(await store().headPosition()).toBe(read.at(-1)?.position);
    });

    it('reads strictly after the position given as `after`', async () => {
      const streamId = freshStreamId();
      await store().append(streamId, someEvents(4), 'no_stream');
      const all = await store().readStream(streamId);

      const read = await readAllOf(store(), [streamId], { after: all[1].position });
      expect(read.map((e) => e.id)).toEqual([all[2].id, all[3].id]);
    });

    it('reads at most `limit` events, from the first one after `after`', async () => {
      const streamId = freshStreamId();
      const before = await store().headPosition();
      const events = someEvents(5);
      await store().append(streamId, events, 'no_stream');

      const limited = await readAllOf(store(), [streamId], { after: before, limit: 2 });
      expect(limited.map((e) => e.id)).toEqual(events.slice(0, 2).map((e) => e.id));
      const beyond = await readAllOf(store(), [streamId], { after: limited[1].position, limit: 100 });
      expect(beyond.map((e) => e.id)).toEqual(events.slice(2).map((e) => e.id));
    });

    it('starts at the beginning of the log when no `after` is given', async () => {
      const streamId = freshStreamId();
      await store().append(streamId, someEvents(2), 'no_stream');
      const [ours] = await store().readStream(streamId);

      const [first] = await firstOf(store().readAll());
      const [firstLimited] = await firstOf(store().readAll({ limit: 1 }));
      expect(first.position <= ours.position).toBe(true);
      expect(firstLimited).toEqual(first);
    });
  });

  describe('payloads', () => {
    it('stores and reads back an event with a 1 MiB payload', async () => {
      const streamId = freshStreamId();
      const chunk = 'The quick brown fox jumps over the lazy dog. 0123456789 ';
      const blob = chunk.repeat(Math.ceil((1024 * 1024) / chunk.length)).slice(0, 1024 * 1024);
      const event = anEvent({ blob, size: blob.length });
      const before = await store().headPosition();
      await store().append(streamId, [event], 'no_stream');

      expect((await store().readStream(streamId))[0].data).toEqual({ blob, size: 1024 * 1024 });
      expect((await readAllOf(store(), [streamId], { after: before }))[0].data.blob).toBe(blob);
    });

    it('stores a stream of 10,000 events appended in batches of 100 and reads it whole, in order', async () => {
      const streamId = freshStreamId();
      const before = await store().headPosition();
      let expected: ExpectedRevision = 'no_stream';
      for (let batch = 0; batch < 100; batch += 1) {
        expected = (await store().append(streamId, someEvents(100, batch * 100), expected)).nextExpectedRevision;
      }
      expect(expected).toBe(9999n);

      const read = await store().readStream(streamId);
      expect(read).toHaveLength(10_000);
      expect(read.every((e, i) => e.revision === BigInt(i) && e.data.n === i)).toBe(true);
      const logged = await readAllOf(store(), [streamId], { after: before });
      expect(logged).toHaveLength(10_000);
      expectStrictlyIncreasing(logged.map((e) => e.position));
    });

    it('round-trips unicode exactly: emoji, right-to-left text, combining characters and U+0000 inside strings', async () => {
      const streamId = freshStreamId();
      const data = {
        emoji: 'Survivor 👩🏽‍⚖️ supported 🤝🏾 🇬🇧',
        arabic: 'مرحبا بالعالم',
        hebrew: 'שלום עולם',
        mixedDirection: 'Name: \u202Bعلي\u202C (ref 42)',
        combining: 'e\u0301 vs \u00e9, a\u0308\u0304, Z\u0351\u0342\u036b',
        nul: 'before\u0000after',
        controls: 'tab\tnewline\nquote"backslash\\',
        '🔑 ключ': 'non-ASCII key',
        nested: ['\u0000', '😀', { deep: 'ḁ̶̛' }],
      };
      const event = anEvent(data);
      event.metadata.recordedBy.userId = 'utilisatrice-é-👤';
      const before = await store().headPosition();
      await store().append(streamId, [event], 'no_stream');

      const [read] = await store().readStream(streamId);
      expect(read.data).toEqual(data);
      expect(read.data.combining).not.toBe(String(data.combining).normalize('NFC'));
      expect(read.metadata.recordedBy.userId).toBe('utilisatrice-é-👤');
      expect((await readAllOf(store(), [streamId], { after: before }))[0].data).toEqual(data);
    });
  });
}

/** The first event of a read, without reading the rest of a possibly large log. */
async function firstOf(read: AsyncIterable<StoredEvent>): Promise<StoredEvent[]> {
  for await (const event of read) return [event];
  return [];
}
