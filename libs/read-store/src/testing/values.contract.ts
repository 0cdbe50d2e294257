/// <reference types="jest" />
import type { ContractContext } from './contract-context';

/** Value types surviving a round trip (MongoDB manual: "BSON Types"). */
export function describeValueContract(ctx: ContractContext): void {
  describe('value round trips', () => {
    it('returns Dates as Dates with millisecond precision, also nested (manual: BSON Types, Date)', async () => {
      const docs = ctx.collection('dates');
      const at = new Date('2024-02-29T12:34:56.789Z');
      await docs.insertOne({ _id: 'd', at, nested: { list: [new Date(0), { deep: at }] } });
      const found = (await docs.findOne({ _id: 'd' }))!;
      expect(found.at).toBeInstanceOf(Date);
      expect(found.at.getTime()).toBe(at.getTime());
      expect(found.nested.list[0]).toEqual(new Date(0));
      expect(found.nested.list[1].deep).toEqual(at);
    });

    it('compares and sorts Dates by instant, and $min/$max keep Dates (manual: Comparison/Sort Order)', async () => {
      const docs = ctx.collection('date-order');
      const t = (iso: string) => new Date(iso);
      await docs.insertOne({ _id: 1, at: t('2023-05-01T00:00:00.001Z') });
      await docs.insertOne({ _id: 2, at: t('2023-05-01T00:00:00.000Z') });
      await docs.insertOne({ _id: 3, at: t('1969-12-31T23:59:59.000Z') });
      expect((await docs.find({}, { sort: { at: 1 } })).map((d) => d._id)).toEqual([3, 2, 1]);
      expect((await docs.find({ at: { $gt: t('2023-05-01T00:00:00.000Z') } })).map((d) => d._id)).toEqual([1]);
      await docs.updateOne({ _id: 3 }, { $max: { at: t('2030-01-01T00:00:00Z') } });
      expect((await docs.findOne({ _id: 3 }))!.at).toEqual(t('2030-01-01T00:00:00Z'));
    });

    it('keeps integers above 2^31 and up to 2^53 exact, through $inc too (manual: BSON Types, Long and Double)', async () => {
      const docs = ctx.collection('big-numbers');
      const values = [2 ** 31, 2 ** 31 + 1, 2 ** 40 + 7, Number.MAX_SAFE_INTEGER, -(2 ** 53 - 1)];
      await docs.insertOne({ _id: 'n', values, position: 2 ** 45 + 3 });
      await docs.updateOne({ _id: 'n' }, { $inc: { position: 1 } });
      const found = (await docs.findOne({ _id: 'n' }))!;
      expect(found.values).toEqual(values);
      expect(found.position).toBe(2 ** 45 + 4);
      expect(await docs.countDocuments({ position: { $gt: 2 ** 45 } })).toBe(1);
    });

    it('round-trips strings, booleans, null, fractions, negative numbers and nested arrays (manual: BSON Types)', async () => {
      const docs = ctx.collection('misc');
      const doc = { _id: 'm', s: 'ünïcödé ✓ 𝄞', t: true, f: false, n: null, x: 0.1 + 0.2, neg: -42, nested: [[1, [2]], { a: [] }], empty: {} };
      await docs.insertOne(doc);
      expect(await docs.findOne({ _id: 'm' })).toEqual(doc);
    });

    it('uses numbers, strings and Dates as _id values, each distinct (manual: "The _id Field")', async () => {
      const docs = ctx.collection('ids');
      const when = new Date('2024-01-01T00:00:00Z');
      await docs.insertOne({ _id: 1, kind: 'number' });
      await docs.insertOne({ _id: '1', kind: 'string' });
      await docs.insertOne({ _id: when, kind: 'date' });
      expect((await docs.findOne({ _id: 1 }))!.kind).toBe('number');
      expect((await docs.findOne({ _id: '1' }))!.kind).toBe('string');
      expect((await docs.findOne({ _id: new Date(when.getTime()) }))!.kind).toBe('date');
    });
  });
}
