/**
 * The event-store port: the only way the application touches stored events.
 *
 * Narrow on purpose (read a stream, append, read the global log, subscribe to it) so that
 * the embedded SQLite store and EventStoreDB can both sit behind it and pass one contract
 * suite. Positions are `bigint` so that no backend's position is ever squeezed through a
 * JS number.
 */

/** Where a stream must be for an append to go ahead (EventStoreDB's four expectations). */
export type ExpectedRevision =
  /** The stream must not exist yet. */
  | 'no_stream'
  /** The stream must exist (any revision). */
  | 'stream_exists'
  /** No check. */
  | 'any'
  /** The stream's last event must have exactly this revision (0-based). */
  | bigint;

/** Position of an event in the global log. Strictly increasing; gap-free in the embedded store. */
export type GlobalPosition = bigint;

/** Who recorded an event and on whose behalf; stored with every event, never in the payload. */
export interface EventMetadata {
  /** Server clock when the command was accepted (ISO 8601 instant). Never used for ordering. */
  recordedAt: string;
  recordedBy: { userId: string; role: string; organisationId: string };
  commandId: string;
  correlationId: string;
  schemaVersion: number;
  /** The Idempotency-Key the command arrived with, if any. */
  idempotencyKey?: string;
}

/** An event as the application hands it to the store. */
export interface EventToAppend {
  /** Unique id (UUID). Stable across retries of the same append. */
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

/** An event as stored. */
export interface StoredEvent {
  id: string;
  streamId: string;
  /** 0-based index of the event in its stream. */
  revision: bigint;
  position: GlobalPosition;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

/**
 * Ties an append to a client's Idempotency-Key. The store records the key in the same
 * atomic write as the events, permanently, so a retry can never append twice.
 */
export interface IdempotencyClaim {
  key: string;
  /** Hash of what the key was first used for (command type, journey, canonical body). */
  requestHash: string;
}

/** What an append produced; also what an idempotent retry gets back. */
export interface AppendResult {
  streamId: string;
  /** Revision of the last event appended. */
  nextExpectedRevision: bigint;
  /** Global position of the last event appended. */
  position: GlobalPosition;
}

/** A recorded use of an Idempotency-Key. */
export interface IdempotencyRecord extends AppendResult {
  key: string;
  requestHash: string;
}

export interface ReadAllOptions {
  /** Read events strictly after this position; absent means from the start. */
  after?: GlobalPosition;
  /** At most this many events (default: all). */
  limit?: number;
}

export interface SubscribeOptions {
  /** Deliver events strictly after this position; absent means from the start. */
  after?: GlobalPosition;
}

/** One message from a subscription: an event, or the signal that delivery reached the head. */
export type SubscriptionMessage =
  | { kind: 'event'; event: StoredEvent }
  /** Every event that existed when the subscriber fell in line has been delivered. Sent each time the subscription catches up again. */
  | { kind: 'caught_up'; position: GlobalPosition | undefined };

/** A live catch-up subscription; iterate it, and close it when done. */
export interface Subscription extends AsyncIterable<SubscriptionMessage> {
  close(): Promise<void>;
}

export interface EventStore {
  /**
   * True when positions count events, gap-free (the embedded store), so that
   * `head - position` is a lag in events. EventStoreDB positions are log offsets: false.
   */
  readonly gapFreePositions: boolean;

  /**
   * Appends events atomically to one stream if it is where `expected` says.
   * @throws WrongExpectedRevisionError when it is not (nothing is appended).
   * @throws IdempotencyKeyReusedError when `claim.key` was already used with another request hash.
   * @throws IdempotencyKeyAlreadyUsedError when `claim.key` was already used for the same request
   *   (nothing is appended; the error carries the original result).
   */
  append(
    streamId: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
    claim?: IdempotencyClaim,
  ): Promise<AppendResult>;

  /** Every event of a stream in revision order; an unknown stream reads as empty. */
  readStream(streamId: string): Promise<StoredEvent[]>;

  /** The global log in position order, in pages. */
  readAll(options?: ReadAllOptions): AsyncIterable<StoredEvent>;

  /** Catch-up then live subscription to the global log. */
  subscribeToAll(options?: SubscribeOptions): Subscription;

  /** The record of an Idempotency-Key, if it was ever used. */
  findIdempotencyRecord(key: string): Promise<IdempotencyRecord | undefined>;

  /** Position of the last event in the global log, or undefined when it is empty. */
  headPosition(): Promise<GlobalPosition | undefined>;

  close(): Promise<void>;
}
