/**
 * Signed heads: statements `{position, globalHash, time}` signed with the audit key, so that
 * the log up to `position` can later be proved unchanged, and a log cut short before
 * `position` proved truncated. Each head is stored twice: in the read store (`audit_heads`)
 * and in the log itself (stream `audit-heads`, where it is chained like any other event).
 * docs/audit.md, "Signed heads".
 */
import { randomUUID } from 'node:crypto';
import type { EventMetadata, EventStore, StoredEvent } from '../../event-store/src/event-store.port';
import type { ReadStore } from '../../read-store/src/read-store.port';
import { ledgerId, readLedgerState } from './ledger';
import { AuditSigningKey, verifyCanonical, type TrustedKeys } from './signing-key';

export const AUDIT_HEADS = 'audit_heads';
export const AUDIT_HEADS_STREAM = 'audit-heads';
export const AUDIT_HEAD_SIGNED = 'AuditHeadSigned';

/** Domain separation: a signature over a head can never pass for one over anything else. */
const HEAD_KIND = 'vjt.audit-head.v1';

export interface SignedHead {
  /** Decimal position of the last event covered. */
  position: string;
  /** The global hash at `position`, hex. */
  globalHash: string;
  /** When it was signed (ISO 8601). */
  time: string;
  keyId: string;
  /** Ed25519 over the canonical JSON of `{kind: 'vjt.audit-head.v1', position, globalHash, time}`, base64. */
  signature: string;
}

export type StoredHead = SignedHead & { _id: string };

/** Who signed, as recorded on the head's event: the keeper itself, or the user who asked. */
export const KEEPER: EventMetadata['recordedBy'] = { userId: 'audit-ledger-keeper', role: 'system', organisationId: 'system' };

export function headPayload(head: Pick<SignedHead, 'position' | 'globalHash' | 'time'>): Record<string, unknown> {
  return { kind: HEAD_KIND, position: head.position, globalHash: head.globalHash, time: head.time };
}

export function makeHead(key: AuditSigningKey, fields: Pick<SignedHead, 'position' | 'globalHash' | 'time'>): SignedHead {
  return { ...fields, keyId: key.keyId, signature: key.signCanonical(headPayload(fields)) };
}

export type SignatureCheck = 'valid' | 'invalid' | 'unknown_key';

export function checkHeadSignature(head: SignedHead, trusted: TrustedKeys): SignatureCheck {
  const key = trusted.get(head.keyId);
  if (!key) return 'unknown_key';
  return verifyCanonical(key, headPayload(head), head.signature) ? 'valid' : 'invalid';
}

/** Sorts by position, then time. */
export function headId(head: Pick<SignedHead, 'position' | 'time'>): string {
  return `${ledgerId(BigInt(head.position))}:${head.time}`;
}

/** The head an `audit-heads` event carries, or undefined when the event is not a well-formed head. */
export function headOfEvent(event: StoredEvent): SignedHead | undefined {
  if (event.streamId !== AUDIT_HEADS_STREAM || event.type !== AUDIT_HEAD_SIGNED) return undefined;
  const { position, globalHash, time, keyId, signature } = event.data as Record<string, unknown>;
  const strings = [position, globalHash, time, keyId, signature].every((v) => typeof v === 'string');
  if (!strings || !/^\d{1,40}$/.test(position as string)) return undefined;
  return { position, globalHash, time, keyId, signature } as SignedHead;
}

export interface SignHeadOptions {
  now?: string;
  by?: EventMetadata['recordedBy'];
  correlationId?: string;
}

/**
 * Signs the ledger's current end, appends the head to the log, then stores it in the read
 * store. Undefined when nothing is ledgered yet. Appending first means a head in the read
 * store always has its twin in the log (unless the log was cut, which is what heads prove).
 */
export async function signHead(events: EventStore, readStore: ReadStore, key: AuditSigningKey, options: SignHeadOptions = {}): Promise<SignedHead | undefined> {
  const state = await readLedgerState(readStore);
  if (!state) return undefined;
  const time = options.now ?? new Date().toISOString();
  const head = makeHead(key, { position: state.position, globalHash: state.globalHash, time });
  const id = randomUUID();
  await events.append(AUDIT_HEADS_STREAM, [{
    id, type: AUDIT_HEAD_SIGNED, data: { ...head },
    metadata: { recordedAt: time, recordedBy: options.by ?? KEEPER, commandId: id, correlationId: options.correlationId ?? id, schemaVersion: 1 },
  }], 'any');
  await readStore.collection<StoredHead>(AUDIT_HEADS).replaceOne({ _id: headId(head) }, { _id: headId(head), ...head }, { upsert: true });
  return head;
}

/** Heads, newest first. */
export async function listHeads(readStore: ReadStore, page: { skip: number; limit: number }): Promise<{ heads: SignedHead[]; total: number }> {
  const collection = readStore.collection<StoredHead>(AUDIT_HEADS);
  const [docs, total] = await Promise.all([collection.find({}, { sort: { _id: -1 }, skip: page.skip, limit: page.limit }), collection.countDocuments({})]);
  return { heads: docs.map(withoutId), total };
}

export async function latestHead(readStore: ReadStore): Promise<SignedHead | null> {
  const [doc] = await readStore.collection<StoredHead>(AUDIT_HEADS).find({}, { sort: { _id: -1 }, limit: 1 });
  return doc ? withoutId(doc) : null;
}

export function withoutId({ _id, ...head }: StoredHead): SignedHead {
  return head;
}
