/**
 * Catch-up-then-live subscriptions for the embedded store.
 *
 * A subscription never receives events pushed from the append path: it is only woken, and then
 * reads the next page from the database. That way the order it delivers is always the stored
 * order, a slow subscriber cannot make the writer buffer, and catching up after a burst is the
 * same code as catching up at start.
 */
import type { GlobalPosition, StoredEvent, Subscription, SubscriptionMessage } from '../event-store.port';

/** Wakes everyone waiting for the next committed append. No polling: waiters sleep on a promise. */
export class AppendSignal {
  private readonly waiters = new Set<() => void>();

  /** A promise settled by the next notify(), and a way to stop waiting for it. */
  next(): { promise: Promise<void>; cancel: () => void } {
    let wake!: () => void;
    const promise = new Promise<void>((resolve) => {
      wake = resolve;
    });
    this.waiters.add(wake);
    return {
      promise,
      cancel: () => {
        this.waiters.delete(wake);
        wake();
      },
    };
  }

  /** Called after a commit, never inside the transaction (a rolled-back append must wake nobody). */
  notify(): void {
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiting) wake();
  }
}

/** What a subscription needs from the store; all synchronous because better-sqlite3 is. */
export interface SubscriptionSource {
  readonly pageSize: number;
  /** Events strictly after `after`, in position order, at most `limit`. */
  readPage(after: GlobalPosition, limit: number): StoredEvent[];
  head(): GlobalPosition | undefined;
  readonly signal: AppendSignal;
}

/**
 * One subscriber's cursor over the global log. Positions are 0-based, so -1n precedes them all.
 * Iterable once: a second `for await` continues the same cursor.
 */
export class SqliteSubscription implements Subscription {
  private closed = false;
  private stopWaiting: (() => void) | undefined;
  private iterator: AsyncGenerator<SubscriptionMessage, void, undefined> | undefined;

  constructor(
    private readonly source: SubscriptionSource,
    private readonly after: GlobalPosition | undefined,
    private readonly onClosed: (subscription: SqliteSubscription) => void,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    this.iterator ??= this.run();
    return this.iterator;
  }

  /** Ends the iteration: a pending `next()` resolves as done, even while waiting for appends. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopWaiting?.();
    this.onClosed(this);
  }

  private async *run(): AsyncGenerator<SubscriptionMessage, void, undefined> {
    let cursor = this.after ?? -1n;
    // The first catch-up is always announced, even when there was nothing to deliver.
    let announce = true;
    try {
      while (!this.closed) {
        const page = this.source.readPage(cursor, this.source.pageSize);
        // Read in the same tick as the page, so it is the head the page reached.
        const headAtRead = this.source.head();
        for (const event of page) {
          cursor = event.position;
          announce = true;
          yield { kind: 'event', event };
          if (this.closed) return;
        }
        if (page.length === this.source.pageSize) continue;
        if (announce) {
          announce = false;
          yield { kind: 'caught_up', position: headAtRead };
          if (this.closed) return;
        }
        // Appends may have committed while the consumer held the last message.
        const head = this.source.head();
        if (head !== undefined && head > cursor) continue;
        await this.waitForAppend();
      }
    } finally {
      // Reached when the consumer breaks out of its loop too: release the store's reference.
      await this.close();
    }
  }

  private async waitForAppend(): Promise<void> {
    const { promise, cancel } = this.source.signal.next();
    this.stopWaiting = cancel;
    try {
      await promise;
    } finally {
      this.stopWaiting = undefined;
    }
  }
}
