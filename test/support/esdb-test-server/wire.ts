/**
 * Wire helpers for the EventStoreDB test double: conversions between the client's generated
 * protobuf messages (node_modules/@eventstore/db-client/generated) and the double's log types.
 * 64-bit fields are generated as JS strings (jstype = JS_STRING), so bigints travel as decimal
 * strings and never lose precision.
 */
import { Metadata, status, type ServerErrorResponse, type ServerWritableStream } from '@grpc/grpc-js';
import { Empty, StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { Position, StoredEvent } from './log';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The canonical lower-case text of a UUID message (string or structured), or undefined. */
export function uuidText(uuid: UUID | undefined): string | undefined {
  if (!uuid) return undefined;
  let text: string;
  if (uuid.hasStructured()) {
    const structured = uuid.getStructured()!;
    const msb = BigInt.asUintN(64, BigInt(structured.getMostSignificantBits()));
    const lsb = BigInt.asUintN(64, BigInt(structured.getLeastSignificantBits()));
    const hex = msb.toString(16).padStart(16, '0') + lsb.toString(16).padStart(16, '0');
    text = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  } else {
    text = uuid.getString().trim().toLowerCase().replace(/^\{(.*)\}$/, '$1');
    if (/^[0-9a-f]{32}$/.test(text)) {
      text = `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
    }
  }
  return UUID_PATTERN.test(text) ? text : undefined;
}

export function uuidMessage(text: string, structured: boolean): UUID {
  const uuid = new UUID();
  if (!structured) return uuid.setString(text);
  const hex = text.replace(/-/g, '');
  const value = new UUID.Structured()
    .setMostSignificantBits(BigInt.asIntN(64, BigInt(`0x${hex.slice(0, 16)}`)).toString())
    .setLeastSignificantBits(BigInt.asIntN(64, BigInt(`0x${hex.slice(16)}`)).toString());
  return uuid.setStructured(value);
}

export function streamNameOf(identifier: StreamIdentifier | undefined): string | undefined {
  if (!identifier) return undefined;
  return Buffer.from(identifier.getStreamName_asU8()).toString('utf8');
}

export function streamIdentifier(name: string): StreamIdentifier {
  return new StreamIdentifier().setStreamName(new Uint8Array(Buffer.from(name, 'utf8')));
}

/** Parses a uint64 carried as a decimal string. */
export function u64(text: string): bigint {
  return BigInt.asUintN(64, BigInt(text || '0'));
}

export function positionOf(message: { getCommitPosition(): string; getPreparePosition(): string }): Position {
  return { commit: u64(message.getCommitPosition()), prepare: u64(message.getPreparePosition()) };
}

/** A ReadResp carrying one event, as EventStoreDB's Streams.Read sends it. */
export function eventResponse(event: StoredEvent, structuredIds: boolean): ReadResp {
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(uuidMessage(event.id, structuredIds))
    .setStreamIdentifier(streamIdentifier(event.streamId))
    .setStreamRevision(event.revision.toString())
    .setPreparePosition(event.prepare.toString())
    .setCommitPosition(event.commit.toString())
    .setData(event.data)
    .setCustomMetadata(event.metadata);
  const metadata = recorded.getMetadataMap();
  metadata.set('type', event.type);
  metadata.set('created', event.created.toString());
  metadata.set('content-type', event.isJson ? 'application/json' : 'application/octet-stream');
  const readEvent = new ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(event.commit.toString());
  return new ReadResp().setEvent(readEvent);
}

export function empty(): Empty {
  return new Empty();
}

/** A gRPC error with EventStoreDB's `exception` trailer, which the client maps to its error classes. */
export function rpcError(code: status, details: string, trailers: Record<string, string> = {}): ServerErrorResponse {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  return Object.assign(new Error(details), { code, details, metadata });
}

/**
 * Writes one message, waiting for the transport to drain when its buffer is full.
 * Resolves false when the call was cancelled (by the client or by a server stop).
 */
export function write<Req, Res>(call: ServerWritableStream<Req, Res>, message: Res): Promise<boolean> {
  if (call.cancelled || call.destroyed) return Promise.resolve(false);
  if (call.write(message)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      call.off('drain', onDrain);
      call.off('cancelled', onGone);
      call.off('close', onGone);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onGone = () => done(false);
    call.on('drain', onDrain);
    call.on('cancelled', onGone);
    call.on('close', onGone);
  });
}
