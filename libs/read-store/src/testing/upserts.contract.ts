/// <reference types="jest" />
import type { Collection } from '../read-store.port';
import type { ContractContext } from './contract-context';

/** Upserts and replacements (MongoDB manual: db.collection.updateOne / replaceOne, "Upsert"). */
export function describeUpsertContract(ctx: ContractContext): void {
  describe('upserts and replacements', () => {
    let docs: Collection;
    beforeEach(() => {
      docs = ctx.collection('upserts');
    });

    it("upsert inserts a document from the filter's equality fields plus the update (manual: db.collection.updateOne, Upsert behavior)", async () => {
      const result = await docs.updateOne(
        { _id: 'u1', kind: 'x', size: { $gt: 5 }, 'meta.source': 'import', level: { $eq: 2 } },
        { $set: { status: 'new' } },
        { upsert: true },
      );
      expect(result).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedId: 'u1' });
      expect(await docs.findOne({ _id: 'u1' })).toEqual({ _id: 'u1', kind: 'x', meta: { source: 'import' }, level: 2, status: 'new' });
    });

    it('upsert takes equalities inside $and but not from a multi-clause $or (manual: updateOne, Upsert behavior)', async () => {
      const result = await docs.updateOne(
        { $and: [{ a: 1 }, { b: { $eq: 2 } }], $or: [{ c: 3 }, { c: 4 }] },
        { $inc: { n: 1 } },
        { upsert: true },
      );
      expect(result.upsertedId).not.toBeNull();
      const { _id, ...rest } = (await docs.findOne({ _id: result.upsertedId }))!;
      expect(_id).toEqual(result.upsertedId);
      expect(rest).toEqual({ a: 1, b: 2, n: 1 });
    });

    it('$setOnInsert applies when an upsert inserts and is ignored when it updates (manual: $setOnInsert)', async () => {
      const upsert = (n: number) =>
        docs.updateOne({ _id: 'k' }, { $setOnInsert: { createdBy: `call ${n}` }, $set: { lastCall: n } }, { upsert: true });
      expect(await upsert(1)).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedId: 'k' });
      expect(await upsert(2)).toEqual({ matchedCount: 1, modifiedCount: 1, upsertedId: null });
      expect(await docs.findOne({ _id: 'k' })).toEqual({ _id: 'k', createdBy: 'call 1', lastCall: 2 });
    });

    it('an upsert that matches updates the match and inserts nothing (manual: updateOne, upsert)', async () => {
      await docs.insertOne({ _id: 1, group: 'g', n: 1 });
      expect(await docs.updateOne({ group: 'g' }, { $inc: { n: 1 } }, { upsert: true })).toEqual({ matchedCount: 1, modifiedCount: 1, upsertedId: null });
      expect(await docs.countDocuments({})).toBe(1);
    });

    it('updateMany with upsert inserts one document when nothing matches (manual: db.collection.updateMany, upsert)', async () => {
      const result = await docs.updateMany({ group: 'none' }, { $set: { seen: true } }, { upsert: true });
      expect(result.matchedCount).toBe(0);
      expect(result.upsertedId).not.toBeNull();
      expect(await docs.find({ group: 'none' })).toEqual([{ _id: result.upsertedId, group: 'none', seen: true }]);
    });

    it('an upsert whose insert would duplicate an _id fails with E11000 (manual: "Duplicate Key Error")', async () => {
      await docs.insertOne({ _id: 1, x: 4 });
      await expect(docs.updateOne({ _id: 1, x: 5 }, { $set: { y: 1 } }, { upsert: true })).rejects.toMatchObject({ code: 11000 });
    });

    it('replaceOne replaces every field but _id (manual: db.collection.replaceOne)', async () => {
      await docs.insertOne({ _id: 1, a: 1, b: 2 });
      expect(await docs.replaceOne({ a: 1 }, { c: 3 })).toEqual({ matchedCount: 1, modifiedCount: 1, upsertedId: null });
      expect(await docs.findOne({ _id: 1 })).toEqual({ _id: 1, c: 3 });
    });

    it('replaceOne with an identical document reports modifiedCount 0 (manual: replaceOne, "Returns")', async () => {
      await docs.insertOne({ _id: 1, a: 1, b: [1, 2] });
      expect(await docs.replaceOne({ _id: 1 }, { _id: 1, a: 1, b: [1, 2] })).toEqual({ matchedCount: 1, modifiedCount: 0, upsertedId: null });
    });

    it("replaceOne with upsert inserts the replacement with the filter's _id only (manual: replaceOne, Upsert)", async () => {
      const result = await docs.replaceOne({ _id: 'r1', other: 'not copied' }, { name: 'x' }, { upsert: true });
      expect(result).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedId: 'r1' });
      expect(await docs.findOne({ _id: 'r1' })).toEqual({ _id: 'r1', name: 'x' });
    });

    it('replaceOne cannot change _id, nor take update operators (manual: replaceOne, "Behavior")', async () => {
      await docs.insertOne({ _id: 1, a: 1 });
      await expect(docs.replaceOne({ _id: 1 }, { _id: 2, a: 2 })).rejects.toThrow();
      await expect(docs.replaceOne({ _id: 1 }, { $set: { a: 2 } })).rejects.toThrow();
      expect(await docs.findOne({ _id: 1 })).toEqual({ _id: 1, a: 1 });
    });

    it('replaceOne without upsert and without a match changes nothing (manual: replaceOne)', async () => {
      expect(await docs.replaceOne({ _id: 'none' }, { a: 1 })).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedId: null });
      expect(await docs.countDocuments()).toBe(0);
    });
  });
}
