/// <reference types="jest" />
import { BulkWriteError, DuplicateKeyError, type BulkWriteOperation } from '../read-store.port';
import { insertAll, type ContractContext } from './contract-context';

/** Ordered bulk writes (MongoDB manual: db.collection.bulkWrite(), "Ordered vs Unordered Operations"). */
export function describeBulkWriteContract(ctx: ContractContext): void {
  describe('bulkWrite (ordered)', () => {
    it('applies replaceOne, updateOne and deleteOne with upserts and returns the counts (manual: db.collection.bulkWrite(), "Returns")', async () => {
      const docs = ctx.collection('bulk');
      await insertAll(docs, [{ _id: 1, n: 1 }, { _id: 2, n: 2 }, { _id: 3, n: 3 }]);
      const result = await docs.bulkWrite([
        { updateOne: { filter: { _id: 1 }, update: { $inc: { n: 10 } } } },
        { replaceOne: { filter: { _id: 2 }, replacement: { _id: 2, n: 2 } } }, // identical: matched, not modified
        { replaceOne: { filter: { _id: 'r', ignored: true }, replacement: { n: 'r' }, upsert: true } },
        { updateOne: { filter: { _id: 'u', kind: 'k' }, update: { $set: { n: 'u' } }, upsert: true } },
        { updateOne: { filter: { _id: 'none' }, update: { $set: { n: 0 } } } },
        { deleteOne: { filter: { n: { $gte: 3, $lt: 10 } } } },
        { deleteOne: { filter: { _id: 'none' } } },
      ]);
      // matchedCount excludes upserts, as in MongoDB's BulkWriteResult.
      expect(result).toEqual({ matchedCount: 2, modifiedCount: 1, upsertedCount: 2, deletedCount: 1 });
      expect(await docs.find({}, { sort: { _id: 1 } })).toEqual([
        { _id: 1, n: 11 }, { _id: 2, n: 2 }, { _id: 'r', n: 'r' }, { _id: 'u', kind: 'k', n: 'u' },
      ]);
    });

    it('applies operations in order, each seeing the ones before it (manual: bulkWrite, "Ordered Operations")', async () => {
      const docs = ctx.collection('bulk-order');
      const result = await docs.bulkWrite([
        { replaceOne: { filter: { _id: 'k' }, replacement: { n: 1 }, upsert: true } },
        { updateOne: { filter: { _id: 'k' }, update: { $inc: { n: 1 } }, upsert: true } },
        { deleteOne: { filter: { n: 2 } } },
        { updateOne: { filter: { _id: 'k' }, update: { $setOnInsert: { again: true } }, upsert: true } },
      ]);
      expect(result).toEqual({ matchedCount: 1, modifiedCount: 1, upsertedCount: 2, deletedCount: 1 });
      expect(await docs.find({})).toEqual([{ _id: 'k', again: true }]);
    });

    it('stops at the first error and keeps the writes before it outside a transaction (manual: bulkWrite, "Ordered Operations", "Error Handling")', async () => {
      const docs = ctx.collection('bulk-error');
      await docs.insertOne({ _id: 'dup', x: 4 });
      await docs.insertOne({ _id: 'gone' });
      const operations: BulkWriteOperation[] = [
        { replaceOne: { filter: { _id: 'a' }, replacement: { n: 1 }, upsert: true } },
        { deleteOne: { filter: { _id: 'gone' } } },
        { updateOne: { filter: { _id: 'dup', x: 5 }, update: { $set: { y: 1 } }, upsert: true } }, // inserts a second 'dup'
        { replaceOne: { filter: { _id: 'c' }, replacement: { n: 3 }, upsert: true } },
      ];
      const error = await docs.bulkWrite(operations).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BulkWriteError);
      expect(error).toMatchObject({ code: 11000, index: 2, result: { matchedCount: 0, modifiedCount: 0, upsertedCount: 1, deletedCount: 1 } });
      expect((error as BulkWriteError).cause).toBeInstanceOf(DuplicateKeyError);
      expect(await docs.find({}, { sort: { _id: 1 } })).toEqual([{ _id: 'a', n: 1 }, { _id: 'dup', x: 4 }]);
    });

    it('stops at a unique-index violation too (manual: bulkWrite, "Error Handling"; Unique Indexes)', async () => {
      const name = ctx.name('bulk-unique');
      await ctx.store.ensureIndexes(name, [{ key: { email: 1 }, unique: true, name: 'email_unique' }]);
      const users = ctx.store.collection(name);
      const attempt = users.bulkWrite([
        { replaceOne: { filter: { _id: 1 }, replacement: { email: 'a@x' }, upsert: true } },
        { replaceOne: { filter: { _id: 2 }, replacement: { email: 'a@x' }, upsert: true } },
        { replaceOne: { filter: { _id: 3 }, replacement: { email: 'c@x' }, upsert: true } },
      ]);
      await expect(attempt).rejects.toMatchObject({ code: 11000, index: 1, result: { upsertedCount: 1 } });
      expect(await users.find({})).toEqual([{ _id: 1, email: 'a@x' }]);
    });

    it('inside a transaction, reads its own writes and commits with it (manual: Transactions, read your own writes)', async () => {
      const name = ctx.name('bulk-tx');
      await ctx.store.withTransaction(async (tx) => {
        const docs = tx.collection(name);
        await docs.insertOne({ _id: 'x', n: 1 });
        const result = await docs.bulkWrite([
          { updateOne: { filter: { _id: 'x' }, update: { $inc: { n: 1 } } } },
          { replaceOne: { filter: { _id: 'y' }, replacement: { n: 5 }, upsert: true } },
        ]);
        expect(result).toEqual({ matchedCount: 1, modifiedCount: 1, upsertedCount: 1, deletedCount: 0 });
        expect(await docs.find({}, { sort: { _id: 1 } })).toEqual([{ _id: 'x', n: 2 }, { _id: 'y', n: 5 }]);
        expect(await ctx.store.collection(name).countDocuments()).toBe(0);
      });
      expect(await ctx.store.collection(name).find({}, { sort: { _id: 1 } })).toEqual([{ _id: 'x', n: 2 }, { _id: 'y', n: 5 }]);
    });

    it('inside a transaction, a failing write fails the transaction and nothing commits (manual: Transactions, atomicity)', async () => {
      const name = ctx.name('bulk-tx-error');
      await ctx.store.collection(name).insertOne({ _id: 'dup' });
      const attempt = ctx.store.withTransaction((tx) =>
        tx.collection(name).bulkWrite([
          { replaceOne: { filter: { _id: 'a' }, replacement: { n: 1 }, upsert: true } },
          { updateOne: { filter: { _id: 'dup', x: 1 }, update: { $set: { y: 1 } }, upsert: true } },
        ]),
      );
      await expect(attempt).rejects.toMatchObject({ code: 11000, index: 1 });
      expect(await ctx.store.collection(name).find({})).toEqual([{ _id: 'dup' }]);
    });

    it('refuses a malformed operation before writing anything (Node.js driver: Collection.bulkWrite builds the whole batch first)', async () => {
      const docs = ctx.collection('bulk-malformed');
      const first = { replaceOne: { filter: { _id: 'a' }, replacement: { n: 1 }, upsert: true } };
      for (const bad of [
        { updateOne: { filter: { _id: 'a' }, update: { n: 2 } } },
        { replaceOne: { filter: { _id: 'a' }, replacement: { $set: { n: 2 } } } },
      ]) {
        const error = await docs.bulkWrite([first, bad as BulkWriteOperation]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(Error);
        expect(error).not.toBeInstanceOf(BulkWriteError);
      }
      expect(await docs.countDocuments()).toBe(0);
    });

    it('an empty list writes nothing and returns zero counts (port: Collection.bulkWrite)', async () => {
      const docs = ctx.collection('bulk-empty');
      expect(await docs.bulkWrite([])).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedCount: 0, deletedCount: 0 });
      await ctx.store.withTransaction(async (tx) => {
        expect(await tx.collection(docs.name).bulkWrite([])).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedCount: 0, deletedCount: 0 });
      });
    });
  });
}
