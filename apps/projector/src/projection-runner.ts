import type { EventStore, StoredEvent, Subscription } from '../../../libs/event-store/src/event-store.port';
import type { ReadStore } from '../../../libs/read-store/src/read-store.port';
import { sortablePosition, type DocumentProjection } from '../../../projections/projection';
import { cellChanges, incrementOf, type Cell } from '../../../projections/analytics/cells';
import { ReadStoreWriteFailed, type BulkWriteOperation } from '../../../libs/read-store/src/read-store.port';
import { readCheckpoint, writeCheckpoint } from './checkpoints';
import { historyOf, toProjectedEvent } from './projected-events';
import { crashPoint } from '../../../libs/crash-points/src/crash-point';
import { SpanStatusCode, trace } from '@opentelemetry/api';

/** Most command ids one batch's span lists: a catch-up batch holds thousands of events. */
const TRACED_COMMAND_IDS = 100;

export interface ProjectionStatus {
  name: string;
  version: number;
  /** The physical collection this run writes. */
  collection: string;
  /** Last position applied, or null before the first event. */
  position: string | null;
  caughtUp: boolean;
  /** False once the projection itself failed (a poison event); it stays stopped until restarted. */
  running: boolean;
  /** False while the subscription is lost and being re-established. */
  connected: boolean;
  lastError: { message: string; position: string } | null;
  /** Why the subscription was last lost, and how many attempts to resubscribe since. */
  reconnect: { attempts: number; error: string } | null;
}

/**
 * What a projection did since this process started, counted once per batch (never per event)
 * and read when metrics are scraped. Shared by its live run and its rebuilds.
 */
export interface ProjectionActivity {
  /** Events delivered and applied (or skipped as not the projection's), committed with a checkpoint. */
  eventsApplied: number;
  batches: number;
  /** Failures: a lost subscription or a failed write (both retried), or the projection itself threw (it stops). */
  errors: number;
}

export const noActivity = (): ProjectionActivity => ({ eventsApplied: 0, batches: 0, errors: 0 });

export interface RunnerOptions {
  /** Most events per read-store transaction once live: small, so a batch never holds the event loop long. */
  batchSize: number;
  /**
   * Most events per transaction while catching up (a start behind the head, a rebuild): larger
   * batches write each document and cell once for many events. Defaults to batchSize.
   */
  catchUpBatchSize?: number;
  /** Where this run writes: the physical collection, whose name is also its checkpoint's id. */
  collection?: string;
  /** First wait before resubscribing after the subscription failed; doubles up to retryMaxMs. */
  retryMinMs: number;
  retryMaxMs: number;
}

/** Documents whose cells a run keeps (about 50 cells each). */
const RECENT_CELLS = 1_000;

/** The projection itself threw: unlike a lost subscription, retrying would fail again. */
class ProjectionFailed extends Error {
  constructor(
    cause: unknown,
    readonly position: bigint | undefined,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/**
 * Runs one projection: a catch-up subscription from its checkpoint, applied in batches.
 * Each batch's documents and the new checkpoint commit in one read-store transaction, and a
 * document already at or past an event's position is left alone, so neither a crash nor a
 * replay can double-count. A lost subscription (the event store went away) is re-established
 * with exponential backoff from the last committed checkpoint: the uncommitted batch is simply
 * delivered again. A projection that throws stops itself only.
 */
export class ProjectionRunner<D extends { _id: string }> {
  private position: bigint | undefined;
  private caughtUp = false;
  private subscription?: Subscription;
  private loop?: Promise<void>;
  private stopped = false;
  private connected = false;
  private wakeFromBackoff?: () => void;
  private lastError: ProjectionStatus['lastError'] = null;
  private reconnect: ProjectionStatus['reconnect'] = null;
  private readonly waiters = new Set<{ position: bigint; resolve: () => void }>();
  /**
   * The cells of documents this run wrote last, by document id: the next batch that touches one
   * needs its cells before the change, which are these unless the document moved on since.
   * Bounded: live commands keep touching a few journeys, a catch-up rarely comes back to one.
   */
  private readonly recentCells = new Map<string, { lastPosition: unknown; cells: Cell[] }>();

  constructor(
    private readonly projection: DocumentProjection<D>,
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    private readonly options: RunnerOptions,
    private readonly clock: () => string = () => new Date().toISOString(),
    private readonly activity: ProjectionActivity = noActivity(),
  ) {}

  /** The physical collection this run writes (and the id of its checkpoint). */
  get collection(): string {
    return this.options.collection ?? this.projection.collection;
  }

  async start(): Promise<void> {
    await this.readStore.ensureIndexes(this.collection, this.projection.indexes);
    // The embedded store loads a collection into memory at its first use: do it now, at start,
    // rather than in the middle of the first command after a restart (seconds at a million events).
    await this.readStore.collection<D>(this.collection).findOne({ _id: '' });
    this.position = await readCheckpoint(this.readStore, this.collection);
    this.loop = this.run();
  }

  /** Resolves when the run has first reached the head of the log. */
  async caughtUpOnce(): Promise<void> {
    while (!this.caughtUp && !this.stopped && this.lastError === null) await new Promise((r) => setTimeout(r, 20));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeFromBackoff?.();
    await this.subscription?.close();
    await this.loop;
  }

  status(): ProjectionStatus {
    return {
      name: this.projection.name,
      version: this.projection.version,
      collection: this.collection,
      position: this.position?.toString() ?? null,
      caughtUp: this.caughtUp,
      running: this.loop !== undefined && this.lastError === null,
      connected: this.connected,
      lastError: this.lastError,
      reconnect: this.reconnect,
    };
  }

  /** Resolves true once the projection has applied `position`, false after `timeoutMs`. */
  waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.position !== undefined && this.position >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = { position, resolve: () => { clearTimeout(timer); resolve(true); } };
      const timer = setTimeout(() => { this.waiters.delete(waiter); resolve(false); }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const subscription = (this.subscription = this.events.subscribeToAll({ after: this.position }));
      this.connected = true;
      try {
        await this.consume(subscription);
      } catch (error) {
        this.activity.errors++;
        if (error instanceof ProjectionFailed) {
          this.lastError = { message: error.message, position: String(error.position ?? this.position) };
          return;
        }
        const attempts = (this.reconnect?.attempts ?? 0) + 1;
        this.reconnect = { attempts, error: error instanceof Error ? error.message : String(error) };
      }
      this.connected = false;
      this.caughtUp = false;
      await subscription.close().catch(() => undefined);
      if (this.stopped) return;
      await this.backoff(this.retryDelay());
    }
  }

  /** Exponential in the attempts since the last progress: min, 2·min, 4·min ... up to max. */
  private retryDelay(): number {
    const attempts = this.reconnect?.attempts ?? 1;
    return Math.min(this.options.retryMinMs * 2 ** Math.min(attempts - 1, 30), this.options.retryMaxMs);
  }

  /** Delivers events until the subscription ends; throws ProjectionFailed if the projection throws. */
  private async consume(subscription: Subscription): Promise<void> {
    let batch: StoredEvent[] = [];
    for await (const message of subscription) {
      if (message.kind === 'event') {
        batch.push(message.event);
        if (batch.length < (this.caughtUp ? this.options.batchSize : (this.options.catchUpBatchSize ?? this.options.batchSize))) continue;
      } else {
        this.caughtUp = true;
      }
      await this.applyOrFail(batch);
      batch = [];
      // The embedded stores answer synchronously, so catching up is a chain of microtasks:
      // let the event loop serve requests (and timers) between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (this.stopped) await this.applyOrFail(batch);
  }

  private async applyOrFail(batch: StoredEvent[]): Promise<void> {
    // A trace of its own per batch (not the request that happened to start this run), naming the
    // commands whose events it applies: that is how a command is followed into each projection.
    // A no-op span unless the process started tracing (apps/api/src/operations/tracing.ts).
    const span = batch.length > 0 ? trace.getTracer('victim-journey-tracker').startSpan(`project ${this.projection.name}`, { root: true }) : undefined;
    if (span?.isRecording()) span.setAttributes(batchAttributes(this.projection.name, batch));
    try {
      await this.apply(batch);
      this.activity.eventsApplied += batch.length;
      if (batch.length > 0) this.activity.batches++;
    } catch (error) {
      span?.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'Error' });
      // The read store could not write (disk full): nothing of the batch is stored, and it may
      // pass later, so the run resumes from its checkpoint after a pause, as after a lost subscription.
      if (error instanceof ReadStoreWriteFailed) throw error;
      throw error instanceof ProjectionFailed ? error : new ProjectionFailed(error, batch[0]?.position);
    } finally {
      span?.end();
    }
    // Progress after a reconnect: the next loss starts its backoff afresh.
    if (batch.length > 0) this.reconnect = null;
  }

  private backoff(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeFromBackoff = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /**
   * An aggregating projection's cells move by the difference between the batch's documents'
   * cells before and after it: constant work per document, never a rescan.
   */
  private cellWrites(touched: Set<string>, before: Map<string, D>, after: Map<string, D | null>): BulkWriteOperation<D>[] {
    const cellsOf = this.projection.cellsOf?.bind(this.projection);
    if (!cellsOf) return [];
    const total = new Map<string, { cell: Cell; inc: Record<string, number> }>();
    for (const id of touched) {
      const previous = before.get(id);
      const next = after.get(id);
      const nextCells = next ? cellsOf(next) : [];
      const previousCells = previous ? this.cellsBefore(id, previous, cellsOf) : [];
      this.remember(id, next, nextCells);
      for (const [cellKey, change] of cellChanges(previousCells, nextCells)) {
        const sum = total.get(cellKey);
        if (!sum) {
          total.set(cellKey, change); // a fresh object per call: summing into it changes nothing else
          continue;
        }
        for (const name in change.inc) sum.inc[name] = (sum.inc[name] ?? 0) + change.inc[name];
      }
    }
    return [...total.entries()].map(([cellKey, { cell, inc }]) => ({
      updateOne: {
        filter: { _id: cellKey },
        update: { $inc: incrementOf(inc), $setOnInsert: { kind: cell.level ?? 'cell', family: cell.family, date: cell.date, dims: cell.dims, extra: cell.extra ?? {} } },
        upsert: true,
      },
    }));
  }

  private cellsBefore(id: string, previous: D, cellsOf: (document: D) => Cell[]): Cell[] {
    const recent = this.recentCells.get(id);
    const lastPosition = (previous as { lastPosition?: unknown }).lastPosition;
    return recent && lastPosition !== undefined && recent.lastPosition === lastPosition ? recent.cells : cellsOf(previous);
  }

  private remember(id: string, next: D | null | undefined, cells: Cell[]): void {
    this.recentCells.delete(id); // re-inserted last: the Map's order is least recently written first
    if (next) this.recentCells.set(id, { lastPosition: (next as { lastPosition?: unknown }).lastPosition, cells });
    if (this.recentCells.size > RECENT_CELLS) this.recentCells.delete(this.recentCells.keys().next().value!);
  }

  private async apply(batch: StoredEvent[]): Promise<void> {
    if (batch.length === 0) return;
    // An event delivered again late (after later ones) may end a batch: the checkpoint is the
    // highest position applied, and never moves back.
    let last = this.position ?? batch[0].position;
    for (const event of batch) if (event.position > last) last = event.position;
    await this.readStore.withTransaction(async (tx) => {
      const documents = tx.collection<D>(this.collection);
      const projected = batch.flatMap((stored) => {
        const event = toProjectedEvent(stored);
        const id = event && this.projection.documentId(event);
        return event && id !== undefined ? [{ event, id }] : [];
      });
      // One read for every document the batch touches (one round trip on MongoDB).
      const ids = [...new Set(projected.map((p) => p.id))];
      const loaded = ids.length ? await documents.find({ _id: { $in: ids } }) : [];
      const changed = new Map<string, D | null>(loaded.map((doc) => [doc._id, doc]));
      const touched = new Set<string>();
      for (const { event, id } of projected) {
        const current = changed.get(id) ?? null;
        const applied = (current as { lastPosition?: string } | null)?.lastPosition;
        if (applied !== undefined && applied >= sortablePosition(event.position)) continue;
        // A correction folds the stream again: its earlier events, read from the log (rare).
        const history = this.projection.needsHistory?.(event) ? await historyOf(this.events, event) : undefined;
        try {
          changed.set(id, this.projection.evolve(current, event, history));
        } catch (error) {
          throw new ProjectionFailed(error, event.position); // the poison event itself, not its batch
        }
        touched.add(id);
      }
      // One round trip for the batch's documents and cells (bulkWrite), then the checkpoint, in one transaction.
      const writes: BulkWriteOperation<D>[] = [...touched].map((id) => {
        const doc = changed.get(id);
        return doc ? { replaceOne: { filter: { _id: id }, replacement: doc, upsert: true } } : { deleteOne: { filter: { _id: id } } };
      });
      writes.push(...this.cellWrites(touched, new Map(loaded.map((doc) => [doc._id, doc])), changed));
      if (writes.length > 0) await documents.bulkWrite(writes);
      crashPoint('projector.before-checkpoint'); // documents and cells written, checkpoint not, nothing committed
      await writeCheckpoint(tx, this.collection, this.projection.version, last, this.clock());
    });
    this.position = last;
    for (const waiter of this.waiters) {
      if (waiter.position <= last) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }
}

/** A batch's span attributes: positions, and the command and correlation ids (never data) of its events. */
function batchAttributes(projection: string, batch: StoredEvent[]) {
  const commandIds = new Set<string>();
  const correlationIds = new Set<string>();
  for (const event of batch) {
    if (commandIds.size >= TRACED_COMMAND_IDS) break;
    commandIds.add(event.metadata.commandId);
    correlationIds.add(event.metadata.correlationId);
  }
  return {
    'vjt.projection': projection, 'vjt.events': batch.length,
    'vjt.position.first': batch[0].position.toString(), 'vjt.position.last': batch[batch.length - 1].position.toString(),
    'vjt.command.ids': [...commandIds], 'vjt.correlation_ids': [...correlationIds],
  };
}
