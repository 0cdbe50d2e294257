/**
 * Helpers for the EsdbTestServer specs: record what a real-client subscription emits, and call
 * Streams.Read directly (the client's readAll cannot send a server-side filter).
 */
import { credentials } from '@grpc/grpc-js';
import type { Position, ResolvedEvent, StreamSubscription, AllStreamSubscription } from '@eventstore/db-client';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { StreamsClient } from '@eventstore/db-client/generated/streams_grpc_pb';
import { ReadReq, type ReadResp } from '@eventstore/db-client/generated/streams_pb';

export type Seen =
  | { readonly kind: 'confirmation' }
  | { readonly kind: 'caughtUp' }
  | { readonly kind: 'event'; readonly event: ResolvedEvent }
  | { readonly kind: 'checkpoint'; readonly position: Position }
  | { readonly kind: 'error'; readonly error: Error };

export class Recorder {
  readonly items: Seen[] = [];

  /** Pass as a filter's checkpointReached. */
  readonly onCheckpoint = (_subscription: unknown, position: Position): void => {
    this.items.push({ kind: 'checkpoint', position });
  };

  attach<S extends StreamSubscription | AllStreamSubscription>(subscription: S): S {
    subscription
      .on('confirmation', () => this.items.push({ kind: 'confirmation' }))
      .on('caughtUp', () => this.items.push({ kind: 'caughtUp' }))
      .on('data', (event: ResolvedEvent) => this.items.push({ kind: 'event', event }))
      .on('error', (error: Error) => this.items.push({ kind: 'error', error }));
    return subscription;
  }

  get events(): ResolvedEvent[] {
    return this.items.flatMap((item) => (item.kind === 'event' ? [item.event] : []));
  }

  get checkpoints(): Position[] {
    return this.items.flatMap((item) => (item.kind === 'checkpoint' ? [item.position] : []));
  }

  /** A compact trace: 'confirmation', 'caughtUp', 'stream@revision', 'checkpoint'. */
  get trace(): string[] {
    return this.items.map((item) =>
      item.kind === 'event' ? `${item.event.event?.streamId}@${item.event.event?.revision}` : item.kind,
    );
  }

  async waitFor(predicate: (recorder: Recorder) => boolean, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this)) {
      if (Date.now() > deadline) throw new Error(`Timed out; seen so far: ${this.trace.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

export interface RawFilter {
  readonly on: 'stream' | 'type';
  readonly prefixes?: string[];
  readonly regex?: string;
}

/** A finite, filtered $all read sent straight to Streams.Read; returns the raw responses. */
export async function rawFilteredReadAll(
  port: number,
  filter: RawFilter,
  options: { maxCount?: number; backwards?: boolean } = {},
): Promise<ReadResp[]> {
  const expression = new ReadReq.Options.FilterOptions.Expression()
    .setPrefixList(filter.prefixes ?? [])
    .setRegex(filter.regex ?? '');
  const filterOptions = new ReadReq.Options.FilterOptions().setCount(new Empty()).setCheckpointintervalmultiplier(1);
  if (filter.on === 'stream') filterOptions.setStreamIdentifier(expression);
  else filterOptions.setEventType(expression);
  const all = new ReadReq.Options.AllOptions();
  if (options.backwards) all.setEnd(new Empty());
  else all.setStart(new Empty());
  const request = new ReadReq().setOptions(
    new ReadReq.Options()
      .setAll(all)
      .setReadDirection(options.backwards ? ReadReq.Options.ReadDirection.BACKWARDS : ReadReq.Options.ReadDirection.FORWARDS)
      .setCount(String(options.maxCount ?? 1000))
      .setUuidOption(new ReadReq.Options.UUIDOption().setString(new Empty()))
      .setFilter(filterOptions),
  );
  const client = new StreamsClient(`127.0.0.1:${port}`, credentials.createInsecure());
  try {
    return await new Promise<ReadResp[]>((resolve, reject) => {
      const responses: ReadResp[] = [];
      client
        .read(request)
        .on('data', (response: ReadResp) => responses.push(response))
        .on('error', reject)
        .on('end', () => resolve(responses));
    });
  } finally {
    client.close();
  }
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of iterable) result.push(item);
  return result;
}
