import type { ReadStore, ReadStoreTransaction } from '../../../libs/read-store/src/read-store.port';

/**
 * Where each projection has got to in the global log. Stored in the read store, in the same
 * transaction as the projection's documents, so a crash can never separate the two.
 * The position is a decimal string: lossless for any backend's position.
 */
export const CHECKPOINTS = 'projection_checkpoints';

export interface CheckpointDocument {
  _id: string;
  version: number;
  position: string;
  updatedAt: string;
}

export async function readCheckpoint(store: ReadStore, projection: string): Promise<bigint | undefined> {
  const doc = await store.collection<CheckpointDocument>(CHECKPOINTS).findOne({ _id: projection });
  return doc ? BigInt(doc.position) : undefined;
}

export async function writeCheckpoint(tx: ReadStoreTransaction, projection: string, version: number, position: bigint, now: string): Promise<void> {
  await tx.collection<CheckpointDocument>(CHECKPOINTS).replaceOne(
    { _id: projection },
    { _id: projection, version, position: position.toString(), updatedAt: now },
    { upsert: true },
  );
}
