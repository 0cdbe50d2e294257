import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../../../libs/event-store/src/embedded/sqlite-event-store';
import { SqliteReadStore } from '../../../../libs/read-store/src/embedded/sqlite-read-store';
import { sortablePosition, type DocumentProjection } from '../../../../projections/projection';
import { Projector } from '../../../projector/src/projector';
import { StoredProjectionMonitor } from './projection-monitor';

/**
 * An API process that does not run the projector (PROJECTOR_IN_PROCESS=false) sees it
 * through the read store the two share: published status, checkpoints, and rebuild requests.
 */
const counts: DocumentProjection<{ _id: string; n: number; lastPosition: string }> = {
  name: 'counts', version: 1, collection: 'counts', indexes: [],
  documentId: (event) => event.streamId,
  evolve: (doc, event) => ({ _id: event.streamId, n: (doc?.n ?? 0) + 1, lastPosition: sortablePosition(event.position) }),
};
const metadata = { recordedAt: '2024-06-01T10:00:00Z', recordedBy: { userId: 'u', role: 'r', organisationId: 'o' }, commandId: 'c', correlationId: 'c', schemaVersion: 1 };

describe('the projector seen from an API process that does not run it', () => {
  let dir: string;
  let events: SqliteEventStore;
  let readStore: SqliteReadStore;
  let projector: Projector;
  let monitor: StoredProjectionMonitor;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vjt-monitor-'));
    events = SqliteEventStore.open({ directory: dir });
    readStore = SqliteReadStore.open({ directory: dir });
    projector = new Projector(events, readStore, { batchSize: 10, retryMinMs: 10, retryMaxMs: 50, heartbeatMs: 20, retireAfterMs: 50, projections: [counts] });
    monitor = new StoredProjectionMonitor(readStore, [counts], 5);
    for (let i = 0; i < 5; i++) await events.append(`journey-${i}`, [{ id: `e-${i}`, type: 'VictimIdentified', data: {}, metadata }], 'no_stream');
    await projector.start();
  });
  afterEach(async () => {
    await projector.stop();
    await readStore.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('waits on the serving collection’s checkpoint for read-your-writes', async () => {
    expect(await monitor.waitFor('counts', 4n, 2000)).toBe(true);
    expect(await monitor.waitFor('counts', 99n, 50)).toBe(false);
  });

  it('reports the status the projector published', async () => {
    await monitor.waitFor('counts', 4n, 2000);
    await new Promise((r) => setTimeout(r, 60));
    expect(await monitor.status()).toEqual([expect.objectContaining({ name: 'counts', serving: 'counts', position: '4', running: true, lastError: null })]);
  });

  it('asks for a rebuild that the projector process carries out and switches to', async () => {
    await monitor.rebuild('counts');
    let serving = 'counts';
    for (let i = 0; i < 100 && serving === 'counts'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      serving = (await monitor.status())[0].serving;
    }
    expect(serving).toMatch(/^counts__v1__\d+$/);
    expect(await readStore.collection(serving).countDocuments({})).toBe(5);
  });
});
