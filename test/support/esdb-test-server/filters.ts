/**
 * Server-side $all filters of the EventStoreDB test double, as EventStoreDB applies them:
 *  - on the stream name or on the event type; a regex (unanchored match, like .NET's
 *    Regex.Match) when one is given, otherwise a list of prefixes (any may match);
 *  - every filter on $all also applies EventStoreDB's default $all rule: non-system streams
 *    pass; of the `$` streams, `$epoch-information` and persistent-subscription checkpoint and
 *    parked streams for $all are hidden. (The client's excludeSystemEvents() is an event-type
 *    regex `^[^$].*`, so it drops every event whose type starts with `$`.)
 *  - the checkpoint interval of a filtered subscription is `max` (search window, default 32 when
 *    the client sends `count`) times checkpointIntervalMultiplier, counted in events scanned.
 */
import { status } from '@grpc/grpc-js';
import { ReadReq } from '@eventstore/db-client/generated/streams_pb';
import type { StoredEvent } from './log';
import { rpcError } from './wire';

const DEFAULT_SEARCH_WINDOW = 32; // EventStoreDB's ReadBatchSize

export interface EventFilter {
  matches(event: StoredEvent): boolean;
  /** Events scanned between two checkpoints of a filtered subscription. */
  readonly checkpointInterval: number;
}

type FilterOptions = ReadReq.Options.FilterOptions;

export function compileFilter(options: FilterOptions): EventFilter {
  const onStream = options.getFilterCase() === ReadReq.Options.FilterOptions.FilterCase.STREAM_IDENTIFIER;
  const expression = onStream ? options.getStreamIdentifier() : options.getEventType();
  if (!expression) throw rpcError(status.INVALID_ARGUMENT, 'Filter must be on stream identifier or event type.');
  const field = (event: StoredEvent) => (onStream ? event.streamId : event.type);
  let test: (value: string) => boolean;
  const regex = expression.getRegex();
  if (regex) {
    let compiled: RegExp;
    try {
      compiled = new RegExp(regex);
    } catch (error) {
      throw rpcError(status.INVALID_ARGUMENT, `Invalid filter regex: ${(error as Error).message}`);
    }
    test = (value) => compiled.test(value);
  } else {
    const prefixes = expression.getPrefixList();
    test = (value) => prefixes.some((prefix) => value.startsWith(prefix));
  }
  const window =
    options.getWindowCase() === ReadReq.Options.FilterOptions.WindowCase.MAX ? options.getMax() : DEFAULT_SEARCH_WINDOW;
  const multiplier = options.getCheckpointintervalmultiplier();
  return {
    matches: (event) => passesDefaultAllFilter(event) && test(field(event)),
    checkpointInterval: Math.max(1, window) * Math.max(1, multiplier),
  };
}

export function validateSubscriptionFilter(options: FilterOptions): void {
  if (options.getCheckpointintervalmultiplier() === 0) {
    throw rpcError(status.INVALID_ARGUMENT, 'checkpointIntervalMultiplier must be greater than zero.');
  }
}

/** EventStoreDB's DefaultAllFilterStrategy. */
export function passesDefaultAllFilter(event: StoredEvent): boolean {
  const stream = event.streamId;
  if (!stream.startsWith('$')) return true;
  if (stream === '$epoch-information') return false;
  const persistentAll = '$persistentsubscription-$all::';
  if (stream.startsWith(persistentAll) && (stream.endsWith('-checkpoint') || stream.endsWith('-parked'))) return false;
  return true;
}
