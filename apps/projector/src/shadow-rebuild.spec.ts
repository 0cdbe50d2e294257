import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { journeyStreamId } from '../../../libs/domain/src/events';
import { SqliteEventStore } from '../../../libs/event-store/src/embedded/sqlite-event-store';
import { SqliteReadStore } from '../../../libs/read-store/src/embedded/sqlite-read-store';
import { analyticsProjection } from '../../../projections/analytics/analytics.projection';
import { journeyProjection } from '../../../projections/journeys/journey.projection';
import { generateJourneys } from '../../../seeds/journey-generator';
import { toEventsToAppend } from '../../../seeds/seed-event-store';
import { readCatalogEntry } from './projection-catalog';
import { Projector } from './projector';
import { rebuildAndCompare } from './shadow-rebuild';

/** A verified rebuild finds nothing to report on an unchanged read model, and finds a tampered document. */
describe('verified rebuild (rebuild --compare)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vjt-shadow-'));
  const events = SqliteEventStore.open({ directory: dir });
  const readStore = SqliteReadStore.open({ directory: dir });
  const options = { batchSize: 50, retryMinMs: 10, retryMaxMs: 100 };
  afterAll(async () => {
    await readStore.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeAll(async () => {
    for (const journey of generateJourneys({ journeys: 120, seed: 3 })) {
      await events.append(journeyStreamId(journey.journeyId), toEventsToAppend(journey, 3), 'no_stream');
    }
    const projector = new Projector(events, readStore, { ...options, heartbeatMs: 0 });
    await projector.start();
    const head = (await events.headPosition())!;
    for (const name of ['journeys', 'analytics']) expect(await projector.waitFor(name, head, 30_000)).toBe(true);
    await projector.stop();
  });

  it.each([journeyProjection, analyticsProjection])('reports no difference for an unchanged $name read model, and leaves it serving', async (projection) => {
    const before = await readCatalogEntry(readStore, projection.name);
    const result = await rebuildAndCompare(projection, events, readStore, options);
    expect(result).toMatchObject({ identical: true, onlyInLive: [], onlyInShadow: [], differing: [], swapped: false });
    expect(result.live.documents).toBeGreaterThan(100);
    expect(result.shadow.documents).toBe(result.live.documents);
    expect(await readCatalogEntry(readStore, projection.name)).toEqual(before);
    expect(await readStore.listCollections()).not.toContain(result.shadow.collection);
  });

  it('finds a document altered in the live read model, names its field, and swaps to the shadow when asked', async () => {
    const live = (await readCatalogEntry(readStore, 'journeys'))!.collection;
    const [victim] = await readStore.collection(live).find({}, { limit: 1 });
    await readStore.collection(live).updateOne({ _id: victim._id }, { $set: { nationality: 'ZZ' } });
    const result = await rebuildAndCompare(journeyProjection, events, readStore, { ...options, swap: true });
    expect(result).toMatchObject({ identical: false, differing: [{ _id: victim._id, fields: ['nationality'] }], swapped: true });
    const serving = (await readCatalogEntry(readStore, 'journeys'))!.collection;
    expect(serving).toBe(result.shadow.collection);
    expect((await readStore.collection(serving).findOne({ _id: victim._id }))!.nationality).toBe(victim.nationality);
  });
});
