import type { ReadStore } from '../../../libs/read-store/src/read-store.port';
import type { DocumentProjection } from '../../../projections/projection';

/**
 * Which collection serves each projection. A projection's documents live in a physical
 * collection of their own per build: version 1's first build keeps the projection's plain
 * collection name (so existing data folders carry on), later builds get a suffix. Readers
 * look the serving collection up here; a rebuild switches it with one document write, which
 * is atomic on every backend.
 */
export const CATALOG = 'projections';

export interface CatalogEntry {
  _id: string;
  /** Version of the projection that built the serving collection. */
  version: number;
  /** The collection that serves reads now. */
  collection: string;
  switchedAt: string;
  /** Collections replaced by a switch, dropped once no reader can still be using them. */
  retired: string[];
  /** Set by an API process that does not run the projector; the projector process acts on it. */
  rebuildRequestedAt?: string;
}

/** Where the projector publishes each projection's status for processes that do not run it. */
export const PROJECTION_STATUS = 'projection_status';

export function physicalCollection(projection: DocumentProjection<any>, version: number, build?: string): string {
  if (version === 1 && !build) return projection.collection;
  return `${projection.collection}__v${version}${build ? `__${build}` : ''}`;
}

export async function readCatalogEntry(store: ReadStore, name: string): Promise<CatalogEntry | null> {
  return store.collection<CatalogEntry>(CATALOG).findOne({ _id: name });
}

/** The collection serving `name`'s reads, or `fallback` before the projector first ran. */
export async function servingCollection(store: ReadStore, name: string, fallback: string): Promise<string> {
  return (await readCatalogEntry(store, name))?.collection ?? fallback;
}
