/**
 * MongoReadStore driven through the real driver against a scripted wire-protocol server
 * (testing/fake-mongod.ts): what the driver sends on the adapter's behalf (sessions,
 * transaction fields, write concerns, bulk batches) and how the adapter maps real driver
 * replies and errors. MongoDB's semantics are checked by the contract suite against a real
 * server (mongo-read-store.spec.ts, MONGODB_URI).
 */
import { Long, MongoServerError, type Document } from 'mongodb';
import { BulkWriteError, DuplicateKeyError } from '../read-store.port';
import { FakeMongod, commandError, cursorReply, replicaSetHello, type CommandHandler } from '../testing/fake-mongod';
import { MongoReadStore } from './mongo-read-store';

const fast = { serverSelectionTimeoutMS: 2000 };
const E11000 = (index: number, id: unknown) => ({
  index, code: 11000, errmsg: `E11000 duplicate key error collection: db.c index: _id_ dup key: { _id: ${JSON.stringify(id)} }`,
  keyPattern: { _id: 1 }, keyValue: { _id: id },
});

describe('MongoReadStore on the wire (fake mongod)', () => {
  let fake: FakeMongod;
  let store: MongoReadStore;
  async function open(handler: CommandHandler, path = '/db'): Promise<void> {
    fake = await FakeMongod.start(replicaSetHello, handler);
    store = await MongoReadStore.connect({ uri: `mongodb://${fake.host}${path}?replicaSet=rs0`, clientOptions: fast });
  }
  afterEach(async () => {
    await store?.close();
    await fake?.close();
  });

  it('refuses a standalone mongod at connect, with a message saying what to do', async () => {
    const standalone = await FakeMongod.start(() => ({}));
    try {
      await expect(MongoReadStore.connect({ uri: `mongodb://${standalone.host}/db`, clientOptions: fast })).rejects.toThrow(
        /needs a replica set.*standalone mongod.*--replSet/s,
      );
    } finally {
      await standalone.close();
    }
  });

  it("uses the URI's database, else 'victim-journeys'", async () => {
    await open(() => undefined, '/from_uri');
    expect(store.databaseName).toBe('from_uri');
    await store.close();
    await fake.close();
    await open(() => undefined, '/');
    expect(store.databaseName).toBe('victim-journeys');
  });

  it('passes filters and find options straight through, outside any transaction', async () => {
    await open((c) => cursorReply('db.c', [{ _id: 1, a: 'x' }]));
    const filter = { a: { $in: ['x', 'y'] }, 'b.c': { $exists: false } };
    expect(await store.collection('c').find(filter, { sort: { a: -1, _id: 1 }, skip: 2, limit: 3, projection: { a: 1 } })).toEqual([{ _id: 1, a: 'x' }]);
    const [find] = fake.sent('find');
    expect(find).toMatchObject({ find: 'c', filter, sort: { a: -1, _id: 1 }, skip: 2, limit: 3, projection: { a: 1 }, $db: 'db' });
    expect(find).not.toHaveProperty('txnNumber');
    expect(find).not.toHaveProperty('startTransaction');
  });

  it('returns int64 values within 2^53 as numbers and beyond as bson Long (driver default promoteLongs)', async () => {
    await open(() => cursorReply('db.c', [{ _id: 1, small: Long.fromNumber(2 ** 40), big: Long.fromString('9007199254740993') }]));
    const doc = (await store.collection('c').findOne({ _id: 1 }))!;
    expect(doc.small).toBe(2 ** 40);
    expect(doc.big).toBeInstanceOf(Long);
    expect(doc.big.toString()).toBe('9007199254740993');
  });

  it('runs work in one transaction: every operation carries the session, snapshot read concern, majority+journal commit', async () => {
    await open((c) => {
      if (c.name === 'find') return cursorReply('db.c', []);
      if (c.name === 'update') return { n: 1, nModified: 0, upserted: [{ index: 0, _id: 'a' }] };
      if (c.name === 'commitTransaction') return {};
      return undefined;
    });
    const result = await store.withTransaction(async (tx) => {
      const docs = tx.collection('c');
      expect(await docs.findOne({ _id: 'a' })).toBeNull();
      return docs.bulkWrite([{ replaceOne: { filter: { _id: 'a' }, replacement: { n: 1 }, upsert: true } }]);
    });
    expect(result).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedCount: 1, deletedCount: 0 });
    const [find, update, commit] = fake.commands.map((c) => c.body);
    expect(fake.commands.map((c) => c.name)).toEqual(['find', 'update', 'commitTransaction']);
    expect(find).toMatchObject({ startTransaction: true, autocommit: false, readConcern: { level: 'snapshot' } });
    expect(update).toMatchObject({ autocommit: false, ordered: true, updates: [{ q: { _id: 'a' }, u: { n: 1 }, upsert: true }] });
    expect(update).not.toHaveProperty('startTransaction');
    for (const command of [update, commit]) {
      expect(command.lsid).toEqual(find.lsid);
      expect(command.txnNumber).toEqual(find.txnNumber);
    }
    expect(commit).toMatchObject({ $db: 'admin', writeConcern: { w: 'majority', j: true } });
  });

  it('re-runs work when the driver retries a TransientTransactionError, and commits the new attempt', async () => {
    let commits = 0;
    await open((c) => {
      if (c.name === 'insert') return { n: 1 };
      if (c.name === 'commitTransaction') return ++commits === 1 ? commandError(112, 'WriteConflict', ['TransientTransactionError']) : {};
      if (c.name === 'abortTransaction') return {};
      return undefined;
    });
    let attempts = 0;
    await store.withTransaction(async (tx) => {
      attempts++;
      await tx.collection('c').insertOne({ _id: 'x' });
    });
    expect(attempts).toBe(2);
    const inserts = fake.sent('insert');
    expect(inserts.map((i) => i.startTransaction)).toEqual([true, true]);
    expect(Number(inserts[1].txnNumber)).toBe(Number(inserts[0].txnNumber) + 1);
  });

  it('maps E11000 from insertOne to DuplicateKeyError, keeping the driver error as cause', async () => {
    await open((c) => (c.name === 'insert' ? { n: 0, writeErrors: [E11000(0, 'a')] } : undefined));
    const error = await store.collection('c').insertOne({ _id: 'a' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DuplicateKeyError);
    expect(error).toMatchObject({ code: 11000, collection: 'c', key: { _id: 'a' } });
    expect((error as Error).cause).toBeInstanceOf(MongoServerError);
  });

  it('does not commit when work swallows a failed write: later operations and the commit are refused', async () => {
    await open((c) => {
      if (c.name === 'insert') return { n: 0, writeErrors: [E11000(0, 'a')] };
      if (c.name === 'abortTransaction') return {};
      return cursorReply('db.c', []);
    });
    let attempts = 0;
    const attempt = store.withTransaction(async (tx) => {
      attempts++;
      await tx.collection('c').insertOne({ _id: 'a' }).catch(() => undefined);
      await expect(tx.collection('c').find({})).rejects.toThrow(/earlier operation of this transaction failed/);
    });
    await expect(attempt).rejects.toBeInstanceOf(DuplicateKeyError);
    expect(attempts).toBe(1);
    expect(fake.commands.map((c) => c.name)).toEqual(['insert', 'abortTransaction']);
  });

  it("reports an ordered bulk's first write error with its index in the caller's list, across driver batches", async () => {
    let updates = 0;
    await open((c) => {
      if (c.name === 'update') return ++updates === 1 ? { n: 1, nModified: 0, upserted: [{ index: 0, _id: 'a' }] } : { n: 0, nModified: 0, writeErrors: [E11000(0, 'dup')] };
      if (c.name === 'delete') return { n: 1 };
      return undefined;
    });
    const error = await store
      .collection('c')
      .bulkWrite([
        { replaceOne: { filter: { _id: 'a' }, replacement: { n: 1 }, upsert: true } },
        { deleteOne: { filter: { _id: 'gone' } } },
        { updateOne: { filter: { _id: 'dup', x: 5 }, update: { $set: { y: 1 } }, upsert: true } },
        { replaceOne: { filter: { _id: 'c' }, replacement: { n: 3 }, upsert: true } },
      ])
      .catch((e: unknown) => e);
    expect(fake.commands.map((c) => [c.name, (c.body.updates ?? c.body.deletes).length])).toEqual([['update', 1], ['delete', 1], ['update', 2]]);
    expect(error).toBeInstanceOf(BulkWriteError);
    expect(error).toMatchObject({ code: 11000, index: 2, result: { matchedCount: 0, modifiedCount: 0, upsertedCount: 1, deletedCount: 1 } });
    // The driver drops keyValue from a bulk's write errors: the key is the server's text.
    expect((error as BulkWriteError).cause).toMatchObject({ name: 'DuplicateKeyError', key: '{ _id: "dup" }' });
  });

  it('sends nothing for an empty bulkWrite, and refuses $out and $merge', async () => {
    await open(() => undefined);
    expect(await store.collection('c').bulkWrite([])).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedCount: 0, deletedCount: 0 });
    await expect(store.collection('c').aggregate([{ $match: {} }, { $out: 'x' }])).rejects.toThrow(/\$out is not supported/);
    await expect(store.collection('c').aggregate([{ $merge: { into: 'x' } }])).rejects.toThrow(/\$merge is not supported/);
    expect(fake.commands).toEqual([]);
  });

  it('creates named indexes, skips _id, and maps a unique index the data violates to DuplicateKeyError', async () => {
    await open((c) => (c.name === 'createIndexes' && c.body.indexes.length === 1 ? { ok: 0, code: 11000, codeName: 'DuplicateKey', errmsg: 'E11000', keyValue: { k: 1 } } : {}));
    await store.ensureIndexes('people', [{ key: { _id: 1 } }, { key: { email: 1 }, unique: true }, { key: { status: 1, at: -1 }, name: 'by_status' }, { key: { city: 1 } }]);
    expect(fake.sent('createIndexes')[0]).toMatchObject({
      createIndexes: 'people',
      indexes: [{ key: { email: 1 }, name: 'email_1', unique: true }, { key: { status: 1, at: -1 }, name: 'by_status' }, { key: { city: 1 }, name: 'city_1' }],
    });
    expect(fake.sent('createIndexes')[0].indexes[2]).not.toHaveProperty('unique');
    await expect(store.ensureIndexes('late', [{ key: { k: 1 }, unique: true }])).rejects.toMatchObject({ name: 'DuplicateKeyError', key: { k: 1 } });
  });

  it('lists collections sorted without system ones, and ignores dropping a missing collection', async () => {
    await open((c) => {
      if (c.name === 'listCollections') return cursorReply('db.$cmd.listCollections', [{ name: 'b' }, { name: 'system.views' }, { name: 'a' }]);
      if (c.name === 'drop') return commandError(26, 'NamespaceNotFound');
      return undefined;
    });
    expect(await store.listCollections()).toEqual(['a', 'b']);
    expect(fake.sent('listCollections')[0]).toMatchObject({ nameOnly: true, authorizedCollections: true });
    await expect(store.dropCollection('missing')).resolves.toBeUndefined();
  });

  it('runs transactions one at a time and close() waits for the queued ones, then refuses work', async () => {
    await open((c) => (c.name === 'insert' ? { n: 1 } : c.name === 'commitTransaction' ? {} : undefined));
    const order: string[] = [];
    const run = (label: string) =>
      store.withTransaction(async (tx) => {
        order.push(`${label} start`);
        await tx.collection('c').insertOne({ _id: label } as Document);
        order.push(`${label} end`);
      });
    const both = Promise.all([run('one'), run('two')]);
    const closed = store.close();
    await both;
    await closed;
    expect(order).toEqual(['one start', 'one end', 'two start', 'two end']);
    await expect(store.withTransaction(async () => undefined)).rejects.toThrow(/closed/);
    await expect(store.collection('c').findOne({})).rejects.toThrow(/closed/);
  });
});
