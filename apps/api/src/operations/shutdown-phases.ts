import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Projector } from '../../../projector/src/projector';
import { closeStores, type Stores } from '../infrastructure/stores';
import { PROJECTOR } from '../infrastructure/tokens';
import type { ProjectionMonitor } from '../projections/projection-monitor';
import type { HttpDrain } from './shutdown-http';
import type { ShutdownPhase } from './shutdown';

/**
 * The API's shutdown, in order:
 * 1. stop accepting requests: new ones are answered 503 SHUTTING_DOWN (and /health 503, shuttingDown);
 * 2. finish in-flight requests: every request already being handled is answered (commands
 *    appended and acknowledged, read-your-writes waits served while the projector still runs),
 *    then the listener closes;
 * 3. stop projections: each projection (and the audit ledger keeper) commits the batch it is
 *    applying, with its checkpoint in the same transaction, and its subscription ends;
 * 4. close the application and stores: Nest's shutdown hooks (the erasure follower stops) and
 *    the event, read and key stores, whose SQLite files close cleanly (WAL checkpointed) and
 *    whose single-writer locks are released.
 */
export function apiShutdownPhases(app: NestFastifyApplication, http: HttpDrain): ShutdownPhase[] {
  return [
    { name: 'stop accepting requests', run: () => http.stopAccepting() },
    {
      name: 'finish in-flight requests',
      run: async () => {
        const answered = await http.requestsFinished();
        await http.closeListener();
        return `${answered}; listener closed`;
      },
      stuck: () => http.describeWaiting(),
    },
    {
      name: 'stop projections',
      run: async () => {
        const projector = app.get<ProjectionMonitor>(PROJECTOR, { strict: false });
        if (!(projector instanceof Projector)) return 'the projector runs in its own process';
        return stopProjector(projector);
      },
      stuck: () => 'a projection or the audit ledger is still committing its batch',
    },
    {
      name: 'close the application and stores',
      run: async () => {
        await app.close();
        return 'event store, read store and key store closed';
      },
      stuck: () => 'a shutdown hook or a store is still closing',
    },
  ];
}

/** The projector process's shutdown: the projections' current batches, then the stores. */
export function projectorShutdownPhases(projector: Projector, stores: Stores, observation?: { stop(): Promise<void> }): ShutdownPhase[] {
  return [
    { name: 'stop projections', run: () => stopProjector(projector), stuck: () => 'a projection or the audit ledger is still committing its batch' },
    {
      name: 'close stores',
      run: async () => {
        await closeStores(stores);
        return 'event store, read store and key store closed';
      },
      stuck: () => 'a store is still closing',
    },
    // Last, so the batches' spans are exported and a final scrape sees the stopped projections.
    ...(observation ? [{
      name: 'flush traces and close the metrics port',
      run: async () => {
        await observation.stop();
        return 'spans flushed, metrics port closed';
      },
      stuck: () => 'the trace exporter is still flushing',
    }] : []),
  ];
}

/** Stops every run after its current batch; says where each stopped. */
async function stopProjector(projector: Projector): Promise<string> {
  await projector.stop();
  const stoppedAt = (await projector.status()).map((s) => `${s.name} at ${s.position ?? 'the start'}`);
  return `checkpoints committed (${stoppedAt.join(', ')})`;
}
