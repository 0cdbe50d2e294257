/**
 * The ReadStore contract against a real MongoDB: runs only when MONGODB_URI names a replica
 * set (or mongos), e.g.
 *
 *   MONGODB_URI='mongodb://localhost:27017/?replicaSet=rs0' npm run test:mongo
 *
 * (a one-node replica set is enough: `mongod --replSet rs0`, then `rs.initiate()` once).
 * Each run uses a fresh database `vjt_contract_<random>` and drops it afterwards, so any
 * database in the URI is left untouched. Without MONGODB_URI the suite is skipped, loudly.
 */
import { randomBytes } from 'node:crypto';
import { Long, MongoClient, ObjectId } from 'mongodb';
import { describeReadStoreContract } from '../testing/read-store.contract';
import { MongoReadStore } from './mongo-read-store';

const uri = process.env.MONGODB_URI;

if (!uri) {
  console.warn(
    'SKIPPED: the MongoReadStore contract suite needs a MongoDB replica set. ' +
      "Set MONGODB_URI (e.g. MONGODB_URI='mongodb://localhost:27017/?replicaSet=rs0') and run npm run test:mongo.",
  );
  describe('MongoReadStore against a real MongoDB', () => {
    it.skip('SKIPPED: MONGODB_URI is not set, so the ReadStore contract did not run against MongoDB', () => undefined);
  });
} else {
  const databaseName = `vjt_contract_${randomBytes(6).toString('hex')}`;
  let shared: MongoReadStore | undefined;
  const connect = async (): Promise<MongoReadStore> => (shared ??= await MongoReadStore.connect({ uri, databaseName }));

  afterAll(async () => {
    await shared?.close();
    const client = new MongoClient(uri);
    try {
      await client.db(databaseName).dropDatabase();
    } finally {
      await client.close();
    }
  });

  // One connection for the whole file: the contract gives every test its own collection names.
  describeReadStoreContract('MongoReadStore', async () => ({ store: await connect(), cleanup: async () => undefined }));

  describe('MongoReadStore (real server only)', () => {
    const name = (label: string) => `real_${label}_${randomBytes(3).toString('hex')}`;

    it('uses the database it was given', async () => {
      expect((await connect()).databaseName).toBe(databaseName);
    });

    it('re-runs work after a write conflict with a write outside the transaction (TransientTransactionError)', async () => {
      const store = await connect();
      const collection = name('conflict');
      await store.collection(collection).insertOne({ _id: 1, n: 0 });
      let attempts = 0;
      await store.withTransaction(async (tx) => {
        attempts++;
        const current = (await tx.collection(collection).findOne({ _id: 1 }))!; // the snapshot is taken here
        if (attempts === 1) await store.collection(collection).updateOne({ _id: 1 }, { $inc: { n: 100 } });
        await tx.collection(collection).replaceOne({ _id: 1 }, { n: current.n + 1 });
      });
      expect(attempts).toBe(2);
      expect(await store.collection(collection).findOne({ _id: 1 })).toEqual({ _id: 1, n: 101 });
    });

    it('returns int64 within 2^53 as numbers, beyond as bson Long; generated _ids are ObjectIds', async () => {
      const docs = (await connect()).collection(name('long'));
      const doc: Record<string, unknown> = { small: Long.fromNumber(2 ** 40), big: Long.fromString('9007199254740993') };
      await docs.insertOne(doc);
      expect(doc._id).toBeInstanceOf(ObjectId);
      const found = (await docs.findOne({ _id: doc._id }))!;
      expect(found.small).toBe(2 ** 40);
      expect(found.big).toBeInstanceOf(Long);
      expect(String(found.big)).toBe('9007199254740993');
    });

    it('writes a 500-document bulk of ~2 KB replaceOne upserts in one transaction', async () => {
      const store = await connect();
      const collection = name('bulk');
      const operations = Array.from({ length: 500 }, (_, i) => ({
        replaceOne: { filter: { _id: `j-${i}` }, replacement: { n: i, notes: 'x'.repeat(2000) }, upsert: true },
      }));
      const started = performance.now();
      const result = await store.withTransaction((tx) => tx.collection(collection).bulkWrite(operations));
      console.log(`MongoDB: 500 x 2 KB replaceOne upserts in one transaction took ${(performance.now() - started).toFixed(0)} ms`);
      expect(result).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedCount: 500, deletedCount: 0 });
      expect(await store.collection(collection).countDocuments()).toBe(500);
    });
  });
}
