import { Logger } from '@nestjs/common';
import type { EventStore } from '../../../libs/event-store/src/event-store.port';
import type { ReadStore } from '../../../libs/read-store/src/read-store.port';
import { ALL_PROJECTIONS } from '../../../projections';
import type { DocumentProjection } from '../../../projections/projection';
import { CATALOG, CatalogEntry, PROJECTION_STATUS, physicalCollection, readCatalogEntry } from './projection-catalog';
import { CHECKPOINTS } from './checkpoints';
import { noActivity, ProjectionRunner, ProjectionStatus, RunnerOptions, type ProjectionActivity } from './projection-runner';
import { LedgerKeeper, type LedgerKeeperOptions } from '../../../libs/audit/src/ledger-keeper';

export interface ProjectorOptions extends Omit<RunnerOptions, 'collection'> {
  /** How often status is published to the read store and rebuild requests are looked for (0: never). */
  heartbeatMs?: number;
  /** How long a replaced collection stays readable after a switch, for reads already under way. */
  retireAfterMs?: number;
  projections?: ReadonlyArray<DocumentProjection<any>>;
  clock?: () => string;
  /** Keep the audit ledger, and sign heads when given a key, beside the projections (libs/audit). */
  audit?: LedgerKeeperOptions;
}

export type ProjectionReport = ProjectionStatus & { serving: string; rebuilding: ProjectionStatus | null };

/**
 * Runs every projection, each with its own subscription and checkpoint, and manages their
 * lifecycle. A projection whose version went up since its collection was built is rebuilt
 * into a new collection while the old one keeps serving reads; a rebuild can also be asked
 * for. When the new collection has caught up, the catalog switches to it in one write, and
 * the old one is dropped after `retireAfterMs`, once no read can still be using it.
 */
export class Projector {
  private readonly logger = new Logger('Projector');
  private readonly projections: ReadonlyArray<DocumentProjection<any>>;
  private readonly live = new Map<string, ProjectionRunner<any>>();
  private readonly rebuilds = new Map<string, { runner: ProjectionRunner<any>; done: Promise<void> }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Each projection's counts since this process started, over its live run and rebuilds alike. */
  private readonly counts = new Map<string, ProjectionActivity>();
  private stopped = false;
  /** The heartbeat's writes under way, which stop() waits for. */
  private beating: Promise<void> | undefined;
  private keeper: LedgerKeeper | undefined;

  constructor(
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    private readonly options: ProjectorOptions,
  ) {
    this.projections = options.projections ?? ALL_PROJECTIONS;
  }

  async start(): Promise<void> {
    for (const projection of this.projections) {
      const entry = await this.catalogEntry(projection);
      await this.dropRetired(entry);
      if (entry.version > projection.version) {
        throw new Error(`Read model ${projection.name} was built by version ${entry.version} of its projection; this code has version ${projection.version}. Run the newer code, or rebuild.`);
      }
      if (entry.version === projection.version) await this.startLive(projection, entry.collection);
      else void this.rebuild(projection.name).catch((error) => this.logger.error(String(error)));
    }
    if (this.options.heartbeatMs) this.heartbeat(this.options.heartbeatMs, await this.rebuildRequests());
    if (this.options.audit) {
      this.keeper = new LedgerKeeper(this.events, this.readStore, { log: new Logger('AuditLedger'), ...this.options.audit });
      await this.keeper.start();
    }
  }

  /**
   * Publishes status for API processes that do not run the projector, and starts the rebuilds
   * they asked for: a rebuildRequestedAt other than the one this process last saw (at its start,
   * or since). Compared for change, not order: it is another process's clock, which may be
   * behind this one's or have been set back since the last request.
   */
  private heartbeat(everyMs: number, seen: Map<string, string | undefined>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.beating = this.beat(seen).finally(() => {
        this.beating = undefined;
        if (!this.stopped) this.heartbeat(everyMs, seen);
      });
    }, everyMs);
    this.timers.add(timer);
  }

  private async beat(seen: Map<string, string | undefined>): Promise<void> {
    try {
      for (const report of await this.status()) {
        await this.readStore.collection(PROJECTION_STATUS).replaceOne({ _id: report.name }, { _id: report.name, ...report, publishedAt: (this.options.clock ?? now)() }, { upsert: true });
      }
      for (const [name, requestedAt] of await this.rebuildRequests()) {
        if (requestedAt === undefined || requestedAt === seen.get(name) || !this.projections.some((p) => p.name === name)) continue;
        if (this.stopped) return; // stopping: a rebuild started now would outlive stop()
        seen.set(name, requestedAt);
        void this.rebuild(name).catch((error) => this.logger.error(String(error)));
      }
    } catch (error) {
      this.logger.warn(`Heartbeat failed: ${error}`);
    }
  }

  /** Each projection's last rebuild request, as the catalog holds it. */
  private async rebuildRequests(): Promise<Map<string, string | undefined>> {
    const entries = await this.readStore.collection<CatalogEntry>(CATALOG).find({});
    return new Map(entries.map((entry) => [entry._id, entry.rebuildRequestedAt]));
  }

  /**
   * Stops every run after the batch it is applying (its documents and checkpoint commit together,
   * or not at all) and the events it had been delivered but not yet applied (flushed as a last
   * batch); the audit ledger keeper likewise. A heartbeat under way finishes its writes, and a
   * rebuild under way stops without switching (or finishes a switch already written). Idempotent.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.beating;
    const rebuilds = [...this.rebuilds.values()];
    await Promise.all([...this.live.values(), ...rebuilds.map((r) => r.runner), ...(this.keeper ? [this.keeper] : [])].map((r) => r.stop()));
    await Promise.all(rebuilds.map((r) => r.done.catch(() => undefined)));
  }

  /**
   * Rebuilds a projection from the start of the log into a new collection; the current one
   * serves (and, when it was built by this version, keeps projecting) until the switch.
   * Resolves when the switch is done.
   */
  rebuild(name: string): Promise<void> {
    const running = this.rebuilds.get(name);
    if (running) return running.done;
    const projection = this.projectionNamed(name);
    const target = physicalCollection(projection, projection.version, (this.options.clock ?? now)().replace(/\D/g, '').slice(0, 17));
    const runner = this.runner(projection, target);
    const done = this.buildAndSwitch(projection, runner).finally(() => this.rebuilds.delete(name));
    this.rebuilds.set(name, { runner, done });
    return done;
  }

  async status(): Promise<ProjectionReport[]> {
    const reports: ProjectionReport[] = [];
    for (const projection of this.projections) {
      const entry = await readCatalogEntry(this.readStore, projection.name);
      const live = this.live.get(projection.name);
      const rebuilding = this.rebuilds.get(projection.name)?.runner.status() ?? null;
      const base = live?.status() ?? rebuilding ?? idle(projection);
      reports.push({ ...base, serving: entry?.collection ?? projection.collection, rebuilding });
    }
    return reports;
  }

  /** What each projection did since this process started (events applied, batches, errors), for metrics. */
  activity(): Array<ProjectionActivity & { name: string }> {
    return this.projections.map((p) => ({ name: p.name, ...(this.counts.get(p.name) ?? noActivity()) }));
  }

  /**
   * Waits until `projection`'s serving collection has applied `position` (read-your-writes).
   * Waits in short slices on whichever run is live, so a wait spanning a switch follows it
   * (and a wait during a version-bump rebuild, when no run is live, waits for the switch).
   */
  async waitFor(projection: string, position: bigint, timeoutMs: number): Promise<boolean> {
    this.projectionNamed(projection);
    // Elapsed time on the monotonic clock: a wall clock set back mid-wait must not stretch it.
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) return false;
      const runner = this.live.get(projection);
      if (runner && (await runner.waitFor(position, Math.min(remaining, 100)))) return true;
      if (!runner) await new Promise((r) => setTimeout(r, Math.min(remaining, 50)));
    }
  }

  private async buildAndSwitch(projection: DocumentProjection<any>, runner: ProjectionRunner<any>): Promise<void> {
    await this.readStore.dropCollection(runner.collection);
    await this.readStore.collection(CHECKPOINTS).deleteOne({ _id: runner.collection });
    await runner.start();
    this.logger.log(`Rebuilding ${projection.name} (version ${projection.version}) into ${runner.collection}`);
    await runner.caughtUpOnce();
    const failure = runner.status().lastError;
    if (this.stopped || failure) {
      await runner.stop();
      if (failure) throw new Error(`Rebuild of ${projection.name} failed at position ${failure.position}: ${failure.message}`);
      return;
    }
    const previous = await this.catalogEntry(projection);
    const switched: CatalogEntry = {
      _id: projection.name, version: projection.version, collection: runner.collection, switchedAt: (this.options.clock ?? now)(),
      retired: [...previous.retired, previous.collection].filter((c) => c !== runner.collection),
    };
    await this.readStore.collection<CatalogEntry>(CATALOG).replaceOne({ _id: projection.name }, switched, { upsert: true });
    const old = this.live.get(projection.name);
    this.live.set(projection.name, runner);
    await old?.stop();
    this.logger.log(`${projection.name} now served by ${runner.collection}`);
    this.scheduleRetirement(switched);
  }

  private async startLive(projection: DocumentProjection<any>, collection: string): Promise<void> {
    const runner = this.runner(projection, collection);
    this.live.set(projection.name, runner);
    await runner.start();
  }

  private runner(projection: DocumentProjection<any>, collection: string): ProjectionRunner<any> {
    const { batchSize, catchUpBatchSize, retryMinMs, retryMaxMs } = this.options;
    const counts = this.counts.get(projection.name) ?? noActivity();
    this.counts.set(projection.name, counts);
    return new ProjectionRunner(projection, this.events, this.readStore, { batchSize, catchUpBatchSize, retryMinMs, retryMaxMs, collection }, this.options.clock, counts);
  }

  /** The catalog entry, created on first start as the projection's first build. */
  private async catalogEntry(projection: DocumentProjection<any>): Promise<CatalogEntry> {
    const existing = await readCatalogEntry(this.readStore, projection.name);
    if (existing) return existing;
    // Data from before the catalog existed was built by version 1 into the plain collection name.
    const collections = await this.readStore.listCollections();
    const version = collections.includes(projection.collection) ? 1 : projection.version;
    const entry: CatalogEntry = { _id: projection.name, version, collection: physicalCollection(projection, version), switchedAt: (this.options.clock ?? now)(), retired: [] };
    await this.readStore.collection<CatalogEntry>(CATALOG).replaceOne({ _id: projection.name }, entry, { upsert: true });
    return entry;
  }

  private scheduleRetirement(entry: CatalogEntry): void {
    if (this.stopped) return; // the next start drops what the catalog lists as retired
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.dropRetired(entry).catch((error) => this.logger.warn(`Could not drop retired collections of ${entry._id}: ${error}`));
    }, this.options.retireAfterMs ?? 30_000);
    this.timers.add(timer);
  }

  private async dropRetired(entry: CatalogEntry): Promise<void> {
    if (entry.retired.length === 0) return;
    for (const collection of entry.retired) {
      await this.readStore.dropCollection(collection);
      await this.readStore.collection(CHECKPOINTS).deleteOne({ _id: collection });
    }
    await this.readStore.collection<CatalogEntry>(CATALOG).updateOne({ _id: entry._id }, { $pullAll: { retired: entry.retired } });
  }

  private projectionNamed(name: string): DocumentProjection<any> {
    const projection = this.projections.find((p) => p.name === name);
    if (!projection) throw new UnknownProjection(name);
    return projection;
  }
}

export class UnknownProjection extends Error {
  readonly code = 'PROJECTION_NOT_FOUND';
  constructor(readonly projection: string) {
    super(`There is no projection ${projection}.`);
    this.name = 'UnknownProjection';
  }
}

const now = () => new Date().toISOString();

function idle(projection: DocumentProjection<any>): ProjectionStatus {
  return { name: projection.name, version: projection.version, collection: projection.collection, position: null, caughtUp: false, running: false, connected: false, lastError: null, reconnect: null };
}
