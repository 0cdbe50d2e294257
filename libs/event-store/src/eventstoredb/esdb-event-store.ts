import {
  ANY, BACKWARDS, END, EventStoreDBClient, FORWARDS, jsonEvent, NO_STREAM, ResolvedEvent, START,
  STREAM_EXISTS, StreamNotFoundError, WrongExpectedVersionError, excludeSystemEvents, streamNameFilter,
} from '@eventstore/db-client';
import type { AppendExpectedRevision, Filter } from '@eventstore/db-client';
import { WrongExpectedRevisionError } from '../errors';
import type {
  AppendResult, EventMetadata, EventStore, EventToAppend, ExpectedRevision, GlobalPosition,
  IdempotencyClaim, IdempotencyRecord, ReadAllOptions, StoredEvent, SubscribeOptions, Subscription,
} from '../event-store.port';
import { EsdbIdempotencyLedger } from './esdb-idempotency-ledger';
import { packPosition, unpackPosition } from './esdb-positions';
import { EsdbSubscription } from './esdb-subscription';

export interface EsdbEventStoreOptions {
  /** As the client documents it, e.g. `esdb://node1:2113,node2:2113?tls=true&nodePreference=leader`; credentials and TLS options go in it. */
  connectionString: string;
  /**
   * Stream prefixes that readAll and subscribeToAll deliver (this product's categories, e.g.
   * `journey-`). Absent: every event that is not a system event.
   */
  streamPrefixes?: readonly string[];
  /** Events per read of $all (default 1000). */
  pageSize?: number;
}

/**
 * The event-store port on EventStoreDB through `@eventstore/db-client`. Positions are the
 * (commit, prepare) pair packed into one order-preserving bigint (esdb-positions.ts);
 * Idempotency-Keys are settled by a ledger stream per key (esdb-idempotency-ledger.ts).
 */
export class EsdbEventStore implements EventStore {
  readonly gapFreePositions = false;
  private readonly ledger: EsdbIdempotencyLedger;
  private readonly pageSize: number;

  private constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: EsdbEventStoreOptions,
  ) {
    this.ledger = new EsdbIdempotencyLedger(client, this);
    this.pageSize = options.pageSize ?? 1000;
  }

  static connect(options: EsdbEventStoreOptions): EsdbEventStore {
    return new EsdbEventStore(EventStoreDBClient.connectionString(options.connectionString), options);
  }

  async append(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision, claim?: IdempotencyClaim): Promise<AppendResult> {
    if (!claim) return this.appendEvents(streamId, events, expected);
    // The key travels in each event's metadata: the proof, in the stream itself, that this request was applied.
    const marked = events.map((e) => ({ ...e, metadata: { ...e.metadata, idempotencyKey: claim.key } }));
    return this.ledger.appendOnce(streamId, claim, () => this.appendEvents(streamId, marked, expected));
  }

  async readStream(streamId: string): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, { direction: FORWARDS, fromRevision: START })) {
        const event = toStoredEvent(resolved);
        if (event) events.push(event);
      }
    } catch (error) {
      // The client reports a missing stream while iterating; the port reads it as empty.
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  async *readAll(options: ReadAllOptions = {}): AsyncGenerator<StoredEvent> {
    let remaining = options.limit ?? Number.POSITIVE_INFINITY;
    for await (const event of this.scanAll(FORWARDS, options.after)) {
      yield event;
      if (--remaining <= 0) return;
    }
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    const source = this.client.subscribeToAll({ fromPosition: options.after === undefined ? START : unpackPosition(options.after), filter: this.filter() });
    return new EsdbSubscription(source, toStoredEvent);
  }

  findIdempotencyRecord(key: string): Promise<IdempotencyRecord | undefined> {
    return this.ledger.find(key);
  }

  async headPosition(): Promise<GlobalPosition | undefined> {
    for await (const event of this.scanAll(BACKWARDS, undefined)) return event.position;
    return undefined;
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  private async appendEvents(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    try {
      const result = await this.client.appendToStream(streamId, events.map((e) => jsonEvent({ id: e.id, type: e.type, data: e.data, metadata: e.metadata })), { expectedRevision: toExpected(expected) });
      if (!result.position) throw new Error(`EventStoreDB returned no position for an append to ${streamId}`);
      return { streamId, nextExpectedRevision: result.nextExpectedRevision, position: packPosition(result.position) };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        const actual = error.actualVersion;
        throw new WrongExpectedRevisionError(streamId, expected, typeof actual === 'bigint' ? actual : 'no_stream');
      }
      throw error;
    }
  }

  /**
   * Our events in $all, page by page, strictly after (forwards) or before (backwards) `from`.
   * This client version filters subscriptions on the server but not reads, so reads filter
   * here, moving the cursor past every event read, ours or not.
   */
  private async *scanAll(direction: typeof FORWARDS | typeof BACKWARDS, from: GlobalPosition | undefined): AsyncGenerator<StoredEvent> {
    let cursor = from;
    for (;;) {
      const fromPosition = cursor === undefined ? (direction === FORWARDS ? START : END) : unpackPosition(cursor);
      let read = 0;
      const page = this.client.readAll({ direction, fromPosition, maxCount: this.pageSize });
      try {
        for await (const resolved of page) {
          read++;
          if (!resolved.event?.position) continue;
          const position = packPosition(resolved.event.position);
          // A read from a position includes the event at it; the port's reads exclude it.
          if (cursor !== undefined && (direction === FORWARDS ? position <= cursor : position >= cursor)) continue;
          cursor = position;
          const event = toStoredEvent(resolved);
          if (event && this.isOurs(event)) yield event;
        }
      } finally {
        // A read left early (a limit reached, a head found) must be cancelled, or its gRPC
        // call stays open and the client's dispose() waits for it forever.
        await page.cancel();
      }
      if (read < this.pageSize) return;
    }
  }

  private isOurs(event: StoredEvent): boolean {
    const prefixes = this.options.streamPrefixes;
    if (prefixes?.length) return prefixes.some((p) => event.streamId.startsWith(p));
    return !event.type.startsWith('$') && !event.streamId.startsWith('$');
  }

  private filter(): Filter {
    const prefixes = this.options.streamPrefixes;
    return prefixes?.length ? streamNameFilter({ prefixes: [...prefixes] }) : excludeSystemEvents();
  }
}

function toExpected(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  if (expected === 'any') return ANY;
  return expected;
}

/** A resolved event as the port stores it; links and events without a position are not ours. */
function toStoredEvent(resolved: ResolvedEvent): StoredEvent | undefined {
  const event = resolved.event;
  if (!event || !event.isJson || !event.position) return undefined;
  return {
    id: event.id,
    streamId: event.streamId,
    revision: event.revision,
    position: packPosition(event.position),
    type: event.type,
    data: event.data as Record<string, unknown>,
    metadata: event.metadata as unknown as EventMetadata,
  };
}
