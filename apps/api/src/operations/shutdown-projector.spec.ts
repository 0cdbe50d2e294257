/**
 * What the shutdown asks of the projector (Projector.stop(), the "stop projections" phase): each
 * run stops after the batch it is applying, its documents and checkpoint committed together, so
 * the stored checkpoint accounts for exactly the events in the documents; a rebuild under way
 * stops without switching; and a stopped projector leaves nothing running.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../../../libs/event-store/src/embedded/sqlite-event-store';
import { SqliteReadStore } from '../../../../libs/read-store/src/embedded/sqlite-read-store';
import { sortablePosition, type DocumentProjection } from '../../../../projections/projection';
import { readCheckpoint } from '../../../projector/src/checkpoints';
import { servingCollection } from '../../../projector/src/projection-catalog';
import { Projector } from '../../../projector/src/projector';
import { projectorShutdownPhases } from './shutdown-phases';
import { ShutdownCoordinator } from './shutdown';

/** Counts each stream's events: the documents' counts sum to the number of events applied. */
interface Tally { _id: string; events: number; lastPosition: string }
const tally = (version = 1): DocumentProjection<Tally> => ({
  name: 'tallies', version, collection: 'tallies', indexes: [],
  documentId: (event) => event.streamId,
  evolve: (doc, event) => ({ _id: event.streamId, events: (doc?.events ?? 0) + 1, lastPosition: sortablePosition(event.position) }),
});

const metadata = { recordedAt: '2024-06-01T10:00:00Z', recordedBy: { userId: 'u', role: 'r', organisationId: 'o' }, commandId: 'c', correlationId: 'c', schemaVersion: 1 };
let ids = 0;

describe('the projector stopped by a shutdown', () => {
  let dir: string;
  let events: SqliteEventStore;
  let readStore: SqliteReadStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vjt-shutdown-projector-'));
    events = SqliteEventStore.open({ directory: dir });
    readStore = SqliteReadStore.open({ directory: dir });
    for (let s = 0; s < 40; s++) {
      await events.append(`journey-s${s}`, Array.from({ length: 50 }, () => ({ id: `e-${++ids}`, type: 'VictimIdentified', data: {}, metadata })), 'any');
    }
  });
  afterEach(async () => {
    await readStore.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Events in the documents of `collection`, against its stored checkpoint. */
  async function applied(collection: string): Promise<{ counted: number; checkpoint: bigint | undefined }> {
    const docs = await readStore.collection<Tally>(collection).find({});
    return { counted: docs.reduce((sum, d) => sum + d.events, 0), checkpoint: await readCheckpoint(readStore, collection) };
  }

  it('stops mid catch-up after a whole batch: the checkpoint accounts for exactly the events in the documents', async () => {
    const projector = new Projector(events, readStore, { batchSize: 7, catchUpBatchSize: 7, retryMinMs: 10, retryMaxMs: 50, projections: [tally()] });
    await projector.start();
    while (BigInt((await projector.status())[0].position ?? -1) < 100n) await new Promise((r) => setImmediate(r));
    await projector.stop();
    const { counted, checkpoint } = await applied('tallies');
    expect(checkpoint).toBeDefined();
    expect(checkpoint!).toBeLessThan((await events.headPosition())!); // stopped part way, not at the head
    expect(counted).toBe(Number(checkpoint) + 1); // every event up to the checkpoint, none past it
    expect((await projector.status())[0].position).toBe(checkpoint!.toString());
    await projector.stop(); // idempotent
  });

  it('stops a rebuild under way without switching to it', async () => {
    const projector = new Projector(events, readStore, { batchSize: 500, retryMinMs: 10, retryMaxMs: 50, retireAfterMs: 10, projections: [tally()] });
    await projector.start();
    expect(await projector.waitFor('tallies', (await events.headPosition())!, 5000)).toBe(true);
    const rebuilding = new Projector(events, readStore, { batchSize: 3, catchUpBatchSize: 3, retryMinMs: 10, retryMaxMs: 50, projections: [tally()] });
    await projector.stop();
    await rebuilding.start();
    const rebuild = rebuilding.rebuild('tallies');
    while ((await rebuilding.status())[0].rebuilding?.position == null) await new Promise((r) => setImmediate(r));
    await rebuilding.stop();
    await rebuild; // settled by stop(): no switch
    expect(await servingCollection(readStore, 'tallies', 'tallies')).toBe('tallies');
    expect(await applied('tallies')).toEqual({ counted: 2000, checkpoint: 1999n });
  });

  it('runs as the projector process does on SIGTERM: projections stop, stores close, exit 0', async () => {
    const projector = new Projector(events, readStore, { batchSize: 7, catchUpBatchSize: 7, retryMinMs: 10, retryMaxMs: 50, projections: [tally()] });
    await projector.start();
    const lines: string[] = [];
    const exits: number[] = [];
    const shutdown = new ShutdownCoordinator({
      phases: projectorShutdownPhases(projector, { events, readStore, dataKeys: { close: async () => undefined } as never }),
      timeoutMs: 5_000,
      log: { log: (line) => lines.push(line), error: (line) => lines.push(line) },
      exit: (code) => exits.push(code),
    });
    expect(await shutdown.shutdown()).toBe(0);
    expect(exits).toEqual([0]);
    expect(lines).toEqual([
      expect.stringMatching(/^Shutdown phase 1\/2 \(stop projections\) done in \d+ ms: checkpoints committed \(tallies at (\d+|the start)\)$/),
      expect.stringMatching(/^Shutdown phase 2\/2 \(close stores\) done in \d+ ms: event store, read store and key store closed$/),
      expect.stringMatching(/^Shutdown complete in \d+ ms; exiting with code 0$/),
    ]);
    // Closed: reopen to check what it left.
    readStore = SqliteReadStore.open({ directory: dir });
    events = SqliteEventStore.open({ directory: dir });
    const { counted, checkpoint } = await applied('tallies');
    expect(counted).toBe(checkpoint === undefined ? 0 : Number(checkpoint) + 1);
  });
});
