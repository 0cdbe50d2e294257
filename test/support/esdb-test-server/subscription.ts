/**
 * Catch-up subscriptions (Streams.Read with `subscription`) of the EventStoreDB test double.
 *
 * Message order, as EventStoreDB 23.10+/24.x sends it:
 *   confirmation {subscription_id}
 *   historical events strictly AFTER the start (revision R / position P are exclusive)
 *   [filtered $all only] checkpoint at the last position scanned (or at P when nothing was)
 *   caught_up (empty message in this proto version)
 *   live events as they are appended, and [filtered only] a checkpoint every
 *   `max * checkpointIntervalMultiplier` events scanned (matching or not) — this counter runs
 *   through catch-up and live alike; a checkpoint is never sent twice or backwards.
 * From `end` there is no catch-up: caught_up follows the confirmation directly.
 * A stream subscription to a stream without events is not an error: it waits for the stream.
 * The call only ends when the client cancels or the server stops (then it is cut, not ended).
 * One cursor walks the log for both catch-up and live, so nothing is lost or duplicated between
 * the two phases, and writes wait for the transport to drain (backpressure).
 */
import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { comparePositions, type EventLog, type Position, type StoredEvent } from './log';
import { compileFilter, validateSubscriptionFilter, type EventFilter } from './filters';
import { eventResponse, positionOf, rpcError, streamNameOf, u64, write } from './wire';
import type { ReadCall } from './read-handler';

const Options = ReadReq.Options;

interface Start {
  readonly records: () => readonly StoredEvent[];
  readonly cursor: number;
  /** Events at or before this are never sent (exclusive start). */
  readonly isAfterStart: (event: StoredEvent) => boolean;
  /** Checkpoint to send at catch-up when nothing was scanned (a position start only). */
  readonly startPosition?: Position;
}

export class SubscriptionRegistry {
  private readonly active = new Set<Subscription>();

  constructor(private readonly log: EventLog) {}

  get size(): number {
    return this.active.size;
  }

  async start(call: ReadCall, options: ReadReq.Options, structuredIds: boolean): Promise<void> {
    let filter: EventFilter | undefined;
    let start: Start;
    if (options.getStreamOptionCase() === Options.StreamOptionCase.STREAM) {
      if (options.getFilterOptionCase() === Options.FilterOptionCase.FILTER) {
        throw rpcError(status.INVALID_ARGUMENT, 'Filters are only supported when subscribing to $all.');
      }
      start = this.streamStart(options.getStream()!);
    } else if (options.getStreamOptionCase() === Options.StreamOptionCase.ALL) {
      if (options.getFilterOptionCase() === Options.FilterOptionCase.FILTER) {
        validateSubscriptionFilter(options.getFilter()!);
        filter = compileFilter(options.getFilter()!);
      }
      start = this.allStart(options.getAll()!);
    } else {
      throw rpcError(status.INVALID_ARGUMENT, 'Subscribe needs a stream or $all.');
    }
    const subscription = new Subscription(this.log, call, start, filter, structuredIds);
    this.active.add(subscription);
    try {
      await subscription.run();
    } finally {
      this.active.delete(subscription);
    }
  }

  /** Stops every running subscription loop (the server stop cuts the calls themselves). */
  closeAll(): void {
    for (const subscription of this.active) subscription.close();
  }

  private streamStart(options: ReadReq.Options.StreamOptions): Start {
    const name = streamNameOf(options.getStreamIdentifier()) ?? '';
    const records = () => this.log.stream(name) ?? [];
    let after: bigint;
    switch (options.getRevisionOptionCase()) {
      case Options.StreamOptions.RevisionOptionCase.START:
        after = -1n;
        break;
      case Options.StreamOptions.RevisionOptionCase.END:
        after = BigInt(records().length - 1);
        break;
      default:
        after = u64(options.getRevision());
    }
    const cursor = after + 1n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(after + 1n);
    return { records, cursor, isAfterStart: (event) => event.revision > after };
  }

  private allStart(options: ReadReq.Options.AllOptions): Start {
    const records = () => this.log.all;
    switch (options.getAllOptionCase()) {
      case Options.AllOptions.AllOptionCase.START:
        return { records, cursor: 0, isAfterStart: () => true };
      case Options.AllOptions.AllOptionCase.END: {
        const cursor = this.log.all.length;
        return { records, cursor, isAfterStart: () => true };
      }
      default: {
        const after = positionOf(options.getPosition() ?? new Options.Position());
        const cursor = this.log.indexFrom(after, false);
        return { records, cursor, isAfterStart: (event) => comparePositions(event, after) > 0, startPosition: after };
      }
    }
  }
}

class Subscription {
  private closed = false;
  private waiter?: () => void;
  private cursor: number;
  private scanned = 0;
  private lastScanned?: Position;
  private lastCheckpoint?: Position;

  constructor(
    private readonly log: EventLog,
    private readonly call: ReadCall,
    private readonly start: Start,
    private readonly filter: EventFilter | undefined,
    private readonly structuredIds: boolean,
  ) {
    this.cursor = start.cursor;
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  async run(): Promise<void> {
    const stopListening = this.log.onAppend(() => this.wake());
    const onCancelled = () => this.close();
    this.call.on('cancelled', onCancelled);
    try {
      const confirmation = new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID());
      if (!(await this.send(new ReadResp().setConfirmation(confirmation)))) return;
      let caughtUp = false;
      while (!this.closed) {
        if (!(await this.drain())) return;
        if (!caughtUp) {
          caughtUp = true;
          const at = this.lastScanned ?? this.start.startPosition;
          if (this.filter && at && !(await this.checkpoint(at))) return;
          if (!(await this.send(new ReadResp().setCaughtUp(new ReadResp.CaughtUp())))) return;
          continue; // events may have been appended while those were written
        }
        if (this.cursor < this.start.records().length || this.closed) continue;
        await new Promise<void>((resolve) => (this.waiter = resolve));
      }
    } finally {
      stopListening();
      this.call.off('cancelled', onCancelled);
    }
  }

  /** Sends every event the cursor has not passed yet. False once the call is gone. */
  private async drain(): Promise<boolean> {
    const records = this.start.records();
    while (this.cursor < records.length) {
      if (this.closed) return false;
      const event = records[this.cursor++];
      if (!this.start.isAfterStart(event)) continue;
      if (!this.filter) {
        if (!(await this.send(eventResponse(event, this.structuredIds)))) return false;
        continue;
      }
      if (this.filter.matches(event) && !(await this.send(eventResponse(event, this.structuredIds)))) return false;
      this.lastScanned = event;
      if (++this.scanned >= this.filter.checkpointInterval) {
        this.scanned = 0;
        if (!(await this.checkpoint(event))) return false;
      }
    }
    return !this.closed;
  }

  private checkpoint(position: Position): Promise<boolean> {
    if (this.lastCheckpoint && comparePositions(position, this.lastCheckpoint) <= 0) return Promise.resolve(true);
    this.lastCheckpoint = { commit: position.commit, prepare: position.prepare };
    const checkpoint = new ReadResp.Checkpoint()
      .setCommitPosition(position.commit.toString())
      .setPreparePosition(position.prepare.toString());
    return this.send(new ReadResp().setCheckpoint(checkpoint));
  }

  private async send(message: ReadResp): Promise<boolean> {
    if (this.closed) return false;
    return write(this.call, message);
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}
