import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { journeyStreamId } from '../../../libs/domain/src/events';
import { SqliteEventStore } from '../../../libs/event-store/src/embedded/sqlite-event-store';
import { SqliteReadStore } from '../../../libs/read-store/src/embedded/sqlite-read-store';
import { flattenCounters } from '../../../projections/analytics/aggregate';
import { analyticsProjection } from '../../../projections/analytics/analytics.projection';
import { cellId, type StoredCell } from '../../../projections/analytics/cells';
import type { JourneyDocument } from '../../../projections/journeys/journey.document';
import { generateJourneys } from '../../../seeds/journey-generator';
import { toEventsToAppend } from '../../../seeds/seed-event-store';
import { toProjectedEvent } from './projected-events';
import { ProjectionRunner } from './projection-runner';

/**
 * The property issue 7 asks for: over 1,000 random journey histories (the seed generator's,
 * with overturned decisions, re-referrals and follow-ups), appended interleaved in random
 * pieces and projected in small batches across a restart, the cells the projector kept
 * incrementally equal the cells computed from scratch from every journey's final document.
 */
describe('analytics cells: incremental equals recomputed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vjt-analytics-cells-'));
  const events = SqliteEventStore.open({ directory: dir });
  const readStore = SqliteReadStore.open({ directory: dir });
  afterAll(async () => {
    await readStore.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let seed = 20261128;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

  it('holds over 1,000 random histories', async () => {
    const journeys = [...generateJourneys({ journeys: 1000, seed: 77 })];
    // Each journey in one to three pieces, the pieces of all journeys interleaved at random (each journey's in order).
    const queues = journeys.map((journey) => {
      const appends = toEventsToAppend(journey, 77);
      const cuts = [0, ...[Math.floor(random() * appends.length), Math.floor(random() * appends.length)].sort((a, b) => a - b), appends.length];
      return { streamId: journeyStreamId(journey.journeyId), pieces: cuts.slice(1).map((end, i) => appends.slice(cuts[i], end)).filter((p) => p.length) };
    });
    const revisions = new Map<string, bigint>();
    for (let open = queues.filter((q) => q.pieces.length); open.length; open = open.filter((q) => q.pieces.length)) {
      const queue = open[Math.floor(random() * open.length)];
      const piece = queue.pieces.shift()!;
      const result = await events.append(queue.streamId, piece, revisions.get(queue.streamId) ?? 'no_stream');
      revisions.set(queue.streamId, result.nextExpectedRevision);
    }
    const head = (await events.headPosition())!;

    const first = new ProjectionRunner(analyticsProjection, events, readStore, { batchSize: 7, retryMinMs: 10, retryMaxMs: 100 });
    await first.start();
    await first.waitFor(head / 2n, 60_000);
    await first.stop();
    const second = new ProjectionRunner(analyticsProjection, events, readStore, { batchSize: 23, retryMinMs: 10, retryMaxMs: 100 });
    await second.start();
    expect(await second.waitFor(head, 60_000)).toBe(true);
    await second.stop();

    const stored = await storedCells();
    expect(Object.keys(stored).length).toBeGreaterThan(1000);
    expect(stored).toEqual(await recomputedCells());
  }, 120_000);

  async function storedCells(): Promise<Record<string, Record<string, number>>> {
    const cells = await readStore.collection<StoredCell>('analytics').find({ kind: { $in: ['cell', 'rollup'] } });
    return Object.fromEntries(cells.map((cell) => [cell._id, nonZero(flattenCounters(cell.counters))]).filter(([, c]) => Object.keys(c).length > 0));
  }

  async function recomputedCells(): Promise<Record<string, Record<string, number>>> {
    const documents = new Map<string, JourneyDocument | null>();
    for await (const stored of events.readAll()) {
      const event = toProjectedEvent(stored);
      const id = event && analyticsProjection.documentId(event);
      if (event && id) documents.set(id, analyticsProjection.evolve(documents.get(id) ?? null, event));
    }
    const totals: Record<string, Record<string, number>> = {};
    for (const doc of documents.values()) {
      for (const cell of doc ? analyticsProjection.cellsOf!(doc) : []) {
        const counters = (totals[cellId(cell)] ??= {});
        for (const [name, value] of Object.entries(cell.counters)) counters[name] = (counters[name] ?? 0) + value;
      }
    }
    return Object.fromEntries(Object.entries(totals).map(([id, c]) => [id, nonZero(c)]).filter(([, c]) => Object.keys(c).length > 0));
  }
});

function nonZero(counters: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counters).filter(([, v]) => v !== 0));
}
