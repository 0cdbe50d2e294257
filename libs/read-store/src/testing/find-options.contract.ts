/// <reference types="jest" />
import type { Collection, Document, FindOptions } from '../read-store.port';
import { insertAll, type ContractContext } from './contract-context';

/** find options (MongoDB manual: cursor.sort, cursor.skip, cursor.limit, "Project Fields"). */
export function describeFindOptionsContract(ctx: ContractContext): void {
  describe('sort, skip, limit, projection, count', () => {
    let docs: Collection;
    beforeEach(() => {
      docs = ctx.collection('find');
    });
    const ids = async (options: FindOptions, filter: Document = {}) => (await docs.find(filter, options)).map((d) => d._id);

    it('sorts mixed types in BSON order: null and missing first, numbers, strings, objects, booleans, Dates (manual: Comparison/Sort Order)', async () => {
      await insertAll(docs, [
        { _id: 1, v: 'b' }, { _id: 2, v: 10 }, { _id: 3, v: null }, { _id: 4 }, { _id: 5, v: true },
        { _id: 6, v: new Date(0) }, { _id: 7, v: 2 }, { _id: 8, v: 'a' }, { _id: 9, v: { k: 1 } }, { _id: 10, v: -1.5 },
      ]);
      expect(await ids({ sort: { v: 1, _id: 1 } })).toEqual([3, 4, 10, 7, 2, 8, 1, 9, 5, 6]);
      expect(await ids({ sort: { v: -1, _id: 1 } })).toEqual([6, 5, 9, 1, 8, 2, 7, 10, 3, 4]);
    });

    it('sorts arrays by their smallest element ascending and largest descending, [] before null (manual: cursor.sort, "Comparison/Sort Order")', async () => {
      await insertAll(docs, [{ _id: 'a', v: [1, 10] }, { _id: 'b', v: [5] }, { _id: 'c', v: [3, 7] }, { _id: 'd', v: [] }, { _id: 'e' }]);
      expect(await ids({ sort: { v: 1 } })).toEqual(['d', 'e', 'a', 'c', 'b']);
      expect(await ids({ sort: { v: -1 } })).toEqual(['a', 'c', 'b', 'e', 'd']);
    });

    it('sorts strings by binary order, uppercase before lowercase (manual: Collation, default simple comparison)', async () => {
      await insertAll(docs, [{ _id: 1, s: 'b' }, { _id: 2, s: 'B' }, { _id: 3, s: 'a' }, { _id: 4, s: 'A' }, { _id: 5, s: 'ab' }]);
      expect(await ids({ sort: { s: 1 } })).toEqual([4, 2, 3, 5, 1]);
    });

    it('applies sort keys in order, and dotted sort keys reach into embedded documents (manual: cursor.sort)', async () => {
      await insertAll(docs, [
        { _id: 1, g: 'x', m: { n: 2 } }, { _id: 2, g: 'y', m: { n: 1 } }, { _id: 3, g: 'x', m: { n: 1 } }, { _id: 4, g: 'y', m: { n: 3 } },
      ]);
      expect(await ids({ sort: { g: 1, 'm.n': -1 } })).toEqual([1, 3, 4, 2]);
      expect(await ids({ sort: { 'm.n': 1, _id: -1 } })).toEqual([3, 2, 1, 4]);
    });

    it('with ties, adding _id to the sort gives a total order (manual: cursor.sort, "Sort Consistency")', async () => {
      await insertAll(docs, [{ _id: 3, r: 1 }, { _id: 1, r: 2 }, { _id: 2, r: 1 }, { _id: 4, r: 2 }]);
      expect(await ids({ sort: { r: 1, _id: 1 } })).toEqual([2, 3, 1, 4]);
      expect(await ids({ sort: { r: -1, _id: -1 } })).toEqual([4, 1, 3, 2]);
    });

    it('skips and limits after sorting; limit 0 means no limit (manual: cursor.skip, cursor.limit)', async () => {
      await insertAll(docs, [5, 3, 1, 4, 2].map((n) => ({ _id: n })));
      expect(await ids({ sort: { _id: 1 }, skip: 1, limit: 2 })).toEqual([2, 3]);
      expect(await ids({ sort: { _id: -1 }, limit: 0 })).toEqual([5, 4, 3, 2, 1]);
      expect(await ids({ sort: { _id: 1 }, skip: 10 })).toEqual([]);
      expect(await ids({ sort: { _id: 1 }, skip: 3 })).toEqual([4, 5]);
    });

    it('projects included fields plus _id, or everything but excluded fields (manual: Project Fields to Return from Query)', async () => {
      await docs.insertOne({ _id: 1, name: 'Ann', age: 30, address: { city: 'Leeds', zip: 'LS1' } });
      expect(await docs.findOne({}, { projection: { name: 1 } })).toEqual({ _id: 1, name: 'Ann' });
      expect(await docs.findOne({}, { projection: { _id: 0, name: 1, 'address.city': 1 } })).toEqual({ name: 'Ann', address: { city: 'Leeds' } });
      expect(await docs.findOne({}, { projection: { address: 0, age: 0 } })).toEqual({ _id: 1, name: 'Ann' });
      expect(await docs.findOne({}, { projection: { 'address.zip': 0 } })).toEqual({ _id: 1, name: 'Ann', age: 30, address: { city: 'Leeds' } });
    });

    it('rejects projections mixing inclusion and exclusion other than _id (manual: Projection Restrictions)', async () => {
      await docs.insertOne({ _id: 1, a: 1, b: 2 });
      await expect(docs.find({}, { projection: { a: 1, b: 0 } })).rejects.toThrow();
    });

    it('countDocuments counts matches, or everything without a filter (manual: db.collection.countDocuments)', async () => {
      await insertAll(docs, [{ _id: 1, k: 'a' }, { _id: 2, k: 'b' }, { _id: 3, k: 'a' }]);
      expect(await docs.countDocuments({ k: 'a' })).toBe(2);
      expect(await docs.countDocuments({})).toBe(3);
      expect(await docs.countDocuments()).toBe(3);
      expect(await docs.countDocuments({ k: 'z' })).toBe(0);
    });

    it('findOne returns the first match by sort, or null (manual: db.collection.findOne)', async () => {
      await insertAll(docs, [{ _id: 1, n: 5 }, { _id: 2, n: 9 }, { _id: 3, n: 1 }]);
      expect(await docs.findOne({ n: { $gt: 2 } }, { sort: { n: -1 } })).toEqual({ _id: 2, n: 9 });
      expect(await docs.findOne({ n: { $gt: 100 } })).toBeNull();
      expect(await docs.findOne({}, { sort: { n: 1 }, projection: { _id: 0 } })).toEqual({ n: 1 });
    });

    it('stores documents with _id first, whatever order they were given in (manual: Documents, "Field Order")', async () => {
      await docs.insertOne({ a: 1, _id: 'x', b: 2 });
      expect(Object.keys((await docs.findOne({ _id: 'x' }))!)).toEqual(['_id', 'a', 'b']);
    });
  });
}
