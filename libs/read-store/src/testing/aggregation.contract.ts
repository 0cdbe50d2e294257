/// <reference types="jest" />
import type { Collection, Document } from '../read-store.port';
import { insertAll, type ContractContext } from './contract-context';

const day = (d: number) => new Date(Date.UTC(2024, 0, d));

const sales: Document[] = [
  { _id: 1, item: 'tea', qty: 2, price: 3, at: day(1), tags: ['hot', 'drink'] },
  { _id: 2, item: 'cake', qty: 1, price: 10, at: day(2), tags: ['food'] },
  { _id: 3, item: 'tea', qty: 5, price: 3, at: day(3), tags: ['hot', 'drink'] },
  { _id: 4, item: 'juice', qty: 3, price: 4, at: day(3), tags: [] },
  { _id: 5, item: 'cake', qty: 2, price: 12, at: day(5) },
];

/** Aggregation pipelines (MongoDB manual: "Aggregation Stages", "Accumulators"). */
export function describeAggregationContract(ctx: ContractContext): void {
  describe('aggregation', () => {
    let sales$: Collection;
    beforeEach(async () => {
      sales$ = ctx.collection('sales');
      await insertAll(sales$, sales);
    });

    it('$match then $group with $sum, $avg, $min, $max, $push, $addToSet (manual: $group)', async () => {
      const result = await sales$.aggregate([
        { $match: { qty: { $gte: 2 } } },
        { $sort: { _id: 1 } },
        {
          $group: {
            _id: '$item',
            count: { $sum: 1 },
            units: { $sum: '$qty' },
            avgPrice: { $avg: '$price' },
            first: { $min: '$at' },
            last: { $max: '$at' },
            quantities: { $push: '$qty' },
            prices: { $addToSet: '$price' },
          },
        },
        { $sort: { _id: 1 } },
      ]);
      expect(result).toEqual([
        { _id: 'cake', count: 1, units: 2, avgPrice: 12, first: day(5), last: day(5), quantities: [2], prices: [12] },
        { _id: 'juice', count: 1, units: 3, avgPrice: 4, first: day(3), last: day(3), quantities: [3], prices: [4] },
        { _id: 'tea', count: 2, units: 7, avgPrice: 3, first: day(1), last: day(3), quantities: [2, 5], prices: [3] },
      ]);
    });

    it('$group by null totals the whole collection; $sum of a missing field is 0 (manual: $group, $sum)', async () => {
      expect(await sales$.aggregate([{ $group: { _id: null, revenue: { $sum: { $multiply: ['$qty', '$price'] } }, none: { $sum: '$missing' } } }])).toEqual([
        { _id: null, revenue: 6 + 10 + 15 + 12 + 24, none: 0 },
      ]);
    });

    it('$project computes and drops fields (manual: $project)', async () => {
      expect(
        await sales$.aggregate([{ $match: { _id: 2 } }, { $project: { _id: 0, item: 1, total: { $multiply: ['$qty', '$price'] } } }]),
      ).toEqual([{ item: 'cake', total: 10 }]);
    });

    it('$unwind emits one document per element and drops empty or missing arrays (manual: $unwind)', async () => {
      const result = await sales$.aggregate([{ $unwind: '$tags' }, { $project: { _id: 1, tags: 1 } }, { $sort: { _id: 1, tags: 1 } }]);
      expect(result).toEqual([
        { _id: 1, tags: 'drink' }, { _id: 1, tags: 'hot' }, { _id: 2, tags: 'food' }, { _id: 3, tags: 'drink' }, { _id: 3, tags: 'hot' },
      ]);
    });

    it('$count counts the documents reaching it (manual: $count)', async () => {
      expect(await sales$.aggregate([{ $match: { item: 'tea' } }, { $count: 'teas' }])).toEqual([{ teas: 2 }]);
    });

    it('$sort, $skip and $limit page through results (manual: $sort, $skip, $limit)', async () => {
      const result = await sales$.aggregate([{ $sort: { price: -1, _id: 1 } }, { $skip: 1 }, { $limit: 2 }, { $project: { _id: 1 } }]);
      expect(result).toEqual([{ _id: 2 }, { _id: 4 }]);
    });

    it('$sort orders missing and null first, like find (manual: $sort, "Comparison/Sort Order")', async () => {
      const result = await sales$.aggregate([{ $sort: { tags: 1, _id: 1 } }, { $project: { _id: 1 } }]);
      // [] sorts before missing; then arrays by smallest element: 'drink' < 'food'.
      expect(result.map((d) => d._id)).toEqual([4, 5, 1, 3, 2]);
    });

    it('$facet runs several pipelines over the same input (manual: $facet)', async () => {
      const [facets] = await sales$.aggregate([
        {
          $facet: {
            byItem: [{ $group: { _id: '$item', n: { $sum: 1 } } }, { $sort: { _id: 1 } }],
            total: [{ $count: 'n' }],
          },
        },
      ]);
      expect(facets).toEqual({
        byItem: [{ _id: 'cake', n: 2 }, { _id: 'juice', n: 1 }, { _id: 'tea', n: 2 }],
        total: [{ n: 5 }],
      });
    });

    it('$bucket groups by boundaries with a default bucket (manual: $bucket)', async () => {
      const result = await sales$.aggregate([
        { $bucket: { groupBy: '$price', boundaries: [0, 5, 11], default: 'expensive', output: { n: { $sum: 1 }, items: { $push: '$item' } } } },
      ]);
      expect(result).toEqual([
        { _id: 0, n: 3, items: ['tea', 'tea', 'juice'] },
        { _id: 5, n: 1, items: ['cake'] },
        { _id: 'expensive', n: 1, items: ['cake'] },
      ]);
    });

    it('returns Dates as Dates through $group and $project (manual: BSON Types, Date)', async () => {
      const [result] = await sales$.aggregate([{ $group: { _id: null, first: { $min: '$at' } } }, { $project: { _id: 0, first: 1, year: { $year: '$first' } } }]);
      expect(result.first).toBeInstanceOf(Date);
      expect(result).toEqual({ first: day(1), year: 2024 });
    });
  });
}
