/**
 * A read store that cannot write (disk full) does not stop a projection: nothing of the batch
 * was stored, so the run resumes from its checkpoint after a pause, and once the disk takes
 * writes again it ends where a run that never failed ends. (Any other error still stops the
 * projection until a restart: projector.spec.ts.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { journeyStreamId } from '../../../libs/domain/src/events';
import { consented, exited, identified, referred } from '../../../libs/domain/test-support/journey-fixtures';
import { SqliteEventStore } from '../../../libs/event-store/src/embedded/sqlite-event-store';
import { SqliteReadStore } from '../../../libs/read-store/src/embedded/sqlite-read-store';
import { ReadStoreWriteFailed, type ReadStore } from '../../../libs/read-store/src/read-store.port';
import { journeyProjection } from '../../../projections/journeys/journey.projection';
import { readCheckpoint } from './checkpoints';
import { ProjectionRunner } from './projection-runner';

const metadata = { recordedAt: '2024-06-01T10:00:00Z', recordedBy: { userId: 'u', role: 'support_worker', organisationId: 'o' }, commandId: 'c', correlationId: 'c', schemaVersion: 1 };

describe('the projector when the read store cannot write', () => {
  let dir: string;
  let events: SqliteEventStore;
  let readStore: SqliteReadStore;
  const runners: ProjectionRunner<any>[] = [];
  const runner = (store: ReadStore) => {
    const r = new ProjectionRunner(journeyProjection, events, store, { batchSize: 3, retryMinMs: 5, retryMaxMs: 20 }, () => '2024-06-01T00:00:00Z');
    runners.push(r);
    return r;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vjt-projector-faults-'));
    events = SqliteEventStore.open({ directory: dir });
    readStore = SqliteReadStore.open({ directory: dir });
  });
  afterEach(async () => {
    for (const r of runners.splice(0)) await r.stop();
    await readStore.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('retries from its checkpoint until the disk recovers, then ends where a clean run ends', async () => {
    let id = 0;
    for (const j of ['a', 'b', 'c', 'd']) {
      const journey = [identified({ journeyId: j }), consented(), referred('2024-01-09', `ref-${j}`), exited('2024-02-01')];
      const data = journey.map((e) => ({ id: `00000000-0000-4000-8000-${String(++id).padStart(12, '0')}`, type: e.type, data: e.data as any, metadata }));
      await events.append(journeyStreamId(j), data, 'no_stream');
    }
    const head = (await events.headPosition())!;
    let transactions = 0;
    let diskFull = true;
    const failing: ReadStore = Object.create(readStore, {
      withTransaction: {
        value: (work: any) => (++transactions >= 3 && diskFull ? Promise.reject(new ReadStoreWriteFailed('read-models.sqlite', 'SQLITE_FULL')) : readStore.withTransaction(work)),
      },
    });
    const projector = runner(failing);
    await projector.start();
    // Several failed attempts (or a projection that stopped, which the next line reports).
    while (transactions < 8 && projector.status().lastError === null) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(projector.status()).toMatchObject({ running: true, lastError: null, reconnect: { error: expect.stringMatching(/could not write \(SQLITE_FULL\)/) } });
    const stuckAt = await readCheckpoint(readStore, 'journeys');
    expect(stuckAt).toBeLessThan(head);

    diskFull = false;
    expect(await projector.waitFor(head, 5000)).toBe(true);
    expect(projector.status()).toMatchObject({ running: true, lastError: null, reconnect: null });
    expect(await readCheckpoint(readStore, 'journeys')).toBe(head);

    const cleanDir = mkdtempSync(join(tmpdir(), 'vjt-clean-'));
    const clean = SqliteReadStore.open({ directory: cleanDir });
    try {
      const cleanRun = runner(clean);
      await cleanRun.start();
      await cleanRun.waitFor(head, 5000);
      const all = (store: ReadStore) => store.collection('journeys').find({}, { sort: { _id: 1 } });
      expect(await all(readStore)).toEqual(await all(clean));
      await cleanRun.stop();
    } finally {
      await clean.close();
      rmSync(cleanDir, { recursive: true, force: true });
    }
  });
});
