/**
 * Applies PersonalDataErased events to the key store: the event is the durable record that a
 * person's data must be gone, the destroyed key is how it goes.
 *
 * Why not just destroy the key where the command is handled? That happens too, but the event
 * is what survives: a crash between the append and the destroy, or a key store restored from
 * a backup taken before the erasure, would otherwise bring the key back for good. So the key
 * store records how far in the global log erasures have been applied (its own checkpoint,
 * restored along with it), and `catchUp` at start-up destroys again every key erased since.
 */
import type { EventStore, GlobalPosition, StoredEvent } from '../../event-store/src/event-store.port';
import type { DataKeyStore } from './data-key-store.port';
import type { PersonalDataVault } from './personal-data-vault';

/** The event type that erases a journey's personal data. */
export const PERSONAL_DATA_ERASED = 'PersonalDataErased';
const JOURNEY_STREAM_PREFIX = 'journey-';
/** While following, the checkpoint is saved every `checkpointEvery` events and, when caught up, at most this often. */
const CAUGHT_UP_SAVE_INTERVAL_MS = 5000;

export interface ErasureEnforcerOptions {
  events: EventStore;
  vault: PersonalDataVault;
  store: DataKeyStore;
  /** Save the checkpoint after this many events read. @default 1000 */
  checkpointEvery?: number;
}

/** A running `follow`. */
export interface ErasureFollower {
  /** Ends the subscription and waits for the loop; rejects with the loop's error if it failed. */
  stop(): Promise<void>;
}

/** The journey whose data this event erases, or undefined for any other event. */
export function erasedJourneyOf(event: StoredEvent): string | undefined {
  if (event.type !== PERSONAL_DATA_ERASED || !event.streamId.startsWith(JOURNEY_STREAM_PREFIX)) return undefined;
  return event.streamId.slice(JOURNEY_STREAM_PREFIX.length);
}

export class ErasureEnforcer {
  private readonly checkpointEvery: number;

  constructor(private readonly options: ErasureEnforcerOptions) {
    this.checkpointEvery = options.checkpointEvery ?? 1000;
    if (!Number.isInteger(this.checkpointEvery) || this.checkpointEvery < 1) throw new RangeError('checkpointEvery must be a positive integer');
  }

  /**
   * Reads the global log from the key store's checkpoint to the head, erasing each journey
   * a PersonalDataErased event names, and saves the checkpoint as it goes and at the end.
   * Run it at start-up, before serving reads. Idempotent: erasing twice changes nothing.
   */
  async catchUp(): Promise<{ applied: number; position: string | null }> {
    const start = await this.options.store.erasureCheckpoint();
    const progress = new Progress(this.options.store, start, this.checkpointEvery);
    for await (const event of this.options.events.readAll({ after: start === null ? undefined : BigInt(start) })) {
      await this.apply(event, progress);
    }
    await progress.save();
    return { applied: progress.applied, position: progress.position };
  }

  /**
   * Follows the global log live from the checkpoint, erasing as erasures are recorded by any
   * process, and dropping the key from this process's cache first (`vault.forget`), so that a
   * process sharing the key store stops opening the journey's data as soon as it sees the
   * event. On an error the loop stops and `onError` hears of it; restart it to resume.
   */
  follow(onError: (error: unknown) => void = () => undefined): ErasureFollower {
    let subscription: { close(): Promise<void> } | undefined;
    let stopped = false;
    const loop = (async () => {
      const start = await this.options.store.erasureCheckpoint();
      const progress = new Progress(this.options.store, start, this.checkpointEvery);
      if (stopped) return;
      const live = (subscription = this.options.events.subscribeToAll({ after: start === null ? undefined : BigInt(start) }));
      for await (const message of live) {
        // Caught up after each live batch: saving then would cost the key store a sync per batch.
        if (message.kind === 'event') await this.apply(message.event, progress);
        else await progress.saveIfOlderThan(CAUGHT_UP_SAVE_INTERVAL_MS);
      }
      await progress.save();
    })();
    const failure = loop.then(() => undefined, (error: unknown) => {
      onError(error);
      return { error };
    });
    return {
      stop: async () => {
        stopped = true;
        await subscription?.close();
        const failed = await failure;
        if (failed) throw failed.error;
      },
    };
  }

  private async apply(event: StoredEvent, progress: Progress): Promise<void> {
    const journeyId = erasedJourneyOf(event);
    if (journeyId !== undefined) {
      this.options.vault.forget(journeyId);
      await this.options.vault.erase(journeyId);
      progress.applied++;
    }
    await progress.advance(event.position);
    // An erasure is rare and already cost a sync: record at once that it is applied.
    if (journeyId !== undefined) await progress.save();
  }
}

/** How far a pass has got, and when to save it; saves only after the erasures before it. */
class Progress {
  applied = 0;
  private unsaved = 0;
  private savedAt = Date.now();

  constructor(
    private readonly store: DataKeyStore,
    public position: string | null,
    private readonly every: number,
  ) {}

  async advance(position: GlobalPosition): Promise<void> {
    this.position = position.toString();
    if (++this.unsaved >= this.every) await this.save();
  }

  async save(): Promise<void> {
    if (this.unsaved === 0 || this.position === null) return;
    await this.store.saveErasureCheckpoint(this.position);
    this.unsaved = 0;
    this.savedAt = Date.now();
  }

  async saveIfOlderThan(ms: number): Promise<void> {
    if (Date.now() - this.savedAt >= ms) await this.save();
  }
}
