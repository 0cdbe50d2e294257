/// <reference types="jest" />
/**
 * Helpers for the event-store contract suite. They only use the port, so that every adapter
 * (embedded SQLite, EventStoreDB) is held to the same promises.
 *
 * The store under test may already hold events (a shared server), so tests use fresh stream
 * ids and keys, and look at the global log only after the head they saw before starting.
 */
import { randomUUID } from 'node:crypto';
import type {
  EventStore,
  EventToAppend,
  GlobalPosition,
  StoredEvent,
  Subscription,
  SubscriptionMessage,
} from '../event-store.port';

/** The store of the running test; a new one is made for each test. */
export type StoreUnderTest = () => EventStore;

/** A stream id no other test (or earlier run against a shared server) has used. */
export function freshStreamId(prefix = 'contract'): string {
  return `${prefix}-${randomUUID()}`;
}

/** A well-formed event; `data` defaults to a small object. */
export function anEvent(data: Record<string, unknown> = { n: 1 }, type = 'ContractEventRecorded'): EventToAppend {
  return {
    id: randomUUID(),
    type,
    data,
    metadata: {
      recordedAt: new Date().toISOString(),
      recordedBy: { userId: 'user-1', role: 'caseworker', organisationId: 'org-1' },
      commandId: randomUUID(),
      correlationId: randomUUID(),
      schemaVersion: 1,
    },
  };
}

/** `count` events whose data records their index. */
export function someEvents(count: number, from = 0): EventToAppend[] {
  return Array.from({ length: count }, (_, i) => anEvent({ n: from + i }));
}

/** Awaits a promise that must reject with `type`, and returns the error for further checks. */
export async function rejectionOf<E extends Error>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  let outcome: unknown;
  try {
    await promise;
  } catch (error) {
    outcome = error;
  }
  expect(outcome).toBeInstanceOf(type);
  return outcome as E;
}

/** Every event after `after` that belongs to one of `streams`, in the order readAll gives. */
export async function readAllOf(
  store: EventStore,
  streams: readonly string[],
  options: { after?: GlobalPosition; limit?: number } = {},
): Promise<StoredEvent[]> {
  const read: StoredEvent[] = [];
  for await (const event of store.readAll(options)) {
    if (streams.includes(event.streamId)) read.push(event);
  }
  return read;
}

export function expectStrictlyIncreasing(positions: readonly GlobalPosition[]): void {
  for (let i = 1; i < positions.length; i += 1) expect(positions[i] > positions[i - 1]).toBe(true);
}

/**
 * Reads one subscription's messages across several calls: pull until `done` says so, keeping
 * only caught_up signals and events of `streams` (a shared store has others).
 */
export class SubscriptionReader {
  readonly received: SubscriptionMessage[] = [];
  private readonly iterator: AsyncIterator<SubscriptionMessage>;

  constructor(
    readonly subscription: Subscription,
    private readonly streams: readonly string[],
  ) {
    this.iterator = subscription[Symbol.asyncIterator]();
  }

  /** Pulls messages until `done(newMessages)` holds; fails after `timeoutMs`. */
  async until(done: (messages: SubscriptionMessage[]) => boolean, timeoutMs = 5000): Promise<SubscriptionMessage[]> {
    const fresh: SubscriptionMessage[] = [];
    const deadline = Date.now() + timeoutMs;
    while (!done(fresh)) {
      const next = await this.next(deadline - Date.now());
      if (next.done) throw new Error(`The subscription ended; received so far: ${summarise(fresh)}`);
      const message = next.value;
      if (message.kind === 'event' && !this.streams.includes(message.event.streamId)) continue;
      fresh.push(message);
      this.received.push(message);
    }
    return fresh;
  }

  /** The next raw message, or a failure once `timeoutMs` has passed. */
  async next(timeoutMs: number): Promise<IteratorResult<SubscriptionMessage>> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`No subscription message within ${timeoutMs} ms`)), Math.max(timeoutMs, 0));
    });
    try {
      return await Promise.race([this.iterator.next(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function summarise(messages: SubscriptionMessage[]): string {
  return messages.map((m) => (m.kind === 'event' ? `event@${m.event.position}` : 'caught_up')).join(', ') || 'nothing';
}

/** Ids of the events among `messages`. */
export function eventIds(messages: readonly SubscriptionMessage[]): string[] {
  return messages.flatMap((m) => (m.kind === 'event' ? [m.event.id] : []));
}

export function countEvents(messages: readonly SubscriptionMessage[]): number {
  return eventIds(messages).length;
}

/** Index of the first caught_up signal, or -1. */
export function caughtUpIndex(messages: readonly SubscriptionMessage[]): number {
  return messages.findIndex((m) => m.kind === 'caught_up');
}
