import type { EventStore, StoredEvent, Subscription } from '../../../libs/event-store/src/event-store.port';
import type { ReadStore } from '../../../libs/read-store/src/read-store.port';
import type { DocumentProjection } from '../../../projections/projection';
import { readCheckpoint, writeCheckpoint } from './checkpoints';
import { toProjectedEvent } from './projected-events';

export interface ProjectionStatus {
  name: string;
  version: number;
  /** Last position applied, or null before the first event. */
  position: string | null;
  caughtUp: boolean;
  running: boolean;
  lastError: { message: string; position: string } | null;
}

/**
 * Runs one projection: a catch-up subscription from its checkpoint, applied in batches.
 * Each batch's documents and the new checkpoint commit in one read-store transaction, and a
 * document already at or past an event's position is left alone, so neither a crash nor a
 * replay can double-count.
 */
export class ProjectionRunner<D extends { _id: string }> {
  private position: bigint | undefined;
  private caughtUp = false;
  private subscription?: Subscription;
  private loop?: Promise<void>;
  private lastError: ProjectionStatus['lastError'] = null;
  private readonly waiters = new Set<{ position: bigint; resolve: () => void }>();

  constructor(
    private readonly projection: DocumentProjection<D>,
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    private readonly batchSize: number,
    private readonly clock: () => string = () => new Date().toISOString(),
  ) {}

  async start(): Promise<void> {
    await this.readStore.ensureIndexes(this.projection.collection, this.projection.indexes);
    this.position = await readCheckpoint(this.readStore, this.projection.name);
    this.subscription = this.events.subscribeToAll({ after: this.position });
    this.loop = this.consume(this.subscription);
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    await this.loop;
  }

  status(): ProjectionStatus {
    return {
      name: this.projection.name,
      version: this.projection.version,
      position: this.position?.toString() ?? null,
      caughtUp: this.caughtUp,
      running: this.loop !== undefined && this.lastError === null,
      lastError: this.lastError,
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

  private async consume(subscription: Subscription): Promise<void> {
    let batch: StoredEvent[] = [];
    try {
      for await (const message of subscription) {
        if (message.kind === 'event') {
          batch.push(message.event);
          if (batch.length < this.batchSize) continue;
        } else {
          this.caughtUp = true;
        }
        await this.apply(batch);
        batch = [];
      }
      await this.apply(batch);
    } catch (error) {
      // A poison event stops this projection only; its position and error show in status.
      this.lastError = { message: error instanceof Error ? error.message : String(error), position: String(batch[0]?.position ?? this.position) };
    }
  }

  private async apply(batch: StoredEvent[]): Promise<void> {
    if (batch.length === 0) return;
    const last = batch[batch.length - 1].position;
    await this.readStore.withTransaction(async (tx) => {
      const documents = tx.collection<D>(this.projection.collection);
      const changed = new Map<string, D | null>();
      for (const stored of batch) {
        const event = toProjectedEvent(stored);
        const id = event && this.projection.documentId(event);
        if (!event || id === undefined) continue;
        const current = changed.has(id) ? changed.get(id)! : await documents.findOne({ _id: id });
        if (current && (current as { lastPosition?: number }).lastPosition! >= Number(event.position)) continue;
        changed.set(id, this.projection.evolve(current, event));
      }
      for (const [id, doc] of changed) {
        if (doc) await documents.replaceOne({ _id: id }, doc, { upsert: true });
        else await documents.deleteOne({ _id: id });
      }
      await writeCheckpoint(tx, this.projection.name, this.projection.version, last, this.clock());
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
