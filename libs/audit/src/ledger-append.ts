/**
 * One batch of the keeper's work, inside one read-store transaction: ledger entries for the
 * events past the ledger's end, each stream's last link, the new state, and alarms, all or none.
 *
 * Idempotent: an event at or before the ledger's end (a re-delivery) is only compared with its
 * entry, never written. An existing entry that differs from the recomputation is tampering
 * (or a broken store): it is raised as an alarm and left as it was, and the chains continue
 * from what the ledger holds, so one alteration is reported where it happened, not everywhere after.
 */
import type { StoredEvent } from '../../event-store/src/event-store.port';
import type { BulkWriteOperation, ReadStoreTransaction } from '../../read-store/src/read-store.port';
import { chainHash, eventHash, fromHex, GENESIS_HASH } from './hash-chain';
import {
  AUDIT_ALARMS, AUDIT_LEDGER, AUDIT_STATE, AUDIT_STREAMS, LEDGER_STATE_ID, ledgerId,
  type LedgerAlarm, type LedgerAlarmKind, type LedgerEntry, type LedgerState, type StreamTip,
} from './ledger';
import { AUDIT_HEADS_STREAM } from './signed-heads';

export interface LedgerBatchResult {
  /** The ledger's end after the batch (undefined: still empty). */
  position: bigint | undefined;
  entriesWritten: number;
  alarms: Array<Pick<LedgerAlarm, 'kind' | 'position' | 'streamId' | 'detail'>>;
  /** The last position ledgered by this batch outside the `audit-heads` stream: something new for a head to cover. */
  contentUpTo: bigint | undefined;
}

export async function appendToLedger(tx: ReadStoreTransaction, batch: readonly StoredEvent[], options: { gapFree: boolean; now: string }): Promise<LedgerBatchResult> {
  const ledger = tx.collection<LedgerEntry>(AUDIT_LEDGER);
  const state = await tx.collection<LedgerState>(AUDIT_STATE).findOne({ _id: LEDGER_STATE_ID });
  const start = state ? BigInt(state.position) : undefined;
  let last = start;
  let global = state ? fromHex(state.globalHash) : GENESIS_HASH;
  const existing = new Map((await ledger.find({ _id: { $in: batch.map((e) => ledgerId(e.position)) } })).map((e) => [e._id, e]));
  const fresh = batch.filter((e) => start === undefined || e.position > start);
  const tips = new Map((await tx.collection<StreamTip>(AUDIT_STREAMS).find({ _id: { $in: [...new Set(fresh.map((e) => e.streamId))] } })).map((t) => [t._id, t]));
  const result: LedgerBatchResult = { position: start, entriesWritten: 0, alarms: [], contentUpTo: undefined };
  const alarm = (kind: LedgerAlarmKind, event: StoredEvent, detail: string) => result.alarms.push({ kind, position: event.position.toString(), streamId: event.streamId, detail });
  const writes: BulkWriteOperation<LedgerEntry>[] = [];
  const touched = new Set<string>();

  for (const event of batch) {
    const id = ledgerId(event.position);
    const hash = eventHash(event).toString('hex');
    const entry = existing.get(id);
    if (last !== undefined && event.position <= last) {
      if (!entry) alarm('event_inserted', event, `an event of ${event.streamId} appeared at position ${event.position}, inside the part of the log already ledgered`);
      else if (entry.eventHash !== hash || entry.streamId !== event.streamId || entry.revision !== event.revision.toString()) {
        alarm('event_differs', event, `the event at position ${event.position} is not the one ledgered: ledger ${entry.streamId}@${entry.revision} ${entry.eventHash}, log ${event.streamId}@${event.revision} ${hash}`);
      }
      continue;
    }
    const expectedPosition = last === undefined ? 0n : last + 1n;
    if (options.gapFree && event.position !== expectedPosition) alarm('position_gap', event, `position ${expectedPosition} is missing: the log goes from ${last ?? 'its start'} to ${event.position}`);
    const tip = tips.get(event.streamId);
    const expectedRevision = tip ? BigInt(tip.revision) + 1n : 0n;
    if (event.revision !== expectedRevision) alarm('revision_gap', event, `${event.streamId} revision ${event.revision} where ${expectedRevision} was due`);
    const previousStreamHash = event.revision === 0n || !tip ? GENESIS_HASH : fromHex(tip.streamHash);
    const computed: LedgerEntry = {
      _id: id, streamId: event.streamId, revision: event.revision.toString(), eventHash: hash,
      streamHash: chainHash(previousStreamHash, Buffer.from(hash, 'hex')).toString('hex'),
      globalHash: chainHash(global, Buffer.from(hash, 'hex')).toString('hex'),
      ...(tip && event.revision > 0n ? { previous: ledgerId(BigInt(tip.position)) } : {}),
    };
    let kept = computed;
    if (entry && !sameEntry(entry, computed)) {
      alarm('entry_differs', event, `the ledger already holds a different entry at position ${event.position}; it is kept, not overwritten`);
      kept = entry;
    } else if (!entry) {
      writes.push({ replaceOne: { filter: { _id: id }, replacement: computed, upsert: true } });
    }
    global = fromHex(kept.globalHash);
    tips.set(event.streamId, { _id: event.streamId, revision: kept.revision, position: event.position.toString(), streamHash: kept.streamHash });
    touched.add(event.streamId);
    last = event.position;
    if (event.streamId !== AUDIT_HEADS_STREAM) result.contentUpTo = event.position;
  }

  if (writes.length > 0) await ledger.bulkWrite(writes);
  result.entriesWritten = writes.length;
  if (touched.size > 0) {
    await tx.collection<StreamTip>(AUDIT_STREAMS).bulkWrite([...touched].map((streamId) => ({ replaceOne: { filter: { _id: streamId }, replacement: tips.get(streamId)!, upsert: true } })));
  }
  if (last !== start) {
    await tx.collection<LedgerState>(AUDIT_STATE).replaceOne({ _id: LEDGER_STATE_ID }, { _id: LEDGER_STATE_ID, position: last!.toString(), globalHash: global.toString('hex'), updatedAt: options.now }, { upsert: true });
  }
  if (result.alarms.length > 0) {
    await tx.collection<LedgerAlarm>(AUDIT_ALARMS).bulkWrite(result.alarms.map((a) => ({
      updateOne: {
        filter: { _id: `${ledgerId(BigInt(a.position))}:${a.kind}` },
        update: { $setOnInsert: { ...a, firstSeenAt: options.now }, $set: { lastSeenAt: options.now }, $inc: { seen: 1 } },
        upsert: true,
      },
    })));
  }
  result.position = last;
  return result;
}

function sameEntry(a: LedgerEntry, b: LedgerEntry): boolean {
  return a.streamId === b.streamId && a.revision === b.revision && a.eventHash === b.eventHash && a.streamHash === b.streamHash
    && a.globalHash === b.globalHash && (a.previous ?? null) === (b.previous ?? null);
}
