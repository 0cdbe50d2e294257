/**
 * The DataKeyStore contract against a real MongoDB: runs only when MONGODB_URI is set, e.g.
 *
 *     MONGODB_URI='mongodb://localhost:27017/?replicaSet=rs0' npx jest libs/personal-data/src/mongodb
 *
 * (the key store needs no transactions, so a standalone mongod works too). Each run uses a
 * fresh database `vjt_keys_<random>`, emptied after every test and dropped at the end, so any
 * database named in the URI is left untouched. Without MONGODB_URI the suite is skipped, loudly.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { describeDataKeyStoreContract } from '../testing/data-key-store.contract';
import { MongoDataKeyStore } from './mongo-data-key-store';

const uri = process.env.MONGODB_URI;

if (!uri) {
  console.warn(
    'SKIPPED: the MongoDataKeyStore contract suite needs a MongoDB server. ' +
      "Set MONGODB_URI (e.g. MONGODB_URI='mongodb://localhost:27017/?replicaSet=rs0') and run npx jest libs/personal-data/src/mongodb.",
  );
  describe.skip('MongoDataKeyStore against a real MongoDB (MONGODB_URI is not set)', () => {
    it('honours the DataKeyStore contract', () => undefined);
  });
} else {
  const databaseName = `vjt_keys_${randomBytes(6).toString('hex')}`;
  let admin: MongoClient | undefined;
  const database = async () => (admin ??= await new MongoClient(uri).connect()).db(databaseName);

  afterAll(async () => {
    await (await database()).dropDatabase();
    await admin?.close();
  });

  describeDataKeyStoreContract(
    'MongoDataKeyStore',
    () => MongoDataKeyStore.connect({ uri, databaseName }),
    async () => {
      const db = await database();
      await Promise.all(['data_keys', 'key_store_state'].map((name) => db.collection(name).deleteMany({})));
    },
  );
}
