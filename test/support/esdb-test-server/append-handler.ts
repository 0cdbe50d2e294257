/**
 * Streams.Append of the EventStoreDB test double (client streaming): first an `options` message
 * (stream identifier + expected revision: revision / no_stream / any / stream_exists), then one
 * `proposed_message` per event (id, metadata map with `type` and `content-type`, custom metadata
 * bytes, data bytes). The append is atomic and only applied once the client half-closes.
 *
 * Errors as EventStoreDB reports them:
 *  - wrong expected version: a normal response (`wrong_expected_version`, not a gRPC error) with
 *    current_revision / current_no_stream and the expected_* field of the request (plus the
 *    deprecated *_20_6_0 fields where they fit in a JS number);
 *  - missing `type` / `content-type`: INVALID_ARGUMENT, exception missing-required-metadata-property;
 *  - total data size over maxAppendSize (default 1 MiB; like 23.10 this counts event data bytes):
 *    INVALID_ARGUMENT, exception maximum-append-size-exceeded → client MaxAppendSizeExceededError.
 * A content-type other than application/json is stored as application/octet-stream.
 */
import { status, type sendUnaryData, type ServerReadableStream } from '@grpc/grpc-js';
import { AppendReq, AppendResp } from '@eventstore/db-client/generated/streams_pb';
import type { AppendResult, EventLog, ExpectedRevision, ProposedEvent } from './log';
import { empty, rpcError, streamNameOf, u64, uuidText } from './wire';

const Revision = AppendReq.Options.ExpectedStreamRevisionCase;

export function createAppendHandler(
  log: EventLog,
  maxAppendSize: number,
): (call: ServerReadableStream<AppendReq, AppendResp>, callback: sendUnaryData<AppendResp>) => void {
  return (call, callback) => {
    let options: AppendReq.Options | undefined;
    const events: ProposedEvent[] = [];
    let size = 0;
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      callback(error as Parameters<typeof callback>[0]);
    };
    call.on('data', (request: AppendReq) => {
      if (failed) return;
      try {
        if (!options) {
          if (!request.hasOptions()) throw rpcError(status.INVALID_ARGUMENT, 'The first append message must be options.');
          options = request.getOptions();
          return;
        }
        const message = request.getProposedMessage();
        if (!message) throw rpcError(status.INVALID_ARGUMENT, 'Expected a proposed message.');
        const event = toProposedEvent(message);
        size += event.data.length;
        if (size > maxAppendSize) {
          throw rpcError(status.INVALID_ARGUMENT, `Maximum Append Size of ${maxAppendSize} Exceeded.`, {
            exception: 'maximum-append-size-exceeded',
            'maximum-append-size': String(maxAppendSize),
          });
        }
        events.push(event);
      } catch (error) {
        fail(error as Error);
      }
    });
    call.on('error', () => (failed = true));
    call.on('end', () => {
      if (failed) return;
      if (!options) return fail(rpcError(status.INVALID_ARGUMENT, 'No append options were sent.'));
      const streamId = streamNameOf(options.getStreamIdentifier());
      if (!streamId) return fail(rpcError(status.INVALID_ARGUMENT, 'The stream identifier is required.'));
      const expected = expectedRevision(options);
      if (!expected) return fail(rpcError(status.INVALID_ARGUMENT, 'An expected revision is required.'));
      callback(null, toResponse(log.append(streamId, expected, events), expected));
    });
  };
}

function toProposedEvent(message: AppendReq.ProposedMessage): ProposedEvent {
  const id = uuidText(message.getId());
  if (!id) throw rpcError(status.INVALID_ARGUMENT, 'Every proposed event needs a valid UUID id.');
  const metadata = message.getMetadataMap();
  for (const key of ['type', 'content-type']) {
    if (!metadata.has(key)) {
      throw rpcError(status.INVALID_ARGUMENT, `Required Metadata Property '${key}' is missing`, {
        exception: 'missing-required-metadata-property',
        'required-metadata-properties': key,
      });
    }
  }
  return {
    id,
    type: metadata.get('type')!,
    isJson: metadata.get('content-type') === 'application/json',
    data: Uint8Array.from(message.getData_asU8()),
    metadata: Uint8Array.from(message.getCustomMetadata_asU8()),
  };
}

function expectedRevision(options: AppendReq.Options): ExpectedRevision | undefined {
  switch (options.getExpectedStreamRevisionCase()) {
    case Revision.REVISION:
      return { kind: 'revision', revision: u64(options.getRevision()) };
    case Revision.NO_STREAM:
      return { kind: 'no_stream' };
    case Revision.ANY:
      return { kind: 'any' };
    case Revision.STREAM_EXISTS:
      return { kind: 'stream_exists' };
    default:
      return undefined;
  }
}

function toResponse(result: AppendResult, expected: ExpectedRevision): AppendResp {
  if (result.kind === 'success') {
    const success = new AppendResp.Success();
    if (result.currentRevision === null) success.setNoStream(empty());
    else success.setCurrentRevision(result.currentRevision.toString());
    const position = new AppendResp.Position()
      .setCommitPosition(result.position.commit.toString())
      .setPreparePosition(result.position.prepare.toString());
    return new AppendResp().setSuccess(success.setPosition(position));
  }
  const wrong = new AppendResp.WrongExpectedVersion();
  if (result.currentRevision === null) wrong.setCurrentNoStream(empty()).setNoStream2060(empty());
  else {
    wrong.setCurrentRevision(result.currentRevision.toString());
    if (result.currentRevision <= BigInt(Number.MAX_SAFE_INTEGER)) wrong.setCurrentRevision2060(Number(result.currentRevision));
  }
  switch (expected.kind) {
    case 'any':
      wrong.setExpectedAny(empty()).setAny2060(empty());
      break;
    case 'stream_exists':
      wrong.setExpectedStreamExists(empty()).setStreamExists2060(empty());
      break;
    case 'no_stream':
      wrong.setExpectedNoStream(empty());
      break;
    case 'revision':
      wrong.setExpectedRevision(expected.revision.toString());
      if (expected.revision <= BigInt(Number.MAX_SAFE_INTEGER)) wrong.setExpectedRevision2060(Number(expected.revision));
      break;
  }
  return new AppendResp().setWrongExpectedVersion(wrong);
}
