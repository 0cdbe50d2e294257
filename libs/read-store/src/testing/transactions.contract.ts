/// <reference types="jest" />
import { DuplicateKeyError } from '../read-store.port';
import type { ContractContext } from './contract-context';

/** Transactions (port contract; MongoDB manual: "Transactions", all-or-nothing, read your own writes). */
export function describeTransactionContract(ctx: ContractContext): void {
  describe('transactions', () => {
    it('commits writes to several collections together and returns the result of work (manual: Transactions)', async () => {
      const [a, b] = [ctx.name('a'), ctx.name('b')];
      await ctx.store.collection(a).insertOne({ _id: 1, n: 0 });
      const result = await ctx.store.withTransaction(async (tx) => {
        await tx.collection(a).updateOne({ _id: 1 }, { $inc: { n: 1 } });
        await tx.collection(b).insertOne({ _id: 'x' });
        // Outside the transaction nothing is visible until it commits.
        expect(await ctx.store.collection(a).findOne({ _id: 1 })).toEqual({ _id: 1, n: 0 });
        expect(await ctx.store.collection(b).countDocuments()).toBe(0);
        return 'done';
      });
      expect(result).toBe('done');
      expect(await ctx.store.collection(a).findOne({ _id: 1 })).toEqual({ _id: 1, n: 1 });
      expect(await ctx.store.collection(b).find({})).toEqual([{ _id: 'x' }]);
    });

    it('writes nothing when work throws (manual: Transactions, atomicity)', async () => {
      const name = ctx.name('atomic');
      await ctx.store.collection(name).insertOne({ _id: 1, n: 0 });
      const failure = ctx.store.withTransaction(async (tx) => {
        const docs = tx.collection(name);
        await docs.insertOne({ _id: 2 });
        await docs.updateOne({ _id: 1 }, { $inc: { n: 5 } });
        await docs.deleteOne({ _id: 1 });
        throw new Error('boom');
      });
      await expect(failure).rejects.toThrow('boom');
      expect(await ctx.store.collection(name).find({})).toEqual([{ _id: 1, n: 0 }]);
    });

    it('reads inside a transaction see its earlier writes (manual: Transactions, read your own writes)', async () => {
      const name = ctx.name('ryow');
      await ctx.store.collection(name).insertOne({ _id: 1, n: 1 });
      await ctx.store.withTransaction(async (tx) => {
        const docs = tx.collection(name);
        await docs.insertOne({ _id: 2, n: 2 });
        await docs.updateOne({ _id: 1 }, { $set: { n: 10 } });
        expect(await docs.findOne({ _id: 2 })).toEqual({ _id: 2, n: 2 });
        expect(await docs.find({ n: { $gte: 2 } }, { sort: { n: -1 } })).toEqual([{ _id: 1, n: 10 }, { _id: 2, n: 2 }]);
        expect(await docs.countDocuments()).toBe(2);
        expect(await docs.aggregate([{ $group: { _id: null, total: { $sum: '$n' } } }])).toEqual([{ _id: null, total: 12 }]);
        await docs.deleteOne({ _id: 1 });
        expect(await docs.findOne({ _id: 1 })).toBeNull();
      });
      expect(await ctx.store.collection(name).find({})).toEqual([{ _id: 2, n: 2 }]);
    });

    it('runs transactions one at a time, so read-modify-write does not lose updates (port: ReadStore.withTransaction)', async () => {
      const name = ctx.name('serial');
      await ctx.store.collection(name).insertOne({ _id: 'counter', n: 0 });
      const increment = () =>
        ctx.store.withTransaction(async (tx) => {
          const docs = tx.collection(name);
          const current = (await docs.findOne({ _id: 'counter' }))!;
          await new Promise((resolve) => setTimeout(resolve, 2));
          await docs.replaceOne({ _id: 'counter' }, { _id: 'counter', n: current.n + 1 });
        });
      await Promise.all([increment(), increment(), increment(), increment(), increment()]);
      expect(await ctx.store.collection(name).findOne({ _id: 'counter' })).toEqual({ _id: 'counter', n: 5 });
    });

  });

  describe('duplicate keys and indexes', () => {
    it('insertOne of an existing _id throws DuplicateKeyError, code 11000 (manual: "Duplicate Key Error", E11000)', async () => {
      const docs = ctx.collection('dup');
      await docs.insertOne({ _id: 'a', v: 1 });
      const attempt = docs.insertOne({ _id: 'a', v: 2 });
      await expect(attempt).rejects.toBeInstanceOf(DuplicateKeyError);
      await expect(docs.insertOne({ _id: 'a' })).rejects.toMatchObject({ code: 11000 });
      expect(await docs.find({})).toEqual([{ _id: 'a', v: 1 }]);
    });

    it('insertOne generates an _id when the document has none (manual: db.collection.insertOne, "_id Field")', async () => {
      const docs = ctx.collection('gen');
      const doc: Record<string, unknown> = { v: 1 };
      await docs.insertOne(doc);
      expect(doc._id).toBeDefined();
      expect(await docs.findOne({ _id: doc._id })).toEqual({ _id: doc._id, v: 1 });
    });

    it('a duplicate key inside a transaction fails the whole transaction (manual: Transactions)', async () => {
      const name = ctx.name('dup-tx');
      await ctx.store.collection(name).insertOne({ _id: 1 });
      const attempt = ctx.store.withTransaction(async (tx) => {
        await tx.collection(name).insertOne({ _id: 2 });
        await tx.collection(name).insertOne({ _id: 1 });
      });
      await expect(attempt).rejects.toBeInstanceOf(DuplicateKeyError);
      expect(await ctx.store.collection(name).countDocuments()).toBe(1);
    });

    it('enforces unique indexes on insert, update and upsert (manual: Unique Indexes)', async () => {
      const name = ctx.name('unique');
      await ctx.store.ensureIndexes(name, [{ key: { email: 1 }, unique: true, name: 'email_unique' }]);
      await ctx.store.ensureIndexes(name, [{ key: { email: 1 }, unique: true, name: 'email_unique' }]);
      const users = ctx.store.collection(name);
      await users.insertOne({ _id: 1, email: 'a@x' });
      await users.insertOne({ _id: 2, email: 'b@x' });
      await expect(users.insertOne({ _id: 3, email: 'a@x' })).rejects.toMatchObject({ code: 11000 });
      await expect(users.updateOne({ _id: 2 }, { $set: { email: 'a@x' } })).rejects.toMatchObject({ code: 11000 });
      await expect(users.updateOne({ _id: 9 }, { $set: { email: 'b@x' } }, { upsert: true })).rejects.toMatchObject({ code: 11000 });
      await users.updateOne({ _id: 1 }, { $set: { email: 'c@x' } });
      await users.insertOne({ _id: 4, email: 'a@x' });
      expect(await users.find({}, { sort: { _id: 1 } })).toEqual([
        { _id: 1, email: 'c@x' }, { _id: 2, email: 'b@x' }, { _id: 4, email: 'a@x' },
      ]);
    });

    it('lets a transaction move a unique value from one document to another (manual: Unique Indexes)', async () => {
      const name = ctx.name('unique-move');
      await ctx.store.ensureIndexes(name, [{ key: { code: 1 }, unique: true }]);
      await ctx.store.collection(name).insertOne({ _id: 1, code: 'A' });
      await ctx.store.withTransaction(async (tx) => {
        await tx.collection(name).updateOne({ _id: 1 }, { $set: { code: 'B' } });
        await tx.collection(name).insertOne({ _id: 2, code: 'A' });
      });
      expect(await ctx.store.collection(name).countDocuments({ code: { $in: ['A', 'B'] } })).toBe(2);
    });

    it('treats a missing field as null in a unique index (manual: Unique Indexes, "Missing Document Field")', async () => {
      const name = ctx.name('unique-missing');
      await ctx.store.ensureIndexes(name, [{ key: { email: 1 }, unique: true }]);
      await ctx.store.collection(name).insertOne({ _id: 1 });
      await expect(ctx.store.collection(name).insertOne({ _id: 2 })).rejects.toMatchObject({ code: 11000 });
    });

    it('enforces compound unique indexes on the combination (manual: Unique Indexes, "Unique Compound Index")', async () => {
      const name = ctx.name('unique-compound');
      await ctx.store.ensureIndexes(name, [{ key: { a: 1, b: 1 }, unique: true }]);
      const docs = ctx.store.collection(name);
      await docs.insertOne({ _id: 1, a: 1, b: 1 });
      await docs.insertOne({ _id: 2, a: 1, b: 2 });
      await expect(docs.insertOne({ _id: 3, a: 1, b: 1 })).rejects.toMatchObject({ code: 11000 });
    });

    it('refuses a unique index the existing documents violate (manual: Unique Indexes, "Restrictions")', async () => {
      const name = ctx.name('unique-late');
      await ctx.store.collection(name).insertOne({ _id: 1, k: 'same' });
      await ctx.store.collection(name).insertOne({ _id: 2, k: 'same' });
      await expect(ctx.store.ensureIndexes(name, [{ key: { k: 1 }, unique: true }])).rejects.toMatchObject({ code: 11000 });
      await ctx.store.collection(name).insertOne({ _id: 3, k: 'same' });
    });

    it('accepts non-unique indexes without changing results (manual: db.collection.createIndex)', async () => {
      const name = ctx.name('plain-index');
      await ctx.store.ensureIndexes(name, [{ key: { status: 1, at: -1 } }, { key: { owner: 1 }, name: 'by_owner' }]);
      const docs = ctx.store.collection(name);
      await docs.insertOne({ _id: 1, status: 'open', owner: 'x' });
      await docs.insertOne({ _id: 2, status: 'open', owner: 'x' });
      expect(await docs.countDocuments({ status: 'open', owner: 'x' })).toBe(2);
    });

    it('lists collections and drops one with its documents and indexes (manual: listCollections, db.collection.drop)', async () => {
      const [kept, dropped] = [ctx.name('kept'), ctx.name('dropped')];
      await ctx.store.collection(kept).insertOne({ _id: 1 });
      await ctx.store.ensureIndexes(dropped, [{ key: { k: 1 }, unique: true }]);
      await ctx.store.collection(dropped).insertOne({ _id: 1, k: 1 });
      expect(await ctx.store.listCollections()).toEqual(expect.arrayContaining([kept, dropped]));
      await ctx.store.dropCollection(dropped);
      expect(await ctx.store.listCollections()).toEqual(expect.arrayContaining([kept]));
      expect(await ctx.store.listCollections()).not.toContain(dropped);
      expect(await ctx.store.collection(dropped).countDocuments()).toBe(0);
      await ctx.store.collection(dropped).insertOne({ _id: 1, k: 1 });
      await ctx.store.collection(dropped).insertOne({ _id: 2, k: 1 });
    });
  });
}
