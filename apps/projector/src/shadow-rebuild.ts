import type { EventStore } from '../../../libs/event-store/src/event-store.port';
import type { Document, ReadStore } from '../../../libs/read-store/src/read-store.port';
import type { DocumentProjection } from '../../../projections/projection';
import { canonicalJson } from '../../api/src/http/command-request';
import { flattenCounters } from '../../../projections/analytics/aggregate';
import { CATALOG, CatalogEntry, physicalCollection, readCatalogEntry } from './projection-catalog';
import { CHECKPOINTS, readCheckpoint } from './checkpoints';
import { ProjectionRunner, RunnerOptions } from './projection-runner';

/** What a verified rebuild found: documents only in one copy, and documents that differ (with the fields that do). */
export interface ShadowComparison {
  projection: string;
  live: { collection: string; position: string | null; documents: number };
  shadow: { collection: string; position: string | null; documents: number };
  onlyInLive: string[];
  onlyInShadow: string[];
  differing: Array<{ _id: string; fields: string[] }>;
  /** True when both copies stand at the same position and no document differs. */
  identical: boolean;
}

/** At most this many ids of each kind are listed; the counts are always whole. */
const LISTED = 50;

/**
 * A verified rebuild: replays a projection from the start of the log into a shadow
 * collection, up to where the live collection stands, and compares them document by
 * document (an aggregating projection's cells with zero counters count as absent). The
 * serving collection is untouched unless `swap` is asked for, which switches reads to the
 * shadow; otherwise the shadow is dropped.
 */
export async function rebuildAndCompare(
  projection: DocumentProjection<any>, events: EventStore, readStore: ReadStore, options: Omit<RunnerOptions, 'collection'> & { swap?: boolean; clock?: () => string },
): Promise<ShadowComparison & { swapped: boolean }> {
  const clock = options.clock ?? (() => new Date().toISOString());
  const entry = await readCatalogEntry(readStore, projection.name);
  const live = entry?.collection ?? projection.collection;
  const livePosition = await readCheckpoint(readStore, live);
  const shadow = `${physicalCollection(projection, projection.version, clock().replace(/\D/g, '').slice(0, 17))}__shadow`;
  await readStore.dropCollection(shadow);
  await readStore.collection(CHECKPOINTS).deleteOne({ _id: shadow });
  const runner = new ProjectionRunner(projection, events, readStore, { ...options, collection: shadow }, clock);
  await runner.start();
  if (livePosition !== undefined) await runner.waitFor(livePosition, 24 * 3600_000);
  else await runner.caughtUpOnce();
  await runner.stop();
  const comparison = await compareCollections(readStore, projection.name, live, shadow);
  if (options.swap && entry) {
    const switched: CatalogEntry = { ...entry, version: projection.version, collection: shadow, switchedAt: clock(), retired: [...entry.retired, live] };
    await readStore.collection<CatalogEntry>(CATALOG).replaceOne({ _id: projection.name }, switched, { upsert: true });
    return { ...comparison, swapped: true };
  }
  await readStore.dropCollection(shadow);
  await readStore.collection(CHECKPOINTS).deleteOne({ _id: shadow });
  return { ...comparison, swapped: false };
}

export async function compareCollections(readStore: ReadStore, name: string, live: string, shadow: string): Promise<ShadowComparison> {
  const [liveDocs, shadowDocs] = await Promise.all([live, shadow].map(async (c) => new Map((await readStore.collection(c).find({})).filter(present).map((d) => [String(d._id), d]))));
  const [livePosition, shadowPosition] = await Promise.all([live, shadow].map((c) => readCheckpoint(readStore, c)));
  const onlyInLive = [...liveDocs.keys()].filter((id) => !shadowDocs.has(id));
  const onlyInShadow = [...shadowDocs.keys()].filter((id) => !liveDocs.has(id));
  const differing = [...liveDocs.keys()].filter((id) => shadowDocs.has(id)).flatMap((id) => {
    const fields = differingFields(normalised(liveDocs.get(id)!), normalised(shadowDocs.get(id)!));
    return fields.length ? [{ _id: id, fields }] : [];
  });
  return {
    projection: name,
    live: { collection: live, position: livePosition?.toString() ?? null, documents: liveDocs.size },
    shadow: { collection: shadow, position: shadowPosition?.toString() ?? null, documents: shadowDocs.size },
    onlyInLive: onlyInLive.slice(0, LISTED), onlyInShadow: onlyInShadow.slice(0, LISTED), differing: differing.slice(0, LISTED),
    identical: livePosition === shadowPosition && onlyInLive.length + onlyInShadow.length + differing.length === 0,
  };
}

/** A cell whose counters all came back to zero holds nothing: a fresh build never writes it. */
function present(doc: Document): boolean {
  if (doc.kind !== 'cell' && doc.kind !== 'rollup') return true;
  return Object.values(flattenCounters(doc.counters as Record<string, unknown>)).some((v) => v !== 0);
}

function normalised(doc: Document): Record<string, unknown> {
  if (doc.kind !== 'cell' && doc.kind !== 'rollup') return doc;
  return { ...doc, counters: Object.fromEntries(Object.entries(flattenCounters(doc.counters as Record<string, unknown>)).filter(([, v]) => v !== 0)) };
}

function differingFields(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => canonicalJson(a[key]) !== canonicalJson(b[key])).sort();
}
