import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../../libs/event-store/src/embedded/sqlite-event-store';
import { SqliteReadStore } from '../../../libs/read-store/src/embedded/sqlite-read-store';
import { sortablePosition, type DocumentProjection } from '../../../projections/projection';
import { servingCollection } from './projection-catalog';
import { Projector } from './projector';

/** A projection counting each stream's events; `version` and a poison type to fail on are test knobs. */
interface Tally { _id: string; events: number; builtBy: number; lastPosition: string }
function tally(version: number, poison?: string): DocumentProjection<Tally> {
  return {
    name: 'tallies', version, collection: 'tallies', indexes: [],
    documentId: (event) => event.streamId,
    evolve(doc, event) {
      if (event.type === poison) throw new Error(`cannot project ${poison}`);
      return { _id: event.streamId, events: (doc?.events ?? 0) + 1, builtBy: version, lastPosition: sortablePosition(event.position) };
    },
  };
}

const metadata = { recordedAt: '2024-06-01T10:00:00Z', recordedBy: { userId: 'u', role: 'r', organisationId: 'o' }, commandId: 'c', correlationId: 'c', schemaVersion: 1 };
let ids = 0;
const event = (type = 'VictimIdentified') => ({ id: `id-${++ids}`, type, data: {}, metadata });

describe('projection lifecycle', () => {
  let dir: string;
  let events: SqliteEventStore;
  let readStore: SqliteReadStore;
  const projectors: Projector[] = [];
  const projector = (projections: DocumentProjection<any>[], batchSize = 50) => {
    const p = new Projector(events, readStore, { batchSize, retryMinMs: 10, retryMaxMs: 50, retireAfterMs: 100, projections });
    projectors.push(p);
    return p;
  };
  async function appendTo(streams: number, perStream: number, type?: string) {
    for (let s = 0; s < streams; s++) await events.append(`journey-s${s}`, Array.from({ length: perStream }, () => event(type)), 'any');
  }
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vjt-lifecycle-'));
    events = SqliteEventStore.open({ directory: dir });
    readStore = SqliteReadStore.open({ directory: dir });
  });
  afterEach(async () => {
    for (const p of projectors.splice(0)) await p.stop();
    await readStore.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rebuilds a new version into a new collection while the old one serves, and switches with no failed read', async () => {
    await appendTo(40, 50);
    const v1 = projector([tally(1)]);
    await v1.start();
    expect(await v1.waitFor('tallies', (await events.headPosition())!, 5000)).toBe(true);
    await v1.stop();

    const v2 = projector([tally(2)], 1);
    await v2.start();
    const seen = new Set<number>();
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const collection = await servingCollection(readStore, 'tallies', 'tallies');
      const doc = await readStore.collection<Tally>(collection).findOne({ _id: 'journey-s7' });
      expect(doc).toMatchObject({ events: 50 }); // never missing, never partial: the old collection serves until the switch
      seen.add(doc!.builtBy);
      if (doc!.builtBy === 2) break;
      await new Promise((r) => setImmediate(r)); // reads arrive as requests do, between other work
    }
    expect([...seen]).toEqual([1, 2]);
    expect(await readStore.collection<Tally>(await servingCollection(readStore, 'tallies', '')).countDocuments({ builtBy: 2 })).toBe(40);
    await new Promise((r) => setTimeout(r, 300));
    expect(await readStore.listCollections()).not.toContain('tallies'); // the old collection retired after the grace period
    expect((await v2.status())[0]).toMatchObject({ serving: expect.stringMatching(/^tallies__v2__\d+$/), version: 2, rebuilding: null, running: true });
  });

  it('rebuilds on demand while events keep arriving, and ends with every event counted once', async () => {
    await appendTo(20, 20);
    const live = projector([tally(1)], 5);
    await live.start();
    const rebuild = live.rebuild('tallies');
    await appendTo(20, 3);
    await rebuild;
    await appendTo(20, 2);
    expect(await live.waitFor('tallies', (await events.headPosition())!, 5000)).toBe(true);
    const serving = await servingCollection(readStore, 'tallies', 'tallies');
    expect(serving).not.toBe('tallies');
    const docs = await readStore.collection<Tally>(serving).find({});
    expect(docs.map((d) => d.events)).toEqual(Array(20).fill(25));
  });

  it('stops only the projection that fails on a poison event, and resumes it once fixed', async () => {
    const counts = { ...tally(1), name: 'counts', collection: 'counts' };
    await appendTo(3, 2);
    await events.append('journey-poisoned', [event('DutyToNotifySubmitted')], 'any');
    await appendTo(3, 2);
    const broken = projector([tally(1, 'DutyToNotifySubmitted'), counts]);
    await broken.start();
    const head = (await events.headPosition())!;
    expect(await broken.waitFor('counts', head, 5000)).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    const [tallies, others] = await broken.status();
    expect(tallies).toMatchObject({ running: false, lastError: { message: 'cannot project DutyToNotifySubmitted', position: '6' } });
    expect(others).toMatchObject({ running: true, lastError: null, position: head.toString() });
    await broken.stop();

    const fixed = projector([tally(1), counts]);
    await fixed.start();
    expect(await fixed.waitFor('tallies', head, 5000)).toBe(true);
    expect(await readStore.collection<Tally>('tallies').findOne({ _id: 'journey-s0' })).toMatchObject({ events: 4 });
    expect(await readStore.collection<Tally>('tallies').findOne({ _id: 'journey-poisoned' })).toMatchObject({ events: 1 });
  });
});
