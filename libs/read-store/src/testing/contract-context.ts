/// <reference types="jest" />
import type { Collection, Document, Filter, ReadStore } from '../read-store.port';

/** Creates a store for one test and a way to dispose of it. */
export type ReadStoreFactory = () => Promise<{ store: ReadStore; cleanup: () => Promise<void> }>;

/** What each contract test gets: a fresh store and collection names no other test uses. */
export interface ContractContext {
  readonly store: ReadStore;
  /** A new, uniquely named collection (outside any transaction). */
  collection<T extends Document = Document>(label?: string): Collection<T>;
  /** A new unique collection name. */
  name(label?: string): string;
}

let counter = 0;

/** Registers beforeEach/afterEach hooks that give every test its own store. */
export function useFreshStore(factory: ReadStoreFactory): ContractContext {
  let current: Awaited<ReturnType<ReadStoreFactory>> | undefined;
  beforeEach(async () => {
    current = await factory();
  });
  afterEach(async () => {
    await current?.cleanup();
    current = undefined;
  });
  const store = (): ReadStore => {
    if (!current) throw new Error('the store exists only inside a test');
    return current.store;
  };
  // Unique names keep tests apart even when an adapter's factory reuses one database.
  const name = (label = 'c'): string => `contract_${label}_${process.pid}_${++counter}`;
  return {
    get store() {
      return store();
    },
    name,
    collection: <T extends Document = Document>(label?: string) => store().collection<T>(name(label)),
  };
}

/** Inserts documents one by one, in order (so natural order is the array order). */
export async function insertAll(collection: Collection, docs: readonly Document[]): Promise<void> {
  for (const doc of docs) await collection.insertOne({ ...doc });
}

/** `_id`s of the documents matching `filter`, in ascending `_id` order. */
export async function idsMatching(collection: Collection, filter: Filter): Promise<unknown[]> {
  const docs = await collection.find(filter, { sort: { _id: 1 } });
  return docs.map((d) => d._id);
}
