import type { ReadStore } from '../../../../libs/read-store/src/read-store.port';
import { ALL_PROJECTIONS } from '../../../../projections';
import type { DocumentProjection } from '../../../../projections/projection';
import { readCheckpoint } from '../../../projector/src/checkpoints';
import { CATALOG, PROJECTION_STATUS, readCatalogEntry } from '../../../projector/src/projection-catalog';
import { UnknownProjection, type ProjectionReport } from '../../../projector/src/projector';
import type { ProjectionActivity } from '../../../projector/src/projection-runner';

/** What the API needs of the projector: status, read-your-writes waits, and rebuilds. */
export interface ProjectionMonitor {
  status(): Promise<ProjectionReport[]>;
  waitFor(projection: string, position: bigint, timeoutMs: number): Promise<boolean>;
  rebuild(projection: string): Promise<void>;
  /** Where the projector runs in this process: what each projection did since it started (metrics). */
  activity?(): Array<ProjectionActivity & { name: string }>;
}

/**
 * The projector seen from an API process that does not run it (PROJECTOR_IN_PROCESS=false,
 * with MongoDB read models shared by both): status as the projector process published it,
 * waits on the serving collection's checkpoint, and rebuilds requested through the catalog.
 */
export class StoredProjectionMonitor implements ProjectionMonitor {
  constructor(
    private readonly readStore: ReadStore,
    private readonly projections: ReadonlyArray<DocumentProjection<any>> = ALL_PROJECTIONS,
    private readonly pollMs = 25,
  ) {}

  async status(): Promise<ProjectionReport[]> {
    return Promise.all(this.projections.map(async (projection) => {
      const published = await this.readStore.collection<ProjectionReport & { _id: string }>(PROJECTION_STATUS).findOne({ _id: projection.name });
      const entry = await readCatalogEntry(this.readStore, projection.name);
      const serving = entry?.collection ?? projection.collection;
      const position = await readCheckpoint(this.readStore, serving);
      const { _id, ...report } = published ?? { _id: '', name: projection.name, version: projection.version, collection: serving, caughtUp: false, running: false, connected: false, lastError: null, reconnect: null, rebuilding: null };
      return { ...report, serving, position: position?.toString() ?? null } as ProjectionReport;
    }));
  }

  async waitFor(projection: string, position: bigint, timeoutMs: number): Promise<boolean> {
    const known = this.projections.find((p) => p.name === projection);
    if (!known) throw new UnknownProjection(projection);
    const deadline = performance.now() + timeoutMs; // monotonic: a wall clock set back must not stretch the wait
    for (;;) {
      const serving = (await readCatalogEntry(this.readStore, projection))?.collection ?? known.collection;
      const applied = await readCheckpoint(this.readStore, serving);
      if (applied !== undefined && applied >= position) return true;
      if (performance.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, this.pollMs));
    }
  }

  async rebuild(projection: string): Promise<void> {
    if (!this.projections.some((p) => p.name === projection)) throw new UnknownProjection(projection);
    await this.readStore.collection(CATALOG).updateOne({ _id: projection }, { $set: { rebuildRequestedAt: new Date().toISOString() } });
  }
}
