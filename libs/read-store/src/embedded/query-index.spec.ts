import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Query } from 'mingo/query';
import type { Collection, Document, Filter, FindOptions, IndexSpec, ReadStoreTransaction } from '../read-store.port';
import { bucketFields, QueryIndex } from './query-index';
import { SqliteReadStore } from './sqlite-read-store';

/**
 * Declared indexes only narrow the documents mingo tests, so every query here runs on an
 * indexed collection and on an unindexed twin that went through the same writes: results,
 * order included, must be identical, and the indexed one must test fewer documents.
 */
const INDEXES: IndexSpec[] = [{ key: { kind: 1, family: 1, date: 1 } }, { key: { n: 1 } }];

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

let dir: string;
let store: SqliteReadStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'query-index-'));
  tempDirs.push(dir);
  store = SqliteReadStore.open({ directory: dir });
});
afterEach(() => store.close());

/** How many documents mingo tests while `run` runs. */
async function tested(run: () => Promise<unknown>): Promise<number> {
  const spy = jest.spyOn(Query.prototype, 'test');
  try {
    await run();
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
  }
}

/** The same writes and reads on an indexed collection and its unindexed twin. */
function twins(source: { collection(name: string): Collection } = store) {
  const indexed = source.collection('indexed');
  const plain = source.collection('plain');
  return {
    indexed,
    plain,
    async write(op: (c: Collection) => Promise<unknown>): Promise<void> {
      // A write that fails must fail on both, with the same error.
      const outcomes = await Promise.all(
        [indexed, plain].map((c) => op(c).then((r) => ({ r }), (e: Error) => ({ e: e.message.replace(c.name, '<collection>') }))),
      );
      expect(outcomes[0]).toEqual(outcomes[1]);
    },
    async expectSameFind(filter: Filter, options?: FindOptions): Promise<void> {
      expect(await indexed.find(filter, options)).toEqual(await plain.find(filter, options));
    },
    /** Every kind of read through `filter`, compared, returning how many documents each side tested. */
    async expectSameReads(filter: Filter): Promise<{ indexed: number; plain: number }> {
      const reads = async (c: Collection) => [
        await c.find(filter),
        await c.find(filter, { sort: { n: -1 }, skip: 1, limit: 3 }),
        await c.findOne(filter),
        await c.countDocuments(filter),
        await c.aggregate([{ $match: filter }, { $project: { _id: 1 } }]),
      ];
      let a: unknown[] = [];
      let b: unknown[] = [];
      const counts = { indexed: await tested(async () => (a = await reads(indexed))), plain: await tested(async () => (b = await reads(plain))) };
      expect({ filter, result: a }).toEqual({ filter, result: b });
      return counts;
    },
  };
}

const filler = Array.from({ length: 40 }, (_, i) => ({ _id: 100 + i, kind: 'cell', family: `other-${i % 4}`, n: 1000 + i }));

/** Documents whose indexed fields hold everything a bucket must not lose. */
const mixed: Document[] = [
  { _id: 1, kind: 'cell', family: 'exits', n: 1 },
  { _id: 2, kind: 'cell', family: 'entries', n: '1' },
  { _id: 3, kind: ['rollup', 'cell'], family: 'exits', n: 1.0 },
  { _id: 4, family: 'exits', n: [2, 1] },
  { _id: 5, kind: null, family: 'exits', n: null },
  { _id: 6, kind: 'rollup', family: ['entries', 'exits'], n: true },
  { _id: 7, kind: 'cell', family: { name: 'exits' }, n: { v: 1 } },
  { _id: 8, kind: 'cell', family: 'exits', n: new Date(1) },
  { _id: 9, kind: 'cell', n: Number.NaN },
  { _id: 10, kind: 'cell', family: 'exits', n: -0 },
  { _id: 11, kind: 'cell', family: 'exits', n: 0 },
  { _id: 12, kind: [], family: 'exits', n: [] },
  { _id: 13, kind: [['cell']], family: 'exits', n: [[1]] },
  { _id: 14, kind: 'cell', family: 'exits', n: 'true' },
  { _id: 15, kind: 'rollup', family: 'exits', n: false },
];

const filters: Filter[] = [
  { kind: 'cell', family: 'exits' },
  { kind: { $eq: 'cell' }, family: { $in: ['entries', 'exits'] } },
  { kind: { $in: ['rollup', 'cell'] }, family: 'exits' },
  { kind: 'rollup' },
  { kind: 'cell', family: 'exits', n: { $gte: 0 } },
  { kind: 'cell', $or: [{ family: 'exits' }, { n: 1 }] },
  { $and: [{ kind: 'cell' }, { family: 'exits' }] },
  { $and: [{ n: 1 }, { kind: 'cell' }] },
  { n: 1 },
  { n: '1' },
  { n: 0 },
  { n: -0 },
  { n: true },
  { n: false },
  { n: 'true' },
  { n: 2 },
  { n: { $in: [1, '1', true] } },
  { n: { $in: [] } },
  { n: { $in: [1, null] } },
  { n: null },
  { n: { v: 1 } },
  { n: [2, 1] },
  { n: [1] },
  { n: Number.NaN },
  { n: new Date(1) },
  { n: { $ne: 1 } },
  { kind: 'cell' },
  { family: 'exits' },
  { 'family.name': 'exits' },
];

describe('query indexes (embedded store)', () => {
  it('finds exactly what an unindexed collection finds, in the same order, for arrays, missing fields, nulls and mixed types', async () => {
    await store.ensureIndexes('indexed', INDEXES);
    const t = twins();
    for (const doc of [...mixed, ...filler]) await t.write((c) => c.insertOne({ ...doc }));
    for (const filter of filters) await t.expectSameReads(filter);
  });

  it('tests fewer documents with mingo when a filter pins an index', async () => {
    await store.ensureIndexes('indexed', INDEXES);
    const t = twins();
    for (const doc of [...mixed, ...filler]) await t.write((c) => c.insertOne({ ...doc }));
    const family = await tested(() => t.indexed.find({ kind: 'cell', family: 'exits', n: { $gte: 0 } }));
    // Documents 1, 8, 10, 11, 14 are in the bucket; 3, 4, 5, 7, 9, 12, 13 are in "any" buckets.
    expect(family).toBe(12);
    // 1, 3 (1.0) and 6 (true) by value; 4, 5, 7, 8, 9, 12, 13 (arrays, null, object, Date, NaN) always.
    expect(await tested(() => t.indexed.countDocuments({ n: { $in: [1, true] } }))).toBe(10);
    expect(await tested(() => t.plain.countDocuments({ n: { $in: [1, true] } }))).toBe(mixed.length + filler.length);
  });

  it('falls back to a scan when an index would leave most documents', async () => {
    await store.ensureIndexes('indexed', INDEXES);
    const t = twins();
    for (const doc of [...mixed, ...filler]) await t.write((c) => c.insertOne({ ...doc }));
    expect(await tested(() => t.indexed.find({ kind: 'cell' }))).toBe(mixed.length + filler.length);
  });

  it('keeps natural order when updates move documents between buckets and deletes re-insert them', async () => {
    await store.ensureIndexes('indexed', INDEXES);
    const t = twins();
    for (const doc of filler) await t.write((c) => c.insertOne({ ...doc }));
    for (let i = 1; i <= 6; i++) await t.write((c) => c.insertOne({ _id: i, kind: 'cell', family: i % 2 ? 'exits' : 'entries', n: i }));
    await t.write((c) => c.updateOne({ _id: 2 }, { $set: { family: 'exits' } })); // moves into the bucket, keeps its place
    await t.write((c) => c.updateOne({ _id: 3 }, { $set: { family: ['exits'] } })); // moves to "any", keeps its place
    await t.write((c) => c.updateOne({ _id: 100 }, { $set: { family: 'exits' } })); // the oldest document joins the bucket
    await t.write((c) => c.deleteOne({ _id: 1 }));
    await t.write((c) => c.insertOne({ _id: 1, kind: 'cell', family: 'exits', n: 0 })); // a re-insert goes last
    await t.write((c) => c.updateOne({ _id: 5 }, { $inc: { n: 1 } })); // an update in place keeps its place
    await t.write((c) => c.replaceOne({ _id: 4 }, { kind: 'cell', family: 'entries', n: 4 }));
    expect((await t.indexed.find({ kind: 'cell', family: 'exits' })).map((d) => d._id)).toEqual([100, 2, 3, 5, 1]);
    for (const filter of [{ kind: 'cell', family: 'exits' }, { kind: 'cell', family: { $in: ['entries', 'exits'] } }, { n: { $in: [0, 2, 4, 6] } }]) {
      await t.expectSameReads(filter);
    }
  });

  it("sees a transaction's own inserts, updates, deletes and re-inserts, in the order a scan gives", async () => {
    await store.ensureIndexes('indexed', INDEXES);
    const committed = twins();
    for (const doc of [...mixed, ...filler]) await committed.write((c) => c.insertOne({ ...doc }));
    await store.withTransaction(async (tx) => {
      const t = twins(tx);
      const check = async () => {
        for (const filter of filters) await t.expectSameReads(filter);
      };
      await t.write((c) => c.insertOne({ _id: 50, kind: 'cell', family: 'exits', n: 1 }));
      await t.write((c) => c.updateOne({ _id: 100 }, { $set: { family: 'exits', n: 1 } })); // into the bucket
      await t.write((c) => c.updateOne({ _id: 1 }, { $set: { family: 'entries' } })); // out of it
      await t.write((c) => c.updateOne({ _id: 11 }, { $set: { note: 'same bucket' } }));
      await t.write((c) => c.updateOne({ _id: 4 }, { $set: { kind: 'cell', n: 1 } })); // from "any" into buckets
      await check();
      await t.write((c) => c.deleteOne({ _id: 10 }));
      await t.write((c) => c.deleteOne({ _id: 8 }));
      await t.write((c) => c.insertOne({ _id: 8, kind: 'cell', family: 'exits', n: true })); // re-inserted: last
      await t.write((c) => c.updateMany({ kind: 'cell', family: 'exits' }, { $set: { touched: true } }));
      await t.write((c) => c.updateOne({ _id: 50 }, { $set: { n: 2 } }));
      await t.write((c) => c.replaceOne({ kind: 'rollup', family: 'exits', n: 7 }, { _id: 'up', kind: 'rollup', family: 'exits', n: 7 }, { upsert: true }));
      await check();
      expect((await t.indexed.find({ kind: 'cell', family: 'exits' })).map((d) => d._id)).toEqual([3, 4, 11, 14, 100, 50, 8]);
      await t.write((c) => c.deleteMany({ n: 1 }));
      await check();
    });
    for (const filter of filters) await committed.expectSameReads(filter);
  });

  it('matches an unindexed collection through random writes, transactions and reads', async () => {
    await store.ensureIndexes('indexed', INDEXES);
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
    const scalars: unknown[] = ['a', 'b', 'c', '1', 1, 2, 1.5, true, false];
    const others: unknown[] = [null, ['a', 1], [], [['a']], { x: 1 }, new Date(0)];
    const value = () => (random() < 0.8 ? pick(scalars) : pick(others));
    const fields = ['kind', 'family', 'n'];
    const randomDoc = (id: number) => Object.fromEntries([['_id', id], ...fields.filter(() => random() < 0.9).map((f) => [f, value()])]);
    const randomFilter = (): Filter => {
      const filter: Filter = {};
      for (const field of fields) {
        if (random() < 0.3) continue;
        const roll = random();
        filter[field] = roll < 0.5 ? value() : roll < 0.75 ? { $in: [value(), value()] } : { $eq: value() };
      }
      return random() < 0.2 ? { $and: [filter, { n: { $ne: 2 } }] } : filter;
    };
    let tests = { indexed: 0, plain: 0 };
    const read = async (t: ReturnType<typeof twins>) => {
      const counts = await t.expectSameReads(randomFilter());
      tests = { indexed: tests.indexed + counts.indexed, plain: tests.plain + counts.plain };
    };
    const randomWrite = (c: Collection): Promise<unknown> => {
      const id = Math.floor(random() * 60);
      const roll = random();
      if (roll < 0.4) return c.insertOne(randomDoc(id));
      if (roll < 0.6) return c.updateOne({ _id: id }, random() < 0.8 ? { $set: { [pick(fields)]: value() } } : { $unset: { [pick(fields)]: '' } });
      if (roll < 0.7) return c.updateMany(randomFilter(), { $set: { [pick(fields)]: value() } });
      if (roll < 0.8) return c.replaceOne({ _id: id }, randomDoc(id), { upsert: random() < 0.5 });
      if (roll < 0.95) return c.deleteOne({ _id: id });
      return c.deleteMany(randomFilter());
    };
    for (let round = 0; round < 80; round++) {
      await store.withTransaction(async (tx: ReadStoreTransaction) => {
        const t = twins(tx);
        const size = 1 + Math.floor(random() * 8);
        for (let i = 0; i < size; i++) {
          // Draw the operation once, so both collections get the very same one.
          const state = seed;
          await t.write((c) => {
            seed = state;
            return randomWrite(c);
          });
          await read(t);
        }
      });
      await read(twins());
    }
    expect(await twins().indexed.countDocuments()).toBeGreaterThan(20);
    expect(tests.indexed).toBeLessThan(tests.plain * 0.6);
  }, 60_000);

  it('builds declared indexes when a collection is loaded, and indexes added to a loaded one', async () => {
    await store.ensureIndexes('indexed', [INDEXES[0]]);
    const t = twins();
    for (const doc of [...mixed, ...filler]) await t.write((c) => c.insertOne({ ...doc }));
    const total = mixed.length + filler.length;
    expect(await tested(() => t.indexed.find({ n: 1 }))).toBe(total);
    await store.ensureIndexes('indexed', [INDEXES[1]]);
    expect(await tested(() => t.indexed.find({ n: 1 }))).toBeLessThan(total);

    await store.close();
    store = SqliteReadStore.open({ directory: dir });
    const reopened = twins();
    for (const filter of filters) await reopened.expectSameReads(filter);
    expect(await tested(() => reopened.indexed.find({ kind: 'cell', family: 'exits' }))).toBeLessThan(total / 2);
    expect(await tested(() => reopened.indexed.find({ n: 1 }))).toBeLessThan(total / 2);
  });

  it('narrows by unique indexes too, and drops indexes with their collection', async () => {
    await store.ensureIndexes('indexed', [{ key: { code: 1 }, unique: true }]);
    const t = twins();
    for (let i = 0; i < 20; i++) await t.write((c) => c.insertOne({ _id: i, code: i % 2 ? `c${i}` : i }));
    expect(await tested(() => t.indexed.findOne({ code: 'c3' }))).toBe(1);
    await t.expectSameFind({ code: { $in: [6, 'c5', 'c1', 4, '4'] } });
    expect((await t.indexed.find({ code: { $in: [6, 'c5', 'c1', 4, '4'] } })).map((d) => d._id)).toEqual([1, 4, 5, 6]);

    await store.dropCollection('indexed');
    await t.indexed.insertOne({ _id: 1, code: 'c3' });
    await t.indexed.insertOne({ _id: 2, code: 'c3' }); // no unique index any more
    await t.indexed.insertOne({ _id: 3, code: 'x' });
    expect(await tested(() => t.indexed.find({ code: 'c3' }))).toBe(3); // nor a query index
    expect(await t.indexed.find({ code: 'c3' })).toEqual([{ _id: 1, code: 'c3' }, { _id: 2, code: 'c3' }]);
  });
});

describe('QueryIndex.probe', () => {
  const index = new QueryIndex(['kind', 'family']);

  it('pins fields by equality with a string, finite number or boolean, by $eq or $in, and inside $and', () => {
    expect(index.probe({ kind: 'cell', family: 'exits', date: { $gte: '2024' } })).toEqual([['scell'], ['sexits']]);
    expect(index.probe({ kind: { $eq: 1 }, family: { $in: [true, 1, 1.0, '1'] } })).toEqual([['n1'], ['bt', 'n1', 's1']]);
    expect(index.probe({ $and: [{ family: 'exits' }, { $and: [{ kind: false }] }] })).toEqual([['bf'], ['sexits']]);
    expect(index.probe({ kind: 'cell', family: { $gt: 'a' } })).toEqual([['scell']]);
    expect(index.probe({ kind: -0 })).toEqual([['n0']]);
  });

  it('pins nothing without an equality on the first field, or for values equality cannot bucket', () => {
    for (const kind of [null, undefined, Number.NaN, Infinity, new Date(0), /cell/, ['cell'], { a: 1 }, { $in: ['a', null] }, { $in: [/a/] },
      { $eq: ['a'] }, { $ne: 'a' }, { $nin: ['a'] }, { $gt: 'a' }, { $eq: 'a', $ne: 'b' }, { $in: 'a' }]) {
      expect(index.probe({ kind, family: 'exits' })).toBeUndefined();
    }
    expect(index.probe({ family: 'exits' })).toBeUndefined();
    expect(index.probe({ $or: [{ kind: 'cell' }] })).toBeUndefined();
    expect(index.probe({ 'kind.x': 'cell' })).toBeUndefined();
  });
});

describe('bucketFields', () => {
  it('uses the leading top-level keys, leaving out the last key of a non-unique compound index', () => {
    const fields = (key: Record<string, 1 | -1>, unique = false) => bucketFields({ name: 'i', key, unique });
    expect(fields({ kind: 1, family: 1, date: 1 })).toEqual(['kind', 'family']);
    expect(fields({ organisationId: 1, attentionFrom: 1 })).toEqual(['organisationId']);
    expect(fields({ at: -1 })).toEqual(['at']);
    expect(fields({ a: 1, b: 1 }, true)).toEqual(['a', 'b']);
    expect(fields({ a: 1, 'b.c': 1, d: 1 })).toEqual(['a']);
    expect(fields({ 'a.b': 1 })).toEqual([]);
    expect(fields({ streamId: 1, _id: 1 })).toEqual(['streamId']);
    expect(fields({ _id: 1, a: 1 }, true)).toEqual([]);
  });
});
