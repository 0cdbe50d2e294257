/**
 * The LedgerKeeper follows the event store from the ledger's own end and ledgers every event
 * (ledger-append.ts), in batches, each in one read-store transaction. With a signing key it
 * also signs heads: every `headIntervalMs` when something new was ledgered, once after first
 * catching up if that catch-up ledgered anything (events appended while no keeper ran), and on
 * demand. It runs wherever the projector runs (apps/projector/src/projector.ts).
 *
 * Followers, not appenders, keep the chain because EventStoreDB cannot give a global previous
 * hash at append time when several processes append; the log's order is only known once
 * written. So the chain works the same on both event stores.
 */
import type { EventStore, StoredEvent, Subscription } from '../../event-store/src/event-store.port';
import type { ReadStore } from '../../read-store/src/read-store.port';
import { appendToLedger } from './ledger-append';
import { readLedgerState } from './ledger';
import { latestHead, signHead, type SignedHead, type SignHeadOptions } from './signed-heads';
import type { AuditSigningKey } from './signing-key';
import { crashPoint } from '../../crash-points/src/crash-point';

export interface LedgerKeeperOptions {
  /** Events per read-store transaction, at most. @default 500 */
  batchSize?: number;
  /** Backoff before resubscribing after a failure: doubles from min to max. @default 100, 5000 */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** Signs heads when given; without it the keeper keeps the ledger only. */
  signingKey?: AuditSigningKey;
  /** How often a head is signed if anything new was ledgered (0: only after catching up and on demand). @default 60000 */
  headIntervalMs?: number;
  clock?: () => string;
  log?: { log(message: string): void; warn(message: string): void; error(message: string): void };
}

export interface LedgerKeeperStatus {
  position: string | null;
  caughtUp: boolean;
  connected: boolean;
  /** Alarms raised since this keeper started (all are kept in `audit_alarms`). */
  alarms: number;
  lastHead: SignedHead | null;
  lastError: string | null;
}

export class LedgerKeeper {
  private position: bigint | undefined;
  private caughtUp = false;
  private signedAfterCatchUp = false;
  /** Whether this keeper has ledgered anything but heads since it started. */
  private ledgeredContent = false;
  private connected = false;
  private stopped = false;
  private alarms = 0;
  private lastError: string | null = null;
  private lastHead: SignedHead | null = null;
  /** Positions of the last content (not a head) ledgered and of the last head: a head is due when the first is past the second. */
  private contentUpTo = -1n;
  private signedUpTo = -1n;
  private subscription?: Subscription;
  private signing?: Promise<unknown>;
  private loop?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private wake?: () => void;
  private failures = 0;
  private readonly options: Required<Omit<LedgerKeeperOptions, 'signingKey' | 'log'>> & Pick<LedgerKeeperOptions, 'signingKey' | 'log'>;

  constructor(
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    options: LedgerKeeperOptions = {},
  ) {
    this.options = {
      ...options,
      batchSize: options.batchSize ?? 500, retryMinMs: options.retryMinMs ?? 100, retryMaxMs: options.retryMaxMs ?? 5000,
      headIntervalMs: options.headIntervalMs ?? 60_000, clock: options.clock ?? (() => new Date().toISOString()),
    };
  }

  async start(): Promise<void> {
    const state = await readLedgerState(this.readStore);
    this.position = state ? BigInt(state.position) : undefined;
    this.lastHead = await latestHead(this.readStore);
    this.signedUpTo = this.lastHead ? BigInt(this.lastHead.position) : -1n;
    // Past the last head there is its own event; anything more may be content still to sign.
    const position = this.position ?? -1n;
    this.contentUpTo = !this.lastHead || position > this.signedUpTo + 1n ? position : this.signedUpTo;
    this.loop = this.run();
    if (this.options.signingKey && this.options.headIntervalMs > 0) this.scheduleHead();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.wake?.();
    await this.subscription?.close();
    await this.loop;
    await this.signing;
  }

  /** Resolves once the keeper has first reached the head of the log (or stopped). */
  async caughtUpOnce(): Promise<void> {
    while (!this.caughtUp && !this.stopped) await new Promise((r) => setTimeout(r, 20));
  }

  status(): LedgerKeeperStatus {
    return { position: this.position?.toString() ?? null, caughtUp: this.caughtUp, connected: this.connected, alarms: this.alarms, lastHead: this.lastHead, lastError: this.lastError };
  }

  /** Signs the ledger's end now (undefined when nothing is ledgered yet). */
  async signNow(options: SignHeadOptions = {}): Promise<SignedHead | undefined> {
    if (!this.options.signingKey) throw new Error('This ledger keeper has no signing key');
    const head = await signHead(this.events, this.readStore, this.options.signingKey, { now: this.options.clock(), ...options });
    if (head) {
      this.lastHead = head;
      if (BigInt(head.position) > this.signedUpTo) this.signedUpTo = BigInt(head.position);
    }
    return head;
  }

  private signIfDue(): Promise<unknown> {
    if (!this.options.signingKey || this.stopped || this.contentUpTo <= this.signedUpTo) return Promise.resolve();
    this.signing = this.signNow().catch((error) => this.options.log?.warn(`Could not sign an audit head: ${message(error)}`));
    return this.signing;
  }

  private scheduleHead(): void {
    this.timer = setTimeout(async () => {
      await this.signIfDue();
      if (!this.stopped) this.scheduleHead();
    }, this.options.headIntervalMs);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const subscription = (this.subscription = this.events.subscribeToAll({ after: this.position }));
      this.connected = true;
      try {
        await this.consume(subscription);
      } catch (error) {
        this.failures++;
        this.lastError = message(error);
        this.options.log?.warn(`Audit ledger stopped at ${this.position ?? 'the start'}, resuming shortly: ${this.lastError}`);
      }
      this.connected = false;
      await subscription.close().catch(() => undefined);
      if (this.stopped) return;
      await this.backoff(Math.min(this.options.retryMinMs * 2 ** Math.min(this.failures - 1, 30), this.options.retryMaxMs));
      // Resume from what was committed: an uncommitted batch is simply delivered again.
      const state = await readLedgerState(this.readStore).catch(() => undefined);
      if (state !== undefined) this.position = state ? BigInt(state.position) : undefined;
    }
  }

  private async consume(subscription: Subscription): Promise<void> {
    let batch: StoredEvent[] = [];
    for await (const message of subscription) {
      if (message.kind === 'event') {
        batch.push(message.event);
        if (batch.length < this.options.batchSize) continue;
      }
      await this.apply(batch);
      batch = [];
      if (message.kind === 'caught_up') {
        this.caughtUp = true;
        if (!this.signedAfterCatchUp) {
          this.signedAfterCatchUp = true;
          if (this.ledgeredContent) await this.signIfDue();
        }
      }
      // The embedded stores answer synchronously: let the event loop breathe between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (this.stopped) await this.apply(batch);
  }

  private async apply(batch: StoredEvent[]): Promise<void> {
    if (batch.length === 0) return;
    const now = this.options.clock();
    const result = await this.readStore.withTransaction((tx) => appendToLedger(tx, batch, { gapFree: this.events.gapFreePositions, now }));
    crashPoint('ledger-keeper.after-commit'); // the batch is committed; the keeper's position has not moved on
    this.position = result.position;
    this.failures = 0;
    this.lastError = null;
    if (result.contentUpTo !== undefined) this.ledgeredContent = true;
    if (result.contentUpTo !== undefined && result.contentUpTo > this.contentUpTo) this.contentUpTo = result.contentUpTo;
    for (const alarm of result.alarms) {
      this.alarms++;
      this.options.log?.error(`AUDIT ALARM ${alarm.kind} at position ${alarm.position} (${alarm.streamId}): ${alarm.detail}`);
    }
  }

  private backoff(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
