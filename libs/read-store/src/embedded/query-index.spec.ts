import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Query } from 'mingo/query';
import type { Collection, Document, Filter, FindOptions, IndexSpec, ReadStoreTransaction } from '../read-store.port';
import type { PlainObject } from './codec';
import { bucketFields, QueryIndex, rangeField } from './query-index';
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
  store = SqliteReadStore.open({ directory: dir, cachedDocuments: 3 }); // a small cache: reads both hit it and decode
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

/** How many distinct documents mingo tests while `run` runs: an `$or` tests a document once more per branch. */
async function testedDocuments(run: () => Promise<unknown>): Promise<number> {
  const spy = jest.spyOn(Query.prototype, 'test');
  try {
    await run();
    return new Set(spy.mock.calls.map(([doc]) => doc)).size;
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
      // An empty filter is counted without reading the documents: the count must still be right.
      for (const c of [indexed, plain]) expect(await c.countDocuments({})).toBe((await c.find({})).length);
      return counts;
    },
  };
}

/** A seeded generator whose state can be rewound, so that both twins get the very same random write. */
function seededRandom(start: number) {
  let seed = start;
  return {
    next: () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    },
    get state() {
      return seed;
    },
    set state(value: number) {
      seed = value;
    },
  };
}

/** Rounds of transactions of 1-8 random writes, each applied alike to both twins, reading after every write and round. */
async function randomRounds(
  rng: ReturnType<typeof seededRandom>,
  write: (c: Collection) => Promise<unknown>,
  read: (t: ReturnType<typeof twins>) => Promise<void>,
): Promise<void> {
  for (let round = 0; round < 80; round++) {
    await store.withTransaction(async (tx: ReadStoreTransaction) => {
      const t = twins(tx);
      const size = 1 + Math.floor(rng.next() * 8);
      for (let i = 0; i < size; i++) {
        // Draw the operation once, so both collections get the very same one.
        const state = rng.state;
        await t.write((c) => {
          rng.state = state;
          return write(c);
        });
        await read(t);
      }
    });
    await read(twins());
  }
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
    // Documents 1, 8, 10, 11, 14 are in the bucket and 3, 12, 13 (arrays) in "any" buckets; not 4, 5,
    // 7, 9 (kind or family missing, null or an object: equality with a string never matches those).
    expect(family).toBe(8);
    // 1, 3 (1.0) and 6 (true) by value; 4, 12, 13 (arrays) always; not 5, 7, 8, 9 (null, object, Date, NaN).
    expect(await tested(() => t.indexed.countDocuments({ n: { $in: [1, true] } }))).toBe(6);
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
    const rng = seededRandom(7);
    const random = rng.next;
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
    await randomRounds(rng, randomWrite, read);
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

const DAY = 86_400_000;
/** The k-th date of the range tests: 18 days apart from 2018-01-01, so k = 0..149 spans about seven years and a half. */
const dateOf = (k: number) => new Date(Date.UTC(2018, 0, 1) + k * 18 * DAY).toISOString().slice(0, 10);
const DATES = 150;

/**
 * A cell per date, kind and family, inserted out of date order (k = i * 37 mod 150) so that
 * grouping by date and the natural order disagree. `_id`s read `kind-family-k`.
 */
function datedCells(kinds = ['cell', 'rollup', 'total'], families = ['exits', 'entries']): Document[] {
  const docs: Document[] = [];
  for (let i = 0; i < DATES; i++) {
    const k = (i * 37) % DATES;
    for (const kind of kinds) for (const family of families) docs.push({ _id: `${kind}-${family}-${k}`, kind, family, date: dateOf(k), n: docs.length });
  }
  return docs;
}

/** Cells whose `date` a range cannot narrow, or narrows only by its exact type and order. */
const oddDates: Document[] = [
  { _id: 'no-date', kind: 'cell', family: 'exits', n: 1 },
  ...Object.entries({
    null: null, 'array-in': ['2017-05-01', '2024-06-01'], 'array-out': ['2030-01-01', '2010-01-01'], 'array-numbers': [1, 30], empty: [],
    nested: [['2024-06-01']], date: new Date('2024-06-01'), true: true, object: { y: 2024 }, regexp: /2024/, nan: Number.NaN,
    inf: Infinity, '-inf': -Infinity, number: 2024, big: 20240601, zero: -0, half: 5.5, year: '2024', time: '2024-06-01T10:00',
    'empty-string': '', 'numeric-string': '20', 'private-use': '\uE000', replacement: '\uFFFD', astral: '\u{1F600}',
  }).map(([id, date], i) => ({ _id: id, kind: 'cell', family: 'exits', date, n: 2 + i })),
  { _id: 'any-kind', kind: ['cell'], family: 'exits', date: '2024-02-02' },
  { _id: 'no-kind', family: 'exits', date: '2024-03-03' },
  { _id: 'null-family', kind: 'cell', family: null, date: '2017-01-01' },
  { _id: 'entries-array', kind: 'cell', family: 'entries', date: ['2024-01-01'] },
];

const exits = { kind: 'cell', family: 'exits' };
/** Bounds that are dates of the data (2024-01-06 and 2024-12-13), so `$gt` and `$gte` differ. */
const [from, to] = [dateOf(122), dateOf(141)];
const rangeFilters: Filter[] = [
  { ...exits, date: { $gte: '2024-01-01', $lte: '2024-12-31' } },
  { ...exits, date: { $gte: from, $lte: to } },
  { ...exits, date: { $gt: from, $lt: to } },
  { ...exits, date: { $gte: from, $lt: to } },
  { ...exits, date: { $gt: from, $lte: to } },
  { ...exits, date: { $gte: from } },
  { ...exits, date: { $gt: to } },
  { ...exits, date: { $lte: from } },
  { ...exits, date: { $lt: from } },
  { ...exits, date: { $gt: to, $lt: from } },
  { ...exits, date: from },
  { ...exits, date: { $eq: to } },
  { ...exits, date: { $in: [from, to, '2030-01-01'] } },
  { ...exits, date: { $in: [from, to], $gt: from } },
  { ...exits, date: { $in: [] } },
  { ...exits, date: '2024-06-01' },
  { ...exits, date: { $gte: '2030-01-01' } },
  { ...exits, date: { $lt: '2000-01-01' } },
  { ...exits, date: { $gte: '0000', $lte: '9999' } },
  { ...exits, date: { $gte: '2024', $lt: '2025' }, n: { $gte: 0 } },
  { ...exits, date: { $gte: 5, $lte: 2024 } },
  { ...exits, date: { $gt: 0 } },
  { ...exits, date: { $lte: 0 } },
  { ...exits, date: { $gte: -0, $lt: 10 } },
  { ...exits, date: 2024 },
  { ...exits, date: { $in: [30, 2024, '2024'] } },
  { ...exits, date: { $gte: '2024', $lte: 3000 } },
  { ...exits, date: { $gte: new Date('2024-01-01') } },
  { ...exits, date: { $lt: Infinity } },
  { ...exits, date: { $gte: true } },
  { ...exits, date: { $lte: null } },
  { ...exits, date: { $gte: '2024', $ne: '2024' } },
  { ...exits, date: { $lt: '2025', $exists: true } },
  { ...exits, date: { $gt: '\uE000' } },
  { ...exits, date: { $lt: '\uFFFF' } },
  { ...exits, date: { $gte: '\u{1F600}' } },
  { ...exits, date: { y: 2024 } },
  { ...exits, date: { $not: { $gte: from } } },
  { ...exits, date: { $elemMatch: { $gte: '2024' } } },
  { ...exits, $or: [{ date: { $lt: from } }, { date: { $gt: to } }] },
  // A top-level $or narrows when each branch is a condition on the range field alone (or equality with null).
  { ...exits, $or: [{ date: null }, { date: { $gt: to } }] },
  { ...exits, $or: [{ date: { $eq: null } }, { date: { $gte: from, $lt: to } }], date: { $lt: '2024-06' } },
  { ...exits, $or: [{ date: from }, { date: 2024 }, { date: { $in: [5.5, '2024'] } }] },
  { ...exits, $or: [{ date: { $lt: from } }, { date: null }], $and: [{ $or: [{ date: { $gt: '2019' } }, { date: 20 }] }] },
  { ...exits, $or: [{ date: { $in: [] } }, { date: null }] },
  { ...exits, $or: [{ date: { $gt: to } }], date: { $lt: from } },
  { ...exits, $or: [{ date: { $gte: 2024 } }], date: { $gte: '2024' } },
  // ... and does not narrow otherwise.
  { ...exits, $or: [{ date: { $lt: from } }, { n: 3 }] },
  { ...exits, $or: [{ date: { $gte: new Date(0) } }, { date: to }] },
  { ...exits, $or: [{ date: { $lt: from }, n: { $gte: 0 } }, { date: to }] },
  { ...exits, $or: [{ date: { $exists: false } }, { date: to }] },
  { ...exits, $or: [{ date: { $lt: from } }], $nor: [{ date: to }] },
  { $and: [{ kind: 'cell' }, { family: 'exits' }, { date: { $gte: from } }, { date: { $lte: to } }] },
  { ...exits, date: { $gte: '2019' }, $and: [{ date: { $lt: to } }, { $and: [{ date: { $gt: from } }] }] },
  { kind: 'cell', $and: [{ family: 'exits', date: { $gte: from, $lte: to } }] },
  { kind: 'cell', family: { $in: ['exits', 'entries'] }, date: { $gte: from, $lte: to } },
  { kind: { $in: ['cell', 'total'] }, family: 'exits', date: { $lt: from } },
  // Not every leading field pinned: no range narrowing, the same results.
  { kind: 'cell', date: { $gte: from, $lte: to } },
  { kind: 'cell', $or: [{ family: 'exits' }], date: { $gte: from } },
  { family: 'exits', date: { $gte: from, $lte: to } },
];

describe('range narrowing by the trailing key of a compound index (embedded store)', () => {
  const load = async (docs: Document[]) => {
    await store.ensureIndexes('indexed', INDEXES);
    const t = twins();
    for (const doc of docs) await t.write((c) => c.insertOne({ ...doc }));
    return t;
  };

  it('finds exactly what an unindexed collection finds, in the same order, whatever the range and the date types', async () => {
    const t = await load([...datedCells(), ...oddDates, ...filler]);
    for (const filter of rangeFilters) await t.expectSameReads(filter);
  });

  it('tests only the dates in range and the documents whose date a range cannot leave out', async () => {
    const t = await load([...datedCells(), ...oddDates, ...filler]);
    const year = { ...exits, date: { $gte: '2024-01-01', $lte: '2024-12-31' } };
    // k = 122..142 (2024-01-06 .. 2024-12-31), 14 dates no range leaves out (no-date .. -inf), 'time', and
    // any-kind from an "any" bucket; not no-kind (kind missing) nor null-family.
    expect(await tested(() => t.indexed.find(year))).toBe(21 + 14 + 1 + 1);
    expect(await tested(() => t.indexed.find({ ...exits, date: { $gt: from, $lt: to } }))).toBe(18 + 14 + 1 + 1);
    expect(await tested(() => t.indexed.find({ ...exits, date: to }))).toBe(1 + 14);
    expect(await tested(() => t.indexed.find({ ...exits, date: { $gte: 5, $lt: 2024 } }))).toBe(1 + 14); // half (5.5); not number (2024), zero or big
    // Either branch: k = 0..121 or 142..149, the 14 no range leaves out, and six odd strings below from or above to
    // ('', '20', '2024', and the three from U+E000); not the numbers, nor 'time' (2024-06-01T10:00).
    expect(await testedDocuments(() => t.indexed.find({ ...exits, $or: [{ date: { $lt: from } }, { date: { $gt: to } }, { date: null }] }))).toBe(122 + 8 + 14 + 6);
    expect(await testedDocuments(() => t.indexed.find({ ...exits, $or: [{ date: null }, { date: { $gt: to } }] }))).toBe(8 + 14 + 3); // the three from U+E000
    // Both the field's own conditions and the branches: k = 122..141, 'time' and any-kind (2024-02-02); then only `to`.
    expect(await testedDocuments(() => t.indexed.find({ ...exits, date: { $gte: from }, $or: [{ date: { $lte: to } }, { date: null }] }))).toBe(20 + 14 + 2);
    expect(await testedDocuments(() => t.indexed.find({ ...exits, date: { $in: [from, to] }, $or: [{ date: to }, { date: null }] }))).toBe(1 + 14);
  });

  it('uses the index when the range leaves few documents, though the pinned buckets hold most of them', async () => {
    const t = await load([...datedCells(['cell'], ['exits']), ...oddDates]);
    const total = DATES + oddDates.length;
    expect(await tested(() => t.indexed.find(exits))).toBe(total);
    expect(await tested(() => t.indexed.find({ ...exits, date: { $gte: '2024-01-01', $lte: '2024-12-31' } }))).toBe(21 + 14 + 1 + 1);
    expect(await tested(() => t.indexed.find({ kind: 'cell', date: { $gte: '2024-01-01', $lte: '2024-12-31' } }))).toBe(total);
    for (const filter of rangeFilters) await t.expectSameReads(filter);
  });

  it('moves documents between groups when updates change the date, keeping natural order', async () => {
    const t = await load([...datedCells(), ...oddDates, ...filler]);
    const writes: Array<(c: Collection) => Promise<unknown>> = [
      (c) => c.updateOne({ _id: 'cell-exits-10' }, { $set: { date: dateOf(130) } }), // into the range, keeps its place
      (c) => c.updateOne({ _id: 'cell-exits-130' }, { $set: { date: dateOf(10) } }), // out of it
      (c) => c.updateOne({ _id: 'cell-exits-131' }, { $set: { date: ['2000-01-01', from] } }), // an array: always a candidate
      (c) => c.updateOne({ _id: 'cell-exits-132' }, { $unset: { date: '' } }),
      (c) => c.updateOne({ _id: 'cell-exits-133' }, { $set: { date: 2024 } }), // a number: out of a string range
      (c) => c.updateOne({ _id: 'number' }, { $set: { date: from } }), // a number into the range
      (c) => c.updateOne({ _id: 'array-out' }, { $set: { date: to } }), // an array into the range
      (c) => c.updateOne({ _id: 'zero' }, { $set: { date: 0 } }), // the same group
      (c) => c.updateOne({ _id: 'cell-exits-134' }, { $set: { note: 'same group' } }),
      (c) => c.updateOne({ _id: 'cell-entries-135' }, { $set: { family: 'exits', date: dateOf(20) } }), // another bucket, out of range
      (c) => c.updateOne({ _id: 'cell-entries-20' }, { $set: { family: 'exits', date: dateOf(125) } }), // another bucket, into range
      (c) => c.updateMany({ ...exits, date: { $gte: dateOf(136), $lte: dateOf(138) } }, { $set: { date: dateOf(3) } }),
      (c) => c.deleteOne({ _id: 'cell-exits-140' }),
      (c) => c.deleteOne({ _id: 'cell-exits-124' }),
      (c) => c.insertOne({ _id: 'cell-exits-124', kind: 'cell', family: 'exits', date: dateOf(124) }), // re-inserted: last
      (c) => c.replaceOne({ _id: 'cell-exits-139' }, { kind: 'cell', family: 'exits', date: dateOf(0) }),
      (c) => c.replaceOne({ _id: 'cell-exits-0' }, { kind: 'cell', family: 'exits', date: dateOf(139) }),
    ];
    for (const write of writes) await t.write(write);
    const ids = (await t.indexed.find({ ...exits, date: { $gte: from, $lte: to } })).map((d) => d._id);
    expect(ids).toEqual(expect.arrayContaining(['cell-exits-10', 'cell-exits-131', 'number', 'array-out', 'cell-entries-20', 'cell-exits-0']));
    for (const gone of ['cell-exits-130', 'cell-exits-132', 'cell-exits-133', 'cell-exits-137', 'cell-exits-139', 'cell-exits-140']) expect(ids).not.toContain(gone);
    expect(ids.at(-1)).toBe('cell-exits-124'); // re-inserted
    for (const filter of rangeFilters) await t.expectSameReads(filter);
  });

  it("sees a transaction's own date changes, inserts and deletes through a range, in the order a scan gives", async () => {
    const committed = await load([...datedCells(), ...oddDates, ...filler]);
    const year = { ...exits, date: { $gte: from, $lte: to } };
    await store.withTransaction(async (tx) => {
      const t = twins(tx);
      const check = async () => {
        for (const filter of rangeFilters) await t.expectSameReads(filter);
      };
      await t.write((c) => c.updateOne({ _id: 'cell-exits-10' }, { $set: { date: dateOf(130) } })); // into the range
      await t.write((c) => c.updateOne({ _id: 'cell-exits-130' }, { $set: { date: dateOf(10) } })); // out of it
      await t.write((c) => c.updateOne({ _id: 'cell-exits-131' }, { $set: { date: [from] } })); // to an array
      await t.write((c) => c.updateOne({ _id: 'null' }, { $set: { date: to } })); // from null into the range
      await t.write((c) => c.updateOne({ _id: 'cell-entries-20' }, { $set: { family: 'exits', date: dateOf(125) } }));
      await t.write((c) => c.insertOne({ _id: 'new-in', kind: 'cell', family: 'exits', date: dateOf(126) }));
      await t.write((c) => c.insertOne({ _id: 'new-out', kind: 'cell', family: 'exits', date: dateOf(1) }));
      const inTx = (await t.indexed.find(year)).map((d) => d._id);
      expect(inTx).toEqual(expect.arrayContaining(['cell-exits-10', 'cell-exits-131', 'null', 'cell-entries-20', 'new-in']));
      expect(inTx).not.toContain('cell-exits-130');
      expect(inTx).not.toContain('new-out');
      await check();
      await t.write((c) => c.deleteOne({ _id: 'cell-exits-125' }));
      await t.write((c) => c.deleteOne({ _id: 'cell-exits-126' }));
      await t.write((c) => c.insertOne({ _id: 'cell-exits-126', kind: 'cell', family: 'exits', date: dateOf(2) })); // re-inserted out of range
      await t.write((c) => c.updateMany(year, { $set: { touched: true } }));
      await t.write((c) => c.updateOne({ _id: 'new-in' }, { $set: { date: dateOf(149) } }));
      await check();
      await t.write((c) => c.deleteMany({ ...exits, date: { $gt: dateOf(127), $lt: dateOf(135) } }));
      await check();
    });
    for (const filter of rangeFilters) await committed.expectSameReads(filter);
  });

  it('matches an unindexed collection through random dates, ranges, writes and transactions', async () => {
    await store.ensureIndexes('indexed', INDEXES);
    const rng = seededRandom(11);
    const random = rng.next;
    const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
    const dates: unknown[] = ['2023-12-31', '2024-01-01', '2024-06-15', '2024-12-31', '2025-01-01', '2024', 5, 10, 10.5, -0];
    const odd: unknown[] = [null, ['2024-06-15', '2030-01-01'], ['2010-01-01'], [], new Date(0), true, Number.NaN, { d: 1 }];
    const bounds: unknown[] = [...dates, ...dates, new Date(0), null, true, Infinity];
    const randomDoc = (id: number): Document => {
      const doc: Document = { _id: id, kind: pick(['cell', 'rollup']), family: pick(['a', 'b', 'a', 'b', null]), n: id };
      if (random() < 0.9) doc.date = random() < 0.8 ? pick(dates) : pick(odd);
      return doc;
    };
    const randomCondition = (): unknown => {
      const roll = random();
      if (roll < 0.15) return pick(dates);
      if (roll < 0.25) return { $in: [pick(bounds), pick(dates)] };
      const condition: Record<string, unknown> = {};
      for (const op of ['$gt', '$gte', '$lt', '$lte', '$eq']) if (random() < (op === '$eq' ? 0.1 : 0.4)) condition[op] = random() < 0.9 ? pick(dates) : pick(bounds);
      return condition;
    };
    const randomFilter = (): Filter => {
      const filter: Filter = { kind: pick(['cell', 'rollup']) };
      if (random() < 0.85) filter.family = random() < 0.8 ? pick(['a', 'b']) : { $in: ['a', 'b'] };
      if (random() < 0.9) filter.date = randomCondition();
      return random() < 0.3 ? { $and: [filter, { date: randomCondition() }] } : filter;
    };
    let tests = { indexed: 0, plain: 0 };
    const read = async (t: ReturnType<typeof twins>) => {
      const counts = await t.expectSameReads(randomFilter());
      tests = { indexed: tests.indexed + counts.indexed, plain: tests.plain + counts.plain };
    };
    const randomWrite = (c: Collection): Promise<unknown> => {
      const id = Math.floor(random() * 80);
      const roll = random();
      if (roll < 0.4) return c.insertOne(randomDoc(id));
      if (roll < 0.65) return c.updateOne({ _id: id }, random() < 0.85 ? { $set: { date: random() < 0.8 ? pick(dates) : pick(odd) } } : { $unset: { date: '' } });
      if (roll < 0.7) return c.updateOne({ _id: id }, { $set: { family: pick(['a', 'b']), date: pick(dates) } });
      if (roll < 0.75) return c.updateMany(randomFilter(), { $set: { date: pick(dates) } });
      if (roll < 0.85) return c.replaceOne({ _id: id }, randomDoc(id), { upsert: random() < 0.5 });
      if (roll < 0.97) return c.deleteOne({ _id: id });
      return c.deleteMany(randomFilter());
    };
    await randomRounds(rng, randomWrite, read);
    expect(await twins().indexed.countDocuments()).toBeGreaterThan(30);
    expect(tests.indexed).toBeLessThan(tests.plain * 0.4);
  }, 60_000);
});

describe('range narrowing by a path into embedded documents (embedded store)', () => {
  // Both declared on the same bucket fields: a query uses the one that leaves fewer candidates.
  const BY_END: IndexSpec[] = [{ key: { kind: 1, family: 1, date: 1 } }, { key: { kind: 1, family: 1, 'extra.endsOn': 1 } }];
  /** Waits starting at date k and ending 10 dates later, the last 20 still open; then ends a path cannot reach. */
  const waits = (): Document[] => {
    const docs: Document[] = Array.from({ length: DATES }, (_, i) => {
      const k = (i * 37) % DATES;
      return { _id: `wait-${k}`, kind: 'cell', family: 'waiting', date: dateOf(k), extra: { stage: 'rg', endsOn: k >= DATES - 20 ? null : dateOf(k + 10) }, n: i };
    });
    const odd: Record<string, unknown> = {
      'no-extra': undefined, 'null-extra': null, 'string-extra': 'x', 'array-extra': [{ endsOn: dateOf(149) }], 'empty-extra': {},
      'array-end': { endsOn: [dateOf(149)] }, 'number-end': { endsOn: 2030 }, 'date-end': { endsOn: new Date(0) }, 'nested-end': { endsOn: { on: dateOf(149) } },
    };
    for (const [id, extra] of Object.entries(odd)) docs.push({ _id: id, kind: 'cell', family: 'waiting', date: dateOf(100), ...(extra === undefined ? {} : { extra }), n: docs.length });
    return docs;
  };
  const asOf = dateOf(120);
  const openAt = (on: string): Filter => ({ kind: 'cell', family: 'waiting', date: { $lte: on }, $or: [{ 'extra.endsOn': null }, { 'extra.endsOn': { $gt: on } }] });
  const endFilters: Filter[] = [
    openAt(asOf),
    openAt(dateOf(5)),
    openAt('2030-01-01'),
    { kind: 'cell', family: 'waiting', 'extra.endsOn': { $gt: asOf } },
    { kind: 'cell', family: 'waiting', 'extra.endsOn': { $gte: dateOf(50), $lt: dateOf(60) } },
    { kind: 'cell', family: 'waiting', 'extra.endsOn': dateOf(30) },
    { kind: 'cell', family: 'waiting', 'extra.endsOn': { $in: [dateOf(30), 2030] } },
    { kind: 'cell', family: 'waiting', 'extra.endsOn': null },
    { kind: 'cell', family: 'waiting', 'extra.endsOn': { $gt: 2000 } },
    { kind: 'cell', family: 'waiting', $or: [{ 'extra.endsOn': { $lt: dateOf(20) } }, { 'extra.endsOn': { $gt: dateOf(140) } }] },
    { kind: 'cell', family: 'waiting', $or: [{ 'extra.endsOn': { $lt: dateOf(20) } }, { extra: null }] },
    { kind: 'cell', family: 'waiting', 'extra.endsOn.on': { $gt: '2000' } },
    { kind: 'cell', family: 'waiting', extra: { $elemMatch: { endsOn: { $gt: asOf } } } },
  ];

  const load = async (docs: Document[]) => {
    await store.ensureIndexes('indexed', BY_END);
    const t = twins();
    for (const doc of docs) await t.write((c) => c.insertOne({ ...doc }));
    return t;
  };

  it('finds exactly what an unindexed collection finds, in the same order, through writes', async () => {
    const t = await load([...waits(), ...filler]);
    for (const filter of [...endFilters, ...rangeFilters]) await t.expectSameReads(filter);
    await t.write((c) => c.updateOne({ _id: 'wait-3' }, { $set: { 'extra.endsOn': dateOf(140) } })); // into the open ones
    await t.write((c) => c.updateOne({ _id: 'wait-140' }, { $set: { 'extra.endsOn': dateOf(141) } })); // closed
    await t.write((c) => c.updateOne({ _id: 'wait-4' }, { $set: { extra: [{ endsOn: dateOf(1) }] } })); // through an array
    await t.write((c) => c.updateOne({ _id: 'array-extra' }, { $set: { extra: { endsOn: dateOf(1) } } }));
    await t.write((c) => c.updateOne({ _id: 'wait-5' }, { $unset: { extra: '' } }));
    await t.write((c) => c.deleteOne({ _id: 'wait-6' }));
    await t.write((c) => c.insertOne({ _id: 'wait-6', kind: 'cell', family: 'waiting', date: dateOf(6), extra: { endsOn: null } }));
    for (const filter of endFilters) await t.expectSameReads(filter);
  });

  it('tests only the waits a range of their end leaves, and those whose end it cannot place', async () => {
    const t = await load([...waits(), ...filler]);
    // Open at dateOf(120): candidates are the 20 still open, the 19 ending after it (k = 111..129), and the 8
    // whose end a path cannot place (number-end is grouped, as a number, which a string range leaves out).
    expect(await testedDocuments(() => t.indexed.find(openAt(asOf)))).toBe(20 + 19 + 8);
    // Of those, started by then: k = 111..120 (the open ones start at k >= 130), and the six odd ones whose end is
    // missing (or null) or an array holding a later date.
    expect(await t.indexed.countDocuments(openAt(asOf))).toBe(10 + 6);
    // The date index leaves fewer for a narrow date range: it is the one used.
    expect(await tested(() => t.indexed.find({ kind: 'cell', family: 'waiting', date: dateOf(7) }))).toBe(1);
  });
});

describe('QueryIndex ranges', () => {
  /** An index over `docs` in this order, and the `_id`s of what a filter leaves as candidates. */
  function indexOf(docs: PlainObject[]) {
    const index = new QueryIndex(['kind', 'family'], 'date');
    docs.forEach((doc, position) => index.add(String(doc._id), doc, position));
    return {
      index,
      ids: (filter: PlainObject) => {
        const probe = index.probe(filter)!;
        const { keys: found, positions } = index.collect(probe);
        expect(positions).toEqual([...positions].sort((a, b) => a - b));
        expect(index.count(probe)).toBe(found.length);
        for (const doc of docs) expect(index.admits(probe, doc)).toBe(found.includes(String(doc._id)));
        return found;
      },
    };
  }

  const docs: PlainObject[] = [
    { _id: 'b', kind: 'c', family: 'f', date: '2024-05-01' },
    { _id: 'a', kind: 'c', family: 'f', date: '2023-05-01' },
    { _id: 'arr', kind: 'c', family: 'f', date: ['2020-01-01'] },
    { _id: 'c', kind: 'c', family: 'f', date: '2024-01-01' },
    { _id: 'other', kind: 'c', family: 'g', date: '2024-01-01' },
    { _id: 'num', kind: 'c', family: 'f', date: 2024 },
    { _id: 'd', kind: 'c', family: 'f', date: '2024-12-31' },
    { _id: 'any', kind: ['c'], family: 'f', date: '2024-02-01' },
    { _id: 'none', kind: 'c', family: 'f' },
    { _id: 'e', kind: 'c', family: 'f', date: '2025-01-01' },
  ];

  it('keeps the groups in range and the documents no range leaves out, in natural order', () => {
    const { index, ids } = indexOf(docs);
    expect(ids({ kind: 'c', family: 'f', date: { $gte: '2024-01-01', $lte: '2024-12-31' } })).toEqual(['b', 'arr', 'c', 'd', 'any', 'none']);
    expect(ids({ kind: 'c', family: 'f', date: { $gt: '2024-01-01', $lt: '2024-12-31' } })).toEqual(['b', 'arr', 'any', 'none']);
    expect(ids({ kind: 'c', family: 'f', date: { $gte: '2024-12-31' } })).toEqual(['arr', 'd', 'none', 'e']);
    expect(ids({ kind: 'c', family: 'f', date: { $lt: '2024' } })).toEqual(['a', 'arr', 'none']);
    expect(ids({ kind: 'c', family: 'f', date: '2024-01-01' })).toEqual(['arr', 'c', 'none']);
    expect(ids({ kind: 'c', family: 'f', date: { $in: ['2024-01-01', '2025-01-01'], $lt: '2025' } })).toEqual(['arr', 'c', 'none']);
    expect(ids({ kind: 'c', family: 'f', date: { $gt: 2000 } })).toEqual(['arr', 'num', 'none']);
    expect(ids({ kind: 'c', family: 'f', date: { $gte: '2030' } })).toEqual(['arr', 'none']);
    expect(ids({ kind: 'c', family: 'f', $and: [{ date: { $gte: '2024-02' } }, { date: { $lt: '2025' } }] })).toEqual(['b', 'arr', 'd', 'any', 'none']);
    // Not narrowed: the whole family, as without a range.
    expect(ids({ kind: 'c', family: 'f', date: { $gte: new Date(0) } })).toHaveLength(9);
    expect(ids({ kind: 'c', date: { $gte: '2030' } })).toHaveLength(10);

    index.update('a', docs[1], { ...docs[1], date: '2024-06-01' });
    index.update('b', docs[0], { ...docs[0], date: ['2024-06-01'] });
    index.update('d', docs[6], { ...docs[6], family: 'g' });
    index.update('e', docs[9], { ...docs[9], date: '2024-03-01', family: 'f' });
    index.remove('c', docs[3]);
    const year = index.probe({ kind: 'c', family: 'f', date: { $gte: '2024-01-01', $lte: '2024-12-31' } })!;
    expect(index.collect(year).keys).toEqual(['b', 'a', 'arr', 'any', 'none', 'e']);
    expect(index.count(year)).toBe(6);
  });

  it('narrows only when every field is pinned, by comparisons and equalities whose bounds are strings or finite numbers of one type', () => {
    const index = new QueryIndex(['kind', 'family'], 'date');
    const pinned = { kind: 'c', family: 'f' };
    expect(index.probe({ kind: 'c', date: { $gte: 'a' } })).toEqual({ keys: [['sc']] });
    expect(new QueryIndex(['kind', 'family']).probe({ ...pinned, date: { $gte: 'a' } })).toEqual({ keys: [['sc'], ['sf']] });
    for (const date of [{ $gte: new Date(0) }, { $gte: 'a', $lt: 5 }, { $in: ['a', 1] }, null, ['a'], { a: 1 }, {}, { $gte: Number.NaN },
      { $lt: Infinity }, { $gte: true }, { $ne: 'a' }, { $exists: true }, /a/, { $eq: null }, { $in: [null] }, { $in: 'a' }, { $gte: 'a', x: 1 }]) {
      expect(index.probe({ ...pinned, date })).toEqual({ keys: [['sc'], ['sf']] });
    }
    expect(index.probe({ ...pinned, date: { $gte: 'a' }, $and: [{ date: 5 }] })).toEqual({ keys: [['sc'], ['sf']] });
    for (const date of [{ $gte: 'a' }, { $lt: 5, $ne: 3 }, { $in: [] }, 'a', -0, { $eq: 1.5 }, { $in: ['a', 'b'], $exists: true }]) {
      expect(index.probe({ ...pinned, date })?.range).toBeDefined();
      expect(index.probe({ $and: [pinned, { date }] })?.range).toBeDefined();
    }
  });
});

describe('QueryIndex.probe', () => {
  const index = new QueryIndex(['kind', 'family']);

  it('pins fields by equality with a string, finite number or boolean, by $eq or $in, and inside $and', () => {
    expect(index.probe({ kind: 'cell', family: 'exits', date: { $gte: '2024' } })).toEqual({ keys: [['scell'], ['sexits']] });
    expect(index.probe({ kind: { $eq: 1 }, family: { $in: [true, 1, 1.0, '1'] } })).toEqual({ keys: [['n1'], ['bt', 'n1', 's1']] });
    expect(index.probe({ $and: [{ family: 'exits' }, { $and: [{ kind: false }] }] })).toEqual({ keys: [['bf'], ['sexits']] });
    expect(index.probe({ kind: 'cell', family: { $gt: 'a' } })).toEqual({ keys: [['scell']] });
    expect(index.probe({ kind: -0 })).toEqual({ keys: [['n0']] });
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

  it('ranges over the key a non-unique compound index leaves out, when it buckets by all the others', () => {
    const range = (key: Record<string, 1 | -1>, unique = false) => rangeField({ name: 'i', key, unique });
    expect(range({ kind: 1, family: 1, date: 1 })).toBe('date');
    expect(range({ organisationId: 1, attentionFrom: -1 })).toBe('attentionFrom');
    expect(range({ at: -1 })).toBeUndefined();
    expect(range({ a: 1, b: 1 }, true)).toBeUndefined();
    expect(range({ a: 1, 'b.c': 1, d: 1 })).toBeUndefined();
    expect(range({ a: 1, 'b.c': 1 })).toBe('b.c');
    expect(range({ streamId: 1, _id: 1 })).toBeUndefined();
    expect(range({ streamId: 1, '_id.x': 1 })).toBeUndefined();
    expect(range({ 'a.b': 1, c: 1 })).toBeUndefined();
  });
});

describe('sorted pages read in index order (embedded store)', () => {
  const ORDER: IndexSpec[] = [{ key: { d: 1, j: 1 }, name: 'd_j' }];
  const sorts: Array<Record<string, 1 | -1>> = [{ d: 1, j: 1 }, { d: 1, j: -1 }, { j: 1, d: 1 }, { d: 1 }];
  const pages = [{}, { limit: 3 }, { skip: 2, limit: 4 }, { skip: 50 }];

  async function expectSamePages(t: ReturnType<typeof twins>, filters: Filter[]): Promise<{ indexed: number; plain: number }> {
    const total = { indexed: 0, plain: 0 };
    for (const filter of filters) {
      for (const sort of sorts) {
        for (const page of pages) {
          let a: unknown;
          let b: unknown;
          total.indexed += await tested(async () => (a = await t.indexed.find(filter, { sort, ...page })));
          total.plain += await tested(async () => (b = await t.plain.find(filter, { sort, ...page })));
          expect({ filter, sort, page, result: a }).toEqual({ filter, sort, page, result: b });
        }
      }
    }
    return total;
  }

  it('gives exactly the general sort, ties in natural order, through writes, and reads only up to the page', async () => {
    await store.ensureIndexes('indexed', ORDER);
    const t = twins();
    const days = ['2024-01-15', '2024-03-01', '2023-12-31', '2024-01-02', '2024-01-15'];
    for (let i = 0; i < 30; i++) await t.write((c) => c.insertOne({ _id: i, d: days[i % days.length], j: `j-${(i * 7) % 11}`, n: i % 3 }));
    const filters: Filter[] = [{}, { n: 1 }, { n: { $ne: 2 } }];
    const counts = await expectSamePages(t, filters);
    expect(counts.indexed).toBeLessThan(counts.plain);
    await t.write((c) => c.deleteOne({ _id: 3 }));
    await t.write((c) => c.insertOne({ _id: 3, d: '2024-01-02', j: 'j-0', n: 1 })); // a re-insert: last among its ties
    await t.write((c) => c.updateOne({ _id: 4 }, { $set: { d: '2022-01-01' } }));
    await t.write((c) => c.updateOne({ _id: 5 }, { $set: { j: 'a' } }));
    await expectSamePages(t, filters);
    // Values the index order does not follow, one at a time: the general sort answers, with the same results.
    for (const odd of [{ j: ['j-1', 'a'] }, { d: null }, { d: 20240101 }, { j: 5 }, { d: ['2024-01-02'] }]) {
      await t.write((c) => c.updateOne({ _id: 6 }, { $set: odd }));
      await expectSamePages(t, filters);
      await t.write((c) => c.replaceOne({ _id: 6 }, { d: '2024-01-02', j: 'j-6', n: 0 }));
    }
    await t.write((c) => c.updateOne({ _id: 7 }, { $unset: { d: '' } }));
    await expectSamePages(t, filters);
    await t.write((c) => c.deleteMany({ _id: { $in: [6, 7] } }));
    await store.withTransaction(async (tx) => {
      const inTx = twins(tx);
      await inTx.write((c) => c.insertOne({ _id: 100, d: '2024-01-02', j: 'j-0', n: 1 }));
      await expectSamePages(inTx, filters);
    });
    await expectSamePages(twins(), filters);
  });
});

