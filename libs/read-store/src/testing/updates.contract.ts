/// <reference types="jest" />
import type { Collection, Document, UpdateDocument } from '../read-store.port';
import { insertAll, type ContractContext } from './contract-context';

/** Update operators (MongoDB manual: "Update Operators", db.collection.updateOne/updateMany). */
export function describeUpdateContract(ctx: ContractContext): void {
  describe('update operators', () => {
    let docs: Collection;
    beforeEach(() => {
      docs = ctx.collection('updates');
    });

    /** Inserts `doc` as _id 1, applies `update`, returns the result and the stored document. */
    async function updated(doc: Document, update: UpdateDocument) {
      await docs.insertOne({ _id: 1, ...doc });
      const result = await docs.updateOne({ _id: 1 }, update);
      const { _id, ...stored } = (await docs.findOne({ _id: 1 }))!;
      return { result, stored };
    }

    it('$set sets fields and creates embedded documents along dotted paths (manual: $set)', async () => {
      const { result, stored } = await updated({ a: 1 }, { $set: { a: 2, 'b.c.d': 5 } });
      expect(result).toEqual({ matchedCount: 1, modifiedCount: 1, upsertedId: null });
      expect(stored).toEqual({ a: 2, b: { c: { d: 5 } } });
    });

    it('$set addresses array elements by index (manual: $set, "Set Elements in Arrays")', async () => {
      expect((await updated({ list: [1, 2, 3] }, { $set: { 'list.1': 9 } })).stored).toEqual({ list: [1, 9, 3] });
    });

    it('$set cannot create a field inside a scalar (manual: $set; error PathNotViable)', async () => {
      await docs.insertOne({ _id: 1, a: 5 });
      await expect(docs.updateOne({ _id: 1 }, { $set: { 'a.b': 1 } })).rejects.toThrow();
      expect(await docs.findOne({ _id: 1 })).toEqual({ _id: 1, a: 5 });
    });

    it('adds new fields in lexicographic order (manual: Update Operators, "Behavior", MongoDB 5.0+)', async () => {
      await docs.insertOne({ _id: 1 });
      await docs.updateOne({ _id: 1 }, { $set: { b: 1, a: 1 }, $inc: { c: 1 } });
      expect(Object.keys((await docs.findOne({ _id: 1 }))!)).toEqual(['_id', 'a', 'b', 'c']);
    });

    it('$unset removes fields; an array element becomes null (manual: $unset)', async () => {
      const { stored } = await updated({ a: 1, b: { c: 1, d: 2 }, list: [1, 2] }, { $unset: { a: '', 'b.c': '', 'list.0': '' } });
      expect(stored).toEqual({ b: { d: 2 }, list: [null, 2] });
    });

    it('$unset of a missing field changes nothing (manual: $unset; modifiedCount)', async () => {
      expect((await updated({ a: 1 }, { $unset: { z: '' } })).result).toEqual({ matchedCount: 1, modifiedCount: 0, upsertedId: null });
    });

    it('$inc adds, and creates a missing field with the amount (manual: $inc)', async () => {
      const { stored } = await updated({ n: 5, nested: { m: 1 } }, { $inc: { n: -2, 'nested.m': 10, fresh: 3 } });
      expect(stored).toEqual({ n: 3, nested: { m: 11 }, fresh: 3 });
    });

    it('$inc on a non-numeric field is an error (manual: $inc, "Behavior")', async () => {
      await docs.insertOne({ _id: 1, n: 'five', m: null });
      await expect(docs.updateOne({ _id: 1 }, { $inc: { n: 1 } })).rejects.toThrow();
      await expect(docs.updateOne({ _id: 1 }, { $inc: { m: 1 } })).rejects.toThrow();
    });

    it('$min and $max replace only with a smaller or larger value, or set a missing field (manual: $min, $max)', async () => {
      const early = new Date('2020-01-01T00:00:00Z');
      const late = new Date('2024-01-01T00:00:00Z');
      const { stored } = await updated(
        { low: 5, high: 5, first: late, last: early },
        { $min: { low: 3, first: early, fresh: 1 }, $max: { high: 4, last: late } },
      );
      expect(stored).toEqual({ low: 3, high: 5, first: early, last: late, fresh: 1 });
    });

    it('$min that keeps the current value reports modifiedCount 0 (manual: $min)', async () => {
      expect((await updated({ low: 1 }, { $min: { low: 2 } })).result.modifiedCount).toBe(0);
    });

    it('$push appends, with $each, and creates the array when missing (manual: $push, $each)', async () => {
      const { stored } = await updated({ list: [1] }, { $push: { list: { $each: [2, 3] }, fresh: 'x' } });
      expect(stored).toEqual({ list: [1, 2, 3], fresh: ['x'] });
    });

    it('$push modifiers $position, $sort and $slice (manual: $push, "Modifiers")', async () => {
      const { stored } = await updated(
        { front: [3, 4], top: [{ s: 5 }, { s: 9 }] },
        { $push: { front: { $each: [1, 2], $position: 0 }, top: { $each: [{ s: 7 }], $sort: { s: -1 }, $slice: 2 } } },
      );
      expect(stored).toEqual({ front: [1, 2, 3, 4], top: [{ s: 9 }, { s: 7 }] });
    });

    it('$push to a non-array field is an error (manual: $push, "Behavior")', async () => {
      await docs.insertOne({ _id: 1, list: 'nope' });
      await expect(docs.updateOne({ _id: 1 }, { $push: { list: 1 } })).rejects.toThrow();
    });

    it('$addToSet adds only absent values; documents must match in field order (manual: $addToSet)', async () => {
      const { stored } = await updated(
        { set: [1, 2], docs: [{ a: 1, b: 2 }] },
        { $addToSet: { set: { $each: [2, 3, 3] }, docs: { b: 2, a: 1 }, fresh: 'x' } },
      );
      expect(stored).toEqual({ set: [1, 2, 3], docs: [{ a: 1, b: 2 }, { b: 2, a: 1 }], fresh: ['x'] });
    });

    it('$addToSet with nothing new reports modifiedCount 0 (manual: $addToSet)', async () => {
      expect((await updated({ set: [1, 2] }, { $addToSet: { set: { $each: [1, 2] } } })).result.modifiedCount).toBe(0);
    });

    it('$pull removes by value, by condition and by document query (manual: $pull)', async () => {
      const { stored } = await updated(
        { values: [1, 2, 1, 3], numbers: [4, 6, 8, 5], items: [{ k: 'a', n: 1 }, { k: 'b', n: 2 }] },
        { $pull: { values: 1, numbers: { $gte: 6 }, items: { k: 'a' } } },
      );
      expect(stored).toEqual({ values: [2, 3], numbers: [4, 5], items: [{ k: 'b', n: 2 }] });
    });

    it('$pull that removes nothing reports modifiedCount 0 (manual: $pull)', async () => {
      expect((await updated({ values: [1, 2] }, { $pull: { values: 5 } })).result.modifiedCount).toBe(0);
    });

    it('$rename, $mul and $pop (manual: $rename, $mul, $pop)', async () => {
      const { stored } = await updated({ old: 1, price: 2.5, queue: [1, 2, 3] }, { $rename: { old: 'renamed' }, $mul: { price: 4 }, $pop: { queue: -1 } });
      expect(stored).toEqual({ renamed: 1, price: 10, queue: [2, 3] });
    });

    it('setting a field to its current value reports modifiedCount 0 (manual: updateOne, "Returns")', async () => {
      expect((await updated({ a: 1, b: { c: [1] } }, { $set: { a: 1, b: { c: [1] } } })).result).toEqual({
        matchedCount: 1,
        modifiedCount: 0,
        upsertedId: null,
      });
    });

    it('updateOne changes only the first match in natural order (manual: db.collection.updateOne)', async () => {
      await insertAll(docs, [{ _id: 3, flag: true }, { _id: 1, flag: true }, { _id: 2, flag: false }]);
      expect(await docs.updateOne({ flag: true }, { $set: { done: true } })).toEqual({ matchedCount: 1, modifiedCount: 1, upsertedId: null });
      expect((await docs.find({ done: true })).map((d) => d._id)).toEqual([3]);
    });

    it('updateMany counts matched and modified documents separately (manual: db.collection.updateMany)', async () => {
      await insertAll(docs, [{ _id: 1, s: 'a' }, { _id: 2, s: 'b' }, { _id: 3, s: 'b' }, { _id: 4, s: 'c' }]);
      expect(await docs.updateMany({ s: { $in: ['a', 'b'] } }, { $set: { s: 'b' } })).toEqual({ matchedCount: 3, modifiedCount: 1, upsertedId: null });
      expect(await docs.updateMany({ s: 'zzz' }, { $set: { s: 'b' } })).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedId: null });
    });

    it('_id cannot be changed (manual: "The _id Field", immutable)', async () => {
      await docs.insertOne({ _id: 1, a: 1 });
      await expect(docs.updateOne({ _id: 1 }, { $set: { _id: 2 } })).rejects.toThrow();
      expect(await docs.findOne({ _id: 1 })).toEqual({ _id: 1, a: 1 });
    });

    it('rejects update documents without operators, and two operators on one path (manual: Update Operators)', async () => {
      await docs.insertOne({ _id: 1, a: 1 });
      await expect(docs.updateOne({ _id: 1 }, { a: 2 })).rejects.toThrow();
      await expect(docs.updateOne({ _id: 1 }, { $set: { a: 2 }, $inc: { a: 1 } })).rejects.toThrow();
      await expect(docs.updateOne({ _id: 1 }, { $set: { b: { c: 1 } }, $unset: { 'b.c': '' } })).rejects.toThrow();
      await expect(docs.updateOne({ _id: 1 }, { $set: { 'p.q': 1 }, $unset: { 'p.q.r': '' } })).rejects.toThrow();
      await expect(docs.updateOne({ _id: 1 }, { $rename: { a: 'b' }, $set: { b: 1 } })).rejects.toThrow();
      expect(await docs.findOne({ _id: 1 })).toEqual({ _id: 1, a: 1 });
      // Paths that only share a beginning do not conflict, numeric segments included.
      await docs.updateOne({ _id: 1 }, { $set: { 'n.10': 1, 'n.9': 2, 'n.1': 3, ab: 4 } });
      expect(await docs.findOne({ _id: 1 })).toEqual({ _id: 1, a: 1, ab: 4, n: { 1: 3, 9: 2, 10: 1 } });
    });

    it('deleteOne removes the first match, deleteMany all matches (manual: deleteOne, deleteMany)', async () => {
      await insertAll(docs, [{ _id: 1, k: 'x' }, { _id: 2, k: 'x' }, { _id: 3, k: 'y' }]);
      expect(await docs.deleteOne({ k: 'x' })).toEqual({ deletedCount: 1 });
      expect((await docs.find({})).map((d) => d._id)).toEqual([2, 3]);
      expect(await docs.deleteMany({ k: { $in: ['x', 'y'] } })).toEqual({ deletedCount: 2 });
      expect(await docs.deleteMany({})).toEqual({ deletedCount: 0 });
    });
  });
}
