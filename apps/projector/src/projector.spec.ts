import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { journeyStreamId } from '../../../libs/domain/src/events';
import type { JourneyEvent } from '../../../libs/domain/src/events';
import { consented, exited, identified, referred } from '../../../libs/domain/test-support/journey-fixtures';
import { SqliteEventStore } from '../../../libs/event-store/src/embedded/sqlite-event-store';
import type { EventStore } from '../../../libs/event-store/src/event-store.port';
import { SqliteReadStore } from '../../../libs/read-store/src/embedded/sqlite-read-store';
import type { ReadStore } from '../../../libs/read-store/src/read-store.port';
import { CHECKPOINTS, readCheckpoint } from './checkpoints';
import { journeyProjection } from '../../../projections/journeys/journey.projection';
import { ProjectionRunner } from './projection-runner';

const metadata = { recordedAt: '2024-06-01T10:00:00Z', recordedBy: { userId: 'u', role: 'support_worker', organisationId: 'o' }, commandId: 'c', correlationId: 'c', schemaVersion: 1 };
let counter = 0;

async function record(store: EventStore, journey: string, events: JourneyEvent[]): Promise<bigint> {
  const streamId = journeyStreamId(journey);
  const existing = await store.readStream(streamId);
  const expected = existing.length ? existing[existing.length - 1].revision : 'no_stream';
  const result = await store.append(streamId, events.map((e) => ({ id: `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`, type: e.type, data: e.data as any, metadata })), expected);
  return result.position;
}

const journeyEvents = (journeyId: string): JourneyEvent[] => [
  identified({ journeyId }), consented(), referred('2024-01-09', `ref-${journeyId}`), exited('2024-02-01'),
];

async function allDocuments(readStore: ReadStore) {
  return JSON.stringify(await readStore.collection('journeys').find({}, { sort: { _id: 1 } }));
}

describe('the projector', () => {
  let dir: string;
  let events: SqliteEventStore;
  let readStore: SqliteReadStore;
  const runners: ProjectionRunner<any>[] = [];
  const runner = (store: ReadStore = readStore, batchSize = 3) => {
    const r = new ProjectionRunner(journeyProjection, events, store, { batchSize, retryMinMs: 10, retryMaxMs: 100 }, () => '2024-06-01T00:00:00Z');
    runners.push(r);
    return r;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vjt-projector-'));
    events = SqliteEventStore.open({ directory: dir });
    readStore = SqliteReadStore.open({ directory: dir });
  });
  afterEach(async () => {
    for (const r of runners.splice(0)) await r.stop();
    await readStore.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('catches up from the start, then projects live events, and stores its checkpoint', async () => {
    for (const j of ['a', 'b']) await record(events, j, journeyEvents(j));
    const projector = runner();
    await projector.start();
    const live = await record(events, 'c', [identified({ journeyId: 'c' })]);
    expect(await projector.waitFor(live, 2000)).toBe(true);
    expect(await readStore.collection('journeys').countDocuments({})).toBe(3);
    expect(await readCheckpoint(readStore, 'journeys')).toBe(live);
    expect(projector.status()).toMatchObject({ name: 'journeys', caughtUp: true, running: true, lastError: null, position: live.toString() });
  });

  it('catches up in large batches, then applies live events in small ones', async () => {
    for (let j = 0; j < 25; j++) await record(events, `j${j}`, journeyEvents(`j${j}`)); // 100 events
    const batches: number[] = [];
    const counting: ReadStore = Object.assign(Object.create(readStore), {
      withTransaction: <R>(work: Parameters<ReadStore['withTransaction']>[0]) =>
        readStore.withTransaction(async (tx) => {
          const result = await work(tx);
          const checkpoint = await tx.collection<{ _id: string; position: string }>(CHECKPOINTS).findOne({ _id: 'journeys' });
          batches.push(Number(checkpoint!.position));
          return result as R;
        }),
    });
    const projector = new ProjectionRunner(journeyProjection, events, counting, { batchSize: 3, catchUpBatchSize: 40, retryMinMs: 10, retryMaxMs: 100 });
    runners.push(projector);
    await projector.start();
    await projector.caughtUpOnce();
    expect(batches).toEqual([39, 79, 99]); // positions after each catch-up batch: 40, 40, then the last 20
    batches.length = 0;
    // Four journeys recorded at once: one group commit, so the subscription sees 16 new events together.
    const positions = await Promise.all([0, 1, 2, 3].map((j) => record(events, `live${j}`, journeyEvents(`live${j}`))));
    const live = positions.reduce((a, b) => (a > b ? a : b));
    expect(await projector.waitFor(live, 2000)).toBe(true);
    const sizes = batches.map((position, i) => position - (i === 0 ? 99 : batches[i - 1]));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(16);
    expect(Math.max(...sizes)).toBe(3);
  });

  it('leaves every document identical when an applied range is replayed', async () => {
    for (const j of ['a', 'b', 'c']) await record(events, j, journeyEvents(j));
    const head = (await events.headPosition())!;
    const first = runner();
    await first.start();
    await first.waitFor(head, 2000);
    await first.stop();
    const before = await allDocuments(readStore);
    // Rewind the checkpoint into the middle of the log, as a crash between a batch's writes and
    // its checkpoint would if they were separate: referrals and exits come round again.
    await readStore.collection(CHECKPOINTS).updateOne({ _id: 'journeys' }, { $set: { position: String(head - 6n) } });
    const replay = runner();
    await replay.start();
    await replay.waitFor(head, 2000);
    expect(await allDocuments(readStore)).toBe(before);
  });

  it('commits nothing of a failed batch, and a restart ends where a clean run ends', async () => {
    for (const j of ['a', 'b', 'c', 'd']) await record(events, j, journeyEvents(j));
    const head = (await events.headPosition())!;
    let transactions = 0;
    const failing: ReadStore = Object.create(readStore, {
      withTransaction: { value: (work: any) => (++transactions === 3 ? Promise.reject(new Error('disk full')) : readStore.withTransaction(work)) },
    });
    const crashed = runner(failing);
    await crashed.start();
    expect(await crashed.waitFor(head, 300)).toBe(false);
    expect(crashed.status()).toMatchObject({ running: false, lastError: { message: 'disk full' } });
    const checkpoint = await readCheckpoint(readStore, 'journeys');
    expect(checkpoint).toBeLessThan(head);
    await crashed.stop();

    const resumed = runner();
    await resumed.start();
    expect(await resumed.waitFor(head, 2000)).toBe(true);

    const cleanDir = mkdtempSync(join(tmpdir(), 'vjt-clean-'));
    const clean = SqliteReadStore.open({ directory: cleanDir });
    const cleanRun = runner(clean, 1000);
    await cleanRun.start();
    await cleanRun.waitFor(head, 2000);
    expect(await allDocuments(readStore)).toBe(await allDocuments(clean));
    await cleanRun.stop();
    await clean.close();
    rmSync(cleanDir, { recursive: true, force: true });
  });

  it('tells a reader when a position is not reached in time', async () => {
    const projector = runner();
    await projector.start();
    expect(await projector.waitFor(10_000n, 50)).toBe(false);
  });
});
