/**
 * Streams.Read of the EventStoreDB test double: finite reads here, subscriptions in
 * subscription.ts. Semantics follow EventStoreDB (23.10 / 24.x):
 *  - stream reads: forwards from start / end / revision R (R inclusive), backwards from end / R
 *    (R inclusive); a stream without events answers with a `stream_not_found` message, which the
 *    client turns into StreamNotFoundError while iterating.
 *  - $all reads: forwards from start / end / position P (the event AT P is included: events >= P);
 *    backwards from end / P (the event at P is EXCLUDED: events < P, as EventStoreDB's backward
 *    $all read only returns records that end at or before P). Optional server-side filter
 *    (this client version does not send filters on reads, but the protocol allows them).
 *  - every event carries its (commit, prepare) position, on stream reads too (EventStoreDB 22.10+).
 */
import { status, type ServerWritableStream } from '@grpc/grpc-js';
import { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { EventLog, StoredEvent } from './log';
import { compileFilter, type EventFilter } from './filters';
import { eventResponse, positionOf, rpcError, streamIdentifier, streamNameOf, u64, write } from './wire';
import type { SubscriptionRegistry } from './subscription';

export type ReadCall = ServerWritableStream<ReadReq, ReadResp>;

const Options = ReadReq.Options;

export function createReadHandler(log: EventLog, subscriptions: SubscriptionRegistry): (call: ReadCall) => void {
  return (call) => {
    read(log, subscriptions, call).catch((error: unknown) => {
      if (!call.cancelled) call.emit('error', isGrpcError(error) ? error : rpcError(status.INTERNAL, String(error)));
    });
  };
}

async function read(log: EventLog, subscriptions: SubscriptionRegistry, call: ReadCall): Promise<void> {
  const options = call.request.getOptions();
  if (!options) throw rpcError(status.INVALID_ARGUMENT, "Required argument 'options' is missing.");
  const uuidOption = options.getUuidOption();
  if (!uuidOption) throw rpcError(status.INVALID_ARGUMENT, "Required argument 'uuidOption' is missing.");
  const structuredIds = uuidOption.getContentCase() !== Options.UUIDOption.ContentCase.STRING;
  const filterOptions = options.getFilterOptionCase() === Options.FilterOptionCase.FILTER ? options.getFilter() : undefined;
  const backwards = options.getReadDirection() === Options.ReadDirection.BACKWARDS;

  if (options.getCountOptionCase() === Options.CountOptionCase.SUBSCRIPTION) {
    if (backwards) throw rpcError(status.INVALID_ARGUMENT, 'Subscriptions can only read forwards.');
    return subscriptions.start(call, options, structuredIds);
  }
  const count = u64(options.getCount());
  let events: StoredEvent[];
  if (options.getStreamOptionCase() === Options.StreamOptionCase.STREAM) {
    if (filterOptions) throw rpcError(status.INVALID_ARGUMENT, 'Filters are only supported when reading $all.');
    const streamOptions = options.getStream()!;
    const name = streamNameOf(streamOptions.getStreamIdentifier()) ?? '';
    const stream = log.stream(name);
    if (!stream) {
      const notFound = new ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(name));
      await write(call, new ReadResp().setStreamNotFound(notFound));
      call.end();
      return;
    }
    events = readStream(stream, streamOptions, backwards, count);
  } else if (options.getStreamOptionCase() === Options.StreamOptionCase.ALL) {
    const filter = filterOptions ? compileFilter(filterOptions) : undefined;
    events = readAll(log, options.getAll()!, backwards, count, filter);
  } else {
    throw rpcError(status.INVALID_ARGUMENT, 'Read needs a stream or $all.');
  }
  for (const event of events) {
    if (!(await write(call, eventResponse(event, structuredIds)))) return;
  }
  call.end();
}

function readStream(
  stream: readonly StoredEvent[],
  options: ReadReq.Options.StreamOptions,
  backwards: boolean,
  count: bigint,
): StoredEvent[] {
  const last = stream.length - 1;
  let from: number;
  switch (options.getRevisionOptionCase()) {
    case Options.StreamOptions.RevisionOptionCase.START:
      from = 0;
      break;
    case Options.StreamOptions.RevisionOptionCase.END:
      from = backwards ? last : stream.length;
      break;
    default: {
      const revision = u64(options.getRevision());
      from = revision > BigInt(stream.length) ? stream.length : Number(revision);
    }
  }
  return backwards ? take(stream, Math.min(from, last), -1, count) : take(stream, from, 1, count);
}

function readAll(
  log: EventLog,
  options: ReadReq.Options.AllOptions,
  backwards: boolean,
  count: bigint,
  filter: EventFilter | undefined,
): StoredEvent[] {
  const all = log.all;
  let from: number;
  switch (options.getAllOptionCase()) {
    case Options.AllOptions.AllOptionCase.START:
      from = backwards ? -1 : 0;
      break;
    case Options.AllOptions.AllOptionCase.END:
      from = backwards ? all.length - 1 : all.length;
      break;
    default: {
      const position = positionOf(options.getPosition() ?? new Options.Position());
      from = backwards ? log.indexFrom(position, true) - 1 : log.indexFrom(position, true);
    }
  }
  return take(all, from, backwards ? -1 : 1, count, filter);
}

function take(
  source: readonly StoredEvent[],
  from: number,
  step: 1 | -1,
  count: bigint,
  filter?: EventFilter,
): StoredEvent[] {
  const result: StoredEvent[] = [];
  for (let i = from; i >= 0 && i < source.length && BigInt(result.length) < count; i += step) {
    if (!filter || filter.matches(source[i])) result.push(source[i]);
  }
  return result;
}

function isGrpcError(error: unknown): error is Error & { code: number } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'number';
}
