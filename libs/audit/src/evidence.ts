/**
 * Builds a stream's evidence bundle (evidence-bundle.ts). The stream is re-read and its chain
 * recomputed against the ledger before anything is signed: the key never vouches for events
 * that do not match what the keeper recorded.
 */
import type { EventStore, StoredEvent } from '../../event-store/src/event-store.port';
import type { ReadStore } from '../../read-store/src/read-store.port';
import { BUNDLE_FORMAT, bundledEvent, statementPayload, type BundledLink, type EvidenceBundle, type StreamStatement } from './evidence-bundle';
import { chainHash, eventHash, fromHex, GENESIS_HASH, GENESIS_HEX } from './hash-chain';
import { ledgerEntryBefore, readLedgerEntries, readLedgerState } from './ledger';
import { latestHead } from './signed-heads';
import type { AuditSigningKey } from './signing-key';

export const CANONICALIZATION = 'SHA-256 over RFC 8785 canonical JSON of {position, streamId, revision, id, type, data, metadata} (position and revision as decimal strings); see docs/audit.md';

/** The keeper has not ledgered the stream's last event yet (within the wait allowed). */
export class StreamNotYetLedgered extends Error {
  readonly code = 'NOT_YET_LEDGERED';
  constructor(readonly position: bigint) {
    super(`The audit ledger has not yet recorded position ${position}; retry shortly.`);
    this.name = 'StreamNotYetLedgered';
  }
}

/** The stream's events do not match the ledger: tampering, to be investigated with verify, never signed over. */
export class EvidenceMismatch extends Error {
  readonly code = 'AUDIT_CHAIN_BROKEN';
  constructor(readonly position: bigint, reason: string) {
    super(`The record does not match the audit ledger at position ${position}: ${reason}. Run verify.`);
    this.name = 'EvidenceMismatch';
  }
}

export interface EvidenceOptions {
  now?: string;
  /** How long to wait for the keeper to ledger the stream's last event. @default 5000 */
  waitMs?: number;
}

/** The stream's bundle, or undefined when the stream has no events. */
export async function buildEvidenceBundle(events: EventStore, readStore: ReadStore, key: AuditSigningKey, streamId: string, options: EvidenceOptions = {}): Promise<EvidenceBundle | undefined> {
  const stored = await events.readStream(streamId);
  if (stored.length === 0) return undefined;
  const last = stored[stored.length - 1];
  await waitForLedger(readStore, last.position, options.waitMs ?? 5000);
  const entries = await readLedgerEntries(readStore, stored.map((e) => e.position));
  const chain = recomputeAgainstLedger(stored, entries);
  const lastLink = chain[chain.length - 1];
  const before = await ledgerEntryBefore(readStore, last.position, events.gapFreePositions);
  if (!before && last.position > 0n && events.gapFreePositions) throw new EvidenceMismatch(last.position - 1n, 'the ledger has no entry before the stream\u2019s last event');
  const previousGlobalHash = before?.globalHash ?? GENESIS_HEX;
  if (chainHash(fromHex(previousGlobalHash), fromHex(lastLink.eventHash)).toString('hex') !== lastLink.globalHash) {
    throw new EvidenceMismatch(last.position, 'the global chain does not link the stream\u2019s last event to the event before it');
  }
  const statement: StreamStatement = {
    streamId, revision: last.revision.toString(), streamHash: lastLink.streamHash,
    position: last.position.toString(), globalHash: lastLink.globalHash, signedAt: options.now ?? new Date().toISOString(),
  };
  return {
    format: BUNDLE_FORMAT,
    canonicalization: CANONICALIZATION,
    events: stored.map(bundledEvent),
    chain,
    previousGlobalHash,
    statement,
    signature: { algorithm: 'Ed25519', keyId: key.keyId, value: key.signCanonical(statementPayload(statement)) },
    latestHead: await latestHead(readStore),
    publicKey: key.describe(),
  };
}

/** Each event's hashes, recomputed from the stream and required to equal the ledger's. */
function recomputeAgainstLedger(stored: StoredEvent[], entries: Awaited<ReturnType<typeof readLedgerEntries>>): BundledLink[] {
  let streamHash = GENESIS_HASH;
  return stored.map((event) => {
    const entry = entries.get(event.position.toString());
    if (!entry) throw new EvidenceMismatch(event.position, 'the ledger has no entry for this event');
    const hash = eventHash(event);
    streamHash = chainHash(streamHash, hash);
    const problem = entry.streamId !== event.streamId || entry.revision !== event.revision.toString() ? 'the ledger recorded another event here'
      : entry.eventHash !== hash.toString('hex') ? 'the stored event differs from the one ledgered'
        : entry.streamHash !== streamHash.toString('hex') ? 'the stream chain differs from the ledger\u2019s' : undefined;
    if (problem) throw new EvidenceMismatch(event.position, problem);
    return { position: event.position.toString(), revision: event.revision.toString(), eventHash: entry.eventHash, streamHash: entry.streamHash, globalHash: entry.globalHash };
  });
}

async function waitForLedger(readStore: ReadStore, position: bigint, waitMs: number): Promise<void> {
  const deadline = performance.now() + waitMs; // monotonic: a wall clock set back must not stretch the wait
  for (;;) {
    const state = await readLedgerState(readStore);
    if (state && BigInt(state.position) >= position) return;
    if (performance.now() >= deadline) throw new StreamNotYetLedgered(position);
    await new Promise((r) => setTimeout(r, 25));
  }
}

