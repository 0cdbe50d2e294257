/**
 * What a data folder's read models come to, for comparing two folders: used by the crash tests
 * (and their children, which inspect the folder they just projected before closing it).
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../libs/audit/src/canonical';
import { verifyLog } from '../../../libs/audit/src/verify';
import type { EventStore } from '../../../libs/event-store/src/event-store.port';
import type { Document, ReadStore } from '../../../libs/read-store/src/read-store.port';
import { CHECKPOINTS, type CheckpointDocument } from '../../../apps/projector/src/checkpoints';
import { servingCollection } from '../../../apps/projector/src/projection-catalog';
import { ALL_PROJECTIONS } from '../../../projections';
import { flattenCounters } from '../../../projections/analytics/aggregate';

export interface ReadModelDigest {
  digest: string;
  documents: number;
  /** Each projection's checkpoint position. */
  checkpoints: Record<string, string | null>;
}

/**
 * sha256 over every document of every projection's serving collection (as the catalog names
 * it), sorted by _id, in canonical JSON; with each projection's checkpoint position.
 *
 * An aggregating projection's cells are compared as `rebuild --compare` compares them
 * (apps/projector/src/shadow-rebuild.ts): a counter at zero is absent, and a cell whose counters
 * are all zero is no cell. Which zero cells exist depends on where batches ended (a journey
 * that enters a cell and leaves it within one batch never writes it), not on what was applied.
 */
export async function readModelDigest(readStore: ReadStore): Promise<ReadModelDigest> {
  const hash = createHash('sha256');
  let documents = 0;
  const checkpoints: Record<string, string | null> = {};
  for (const projection of ALL_PROJECTIONS) {
    const collection = await servingCollection(readStore, projection.name, projection.collection);
    const docs = (await readStore.collection<Document>(collection).find({})).flatMap(withoutZeroCounters);
    docs.sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
    hash.update(`${projection.name}\n${collection}\n${docs.length}\n`);
    for (const doc of docs) hash.update(canonicalJson(doc) + '\n');
    documents += docs.length;
    checkpoints[projection.name] = (await readStore.collection<CheckpointDocument>(CHECKPOINTS).findOne({ _id: collection }))?.position ?? null;
  }
  return { digest: hash.digest('hex'), documents, checkpoints };
}

function withoutZeroCounters(doc: Document): Document[] {
  if (doc.kind !== 'cell' && doc.kind !== 'rollup') return [doc];
  const counters = Object.entries(flattenCounters(doc.counters as Record<string, unknown>)).filter(([, value]) => value !== 0);
  return counters.length ? [{ ...doc, counters: Object.fromEntries(counters) }] : [];
}

export interface FolderInspection extends ReadModelDigest {
  /** verifyLog over the whole log (no signed heads expected). */
  ledger: { ok: boolean; eventsVerified: number; eventsNotYetLedgered: number; alarms: number; firstBroken?: { position: string; reason: string } };
}

/** The read models' digest and the audit ledger verified, on open stores. */
export async function inspectStores(events: EventStore, readStore: ReadStore): Promise<FolderInspection> {
  const digest = await readModelDigest(readStore);
  const { ok, eventsVerified, eventsNotYetLedgered, alarms, firstBroken } = await verifyLog(events, readStore, { trustedKeys: new Map() });
  return { ...digest, ledger: { ok, eventsVerified, eventsNotYetLedgered, alarms, ...(firstBroken ? { firstBroken } : {}) } };
}
