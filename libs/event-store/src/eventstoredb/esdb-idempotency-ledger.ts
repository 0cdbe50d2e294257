import { createHash } from 'node:crypto';
import { EventStoreDBClient, jsonEvent, NO_STREAM, StreamNotFoundError, WrongExpectedVersionError } from '@eventstore/db-client';
import { IdempotencyKeyAlreadyUsedError, IdempotencyKeyReusedError } from '../errors';
import type { AppendResult, IdempotencyClaim, IdempotencyRecord, StoredEvent } from '../event-store.port';

/**
 * Idempotency-Keys on EventStoreDB, without relying on its best-effort duplicate check.
 *
 * EventStoreDB cannot write two streams atomically, so a key is settled in two places:
 * - a ledger stream per key (`idempotency-<sha256(key)>`) whose first event claims the key
 *   for one request (an append expecting no stream: of two concurrent claims exactly one wins),
 *   and whose later event records the result once known;
 * - the journey's own events, which carry the key in their metadata and are appended with an
 *   expected revision. Those events, not the ledger, are the proof that a request was applied.
 *
 * A request that finds its key claimed by the same request but no result (the first attempt
 * is in flight, or crashed between the claim and the append) goes ahead: both attempts append
 * with the same expected revision, so at most one of them lands, and the loser then finds the
 * winner's events by the key. A claim by a different request is a reused key.
 */
export const LEDGER_STREAM_PREFIX = 'idempotency-';

interface LedgerState {
  claim?: { requestHash: string; streamId: string };
  result?: AppendResult;
}

export interface LedgerReader {
  readStream(streamId: string): Promise<StoredEvent[]>;
}

export class EsdbIdempotencyLedger {
  constructor(
    private readonly client: EventStoreDBClient,
    private readonly streams: LedgerReader,
  ) {}

  /**
   * Claims `claim.key` for this request, then runs `append`.
   * @throws IdempotencyKeyAlreadyUsedError when this request was already applied.
   * @throws IdempotencyKeyReusedError when the key belongs to another request.
   */
  async appendOnce(streamId: string, claim: IdempotencyClaim, append: () => Promise<AppendResult>): Promise<AppendResult> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const earlier = await this.settled(claim.key);
      if (earlier.claim && earlier.claim.requestHash !== claim.requestHash) throw new IdempotencyKeyReusedError(claim.key);
      if (earlier.result) throw new IdempotencyKeyAlreadyUsedError(claim.key, earlier.result);
      if (!earlier.claim && !(await this.tryClaim(streamId, claim))) continue; // another request claimed it first: look again
      const result = await append();
      await this.recordResult(claim, result);
      return result;
    }
    throw new Error(`Idempotency-Key ${claim.key} kept changing hands; try again`);
  }

  async find(key: string): Promise<IdempotencyRecord | undefined> {
    const { claim, result } = await this.settled(key);
    return claim && result ? { key, requestHash: claim.requestHash, ...result } : undefined;
  }

  /** The ledger's claim, and the result: recorded, or found in the claimed stream by the key. */
  private async settled(key: string): Promise<LedgerState> {
    const state = await this.readLedger(key);
    if (!state.claim || state.result) return state;
    const applied = (await this.streams.readStream(state.claim.streamId)).filter((e) => e.metadata.idempotencyKey === key);
    const last = applied[applied.length - 1];
    return last ? { ...state, result: { streamId: state.claim.streamId, nextExpectedRevision: last.revision, position: last.position } } : state;
  }

  private async readLedger(key: string): Promise<LedgerState> {
    const state: LedgerState = {};
    try {
      for await (const { event } of this.client.readStream(ledgerStream(key))) {
        const data = event?.data as Record<string, string> | undefined;
        if (!data) continue;
        if (event!.type === 'IdempotencyKeyClaimed') state.claim = { requestHash: data.requestHash, streamId: data.streamId };
        if (event!.type === 'IdempotencyKeyUsed') {
          state.result = { streamId: data.streamId, nextExpectedRevision: BigInt(data.nextExpectedRevision), position: BigInt(data.position) };
        }
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return state;
  }

  private async tryClaim(streamId: string, claim: IdempotencyClaim): Promise<boolean> {
    try {
      await this.client.appendToStream(
        ledgerStream(claim.key),
        jsonEvent({ type: 'IdempotencyKeyClaimed', data: { key: claim.key, requestHash: claim.requestHash, streamId } }),
        { expectedRevision: NO_STREAM },
      );
      return true;
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return false;
      throw error;
    }
  }

  /** Best effort: if it fails, the result is still found from the stream by the key. */
  private async recordResult(claim: IdempotencyClaim, result: AppendResult): Promise<void> {
    const data = {
      key: claim.key,
      requestHash: claim.requestHash,
      streamId: result.streamId,
      nextExpectedRevision: result.nextExpectedRevision.toString(),
      position: result.position.toString(),
    };
    await this.client.appendToStream(ledgerStream(claim.key), jsonEvent({ type: 'IdempotencyKeyUsed', data })).catch(() => undefined);
  }
}

export function ledgerStream(key: string): string {
  return LEDGER_STREAM_PREFIX + createHash('sha256').update(key).digest('hex');
}
