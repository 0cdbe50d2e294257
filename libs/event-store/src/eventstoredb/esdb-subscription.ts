import type { AllStreamSubscription, ResolvedEvent } from '@eventstore/db-client';
import type { StoredEvent, Subscription, SubscriptionMessage } from '../event-store.port';

/**
 * The client's subscription (a readable stream that also emits `caughtUp`) as the port's
 * async iterable of messages, in delivery order.
 *
 * EventStoreDB says "caught up" once, when the subscription turns live. The port's consumers
 * (the projector) commit a batch whenever they are told they are at the head, so once live,
 * this also signals caught_up whenever the events received so far have all been handed out.
 * A transport error (the server went away) ends the iteration by throwing: the subscriber
 * resubscribes from its own checkpoint.
 */
export class EsdbSubscription implements Subscription {
  private readonly queue: SubscriptionMessage[] = [];
  private live = false;
  private failure: unknown;
  private ended = false;
  private wake?: () => void;

  constructor(
    private readonly source: AllStreamSubscription,
    private readonly toStored: (resolved: ResolvedEvent) => StoredEvent | undefined,
  ) {
    source.on('data', (resolved: ResolvedEvent) => {
      const event = this.toStored(resolved);
      if (event) this.push({ kind: 'event', event });
    });
    source.on('caughtUp', () => {
      this.live = true;
      this.push({ kind: 'caught_up', position: this.lastPosition() });
    });
    source.on('error', (error: unknown) => this.finish(error));
    source.on('end', () => this.finish());
    source.on('close', () => this.finish());
  }

  async *[Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    let handedOutEvent = false;
    for (;;) {
      const next = this.queue.shift();
      if (next) {
        handedOutEvent = next.kind === 'event';
        if (next.kind === 'event') this.lastHandedOut = next.event.position;
        yield next;
        continue;
      }
      if (this.failure !== undefined) throw this.failure;
      if (this.ended) return;
      if (this.live && handedOutEvent) {
        handedOutEvent = false;
        yield { kind: 'caught_up', position: this.lastHandedOut };
        continue;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.source.unsubscribe().catch(() => undefined);
    this.wake?.();
  }

  private lastHandedOut: bigint | undefined;

  private lastPosition(): bigint | undefined {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const message = this.queue[i];
      if (message.kind === 'event') return message.event.position;
    }
    return this.lastHandedOut;
  }

  private push(message: SubscriptionMessage): void {
    this.queue.push(message);
    this.wake?.();
  }

  private finish(error?: unknown): void {
    if (this.ended && error === undefined) return;
    if (error !== undefined && !this.ended) this.failure = error;
    this.ended = true;
    this.wake?.();
  }
}
