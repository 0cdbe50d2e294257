/**
 * MongoDataKeyStore driven through the real driver against the read store's scripted wire
 * server (no mongod can run here): first the DataKeyStore contract over an in-memory
 * emulation of the few commands the adapter sends, then exactly what it sends (write and
 * read concerns, the upsert shapes). MongoDB's own semantics are proven by
 * mongo-data-key-store.spec.ts against a real server.
 */
import { FakeMongod, replicaSetHello } from '../../../read-store/src/testing/fake-mongod';
import { aWrappedKey, describeDataKeyStoreContract } from '../testing/data-key-store.contract';
import { emulatedKeyMongod } from '../testing/emulated-key-mongod';
import { DEFAULT_KEYS_DATABASE_NAME, MongoDataKeyStore } from './mongo-data-key-store';

const fast = { serverSelectionTimeoutMS: 2000 };
const emulation = emulatedKeyMongod();
let fake: FakeMongod;

beforeAll(async () => {
  fake = await FakeMongod.start(replicaSetHello, emulation);
});
afterAll(() => fake.close());

const connect = (path = '/', databaseName?: string) =>
  MongoDataKeyStore.connect({ uri: `mongodb://${fake.host}${path}?replicaSet=rs0`, databaseName, clientOptions: fast });

describeDataKeyStoreContract('MongoDataKeyStore (emulated mongod)', () => connect('/', 'keys'), async () => emulation.reset());

describe('MongoDataKeyStore on the wire', () => {
  let store: MongoDataKeyStore | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
    emulation.reset();
    fake.commands.length = 0;
  });

  it("uses the explicit database, else the URI's, else 'victim-journeys-keys'", async () => {
    for (const [path, name, expected] of [['/', 'explicit', 'explicit'], ['/from_uri', undefined, 'from_uri'], ['/', undefined, DEFAULT_KEYS_DATABASE_NAME]] as const) {
      store = await connect(path, name);
      expect(store.databaseName).toBe(expected);
      await store.close();
    }
  });

  it('creates the rotation index at connect', async () => {
    store = await connect();
    expect(fake.sent('createIndexes')).toEqual([
      expect.objectContaining({ createIndexes: 'data_keys', indexes: [{ key: { kekId: 1, _id: 1 }, name: 'kekId_1__id_1', partialFilterExpression: { kekId: { $exists: true } } }] }),
    ]);
  });

  it('puts a key with one upsert that only inserts ($setOnInsert), majority + journal, returning the stored document', async () => {
    store = await connect();
    const key = aWrappedKey();
    await store.putIfAbsent(key);
    const [command] = fake.sent('findAndModify');
    expect(command).toMatchObject({
      findAndModify: 'data_keys', query: { _id: key.journeyId }, upsert: true, new: true,
      update: { $setOnInsert: { kekId: key.kekId, createdAt: key.createdAt } },
      writeConcern: { w: 'majority', j: true },
    });
    expect(Buffer.from(command.update.$setOnInsert.wrapped.buffer).toString('base64')).toBe(key.wrapped);
  });

  it('reads with majority read concern, so no key it returns can be rolled back', async () => {
    store = await connect();
    await store.get('j-1');
    await store.wrappedUnder('kek', 5);
    await store.erasureCheckpoint();
    for (const find of fake.sent('find')) expect(find).toMatchObject({ readConcern: { level: 'majority' } });
    expect(fake.sent('find')[1]).toMatchObject({ filter: { kekId: { $exists: true, $ne: 'kek' } }, sort: { _id: 1 }, limit: 5 });
  });

  it('destroys by unsetting the key material with majority + journal, upserting a tombstone', async () => {
    store = await connect();
    await store.destroy('j-1', '2025-01-01T00:00:00.000Z');
    expect(fake.sent('update')[0]).toMatchObject({
      update: 'data_keys',
      updates: [{ q: { _id: 'j-1', erasedAt: { $exists: false } }, u: { $set: { erasedAt: '2025-01-01T00:00:00.000Z' }, $unset: { kekId: '', wrapped: '', createdAt: '' } }, upsert: true }],
      writeConcern: { w: 'majority', j: true },
    });
  });

  it('treats the duplicate key met when destroying a tombstone as "already erased"', async () => {
    store = await connect();
    await store.destroy('j-1', '2025-01-01T00:00:00.000Z');
    await expect(store.destroy('j-1', '2025-02-01T00:00:00.000Z')).resolves.toBeUndefined();
    expect(fake.sent('update')).toHaveLength(2);
  });

  it('fails every call after close', async () => {
    store = await connect();
    await store.close();
    await expect(store.get('j-1')).rejects.toThrow('The key store is closed');
  });
});
