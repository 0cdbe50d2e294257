/// <reference types="jest" />
import type { Collection, Document } from '../read-store.port';
import { idsMatching, insertAll, type ContractContext } from './contract-context';

const people: Document[] = [
  {
    _id: 1, name: 'Ann', age: 34, city: 'Leeds', tags: ['a', 'b'],
    address: { city: 'Leeds', zip: 'LS1' },
    scores: [{ subject: 'math', score: 90 }, { subject: 'art', score: 60 }],
    joined: new Date('2020-01-15T00:00:00Z'), manager: null,
  },
  {
    _id: 2, name: 'Bob', age: 27, city: 'York', tags: ['b'],
    address: { city: 'York', zip: 'YO1' },
    scores: [{ subject: 'math', score: 70 }],
    joined: new Date('2021-06-01T00:00:00Z'),
  },
  {
    _id: 3, name: 'Cat', age: 41, tags: [],
    address: { city: 'Leeds' },
    scores: [],
    joined: new Date('2019-03-10T00:00:00Z'), manager: 'Ann',
  },
  {
    _id: 4, name: 'Dan', age: '41', city: 'Hull', tags: ['c', ['a']],
    address: { zip: 'HU1', city: 'Hull' },
    scores: [{ subject: 'art', score: 95 }],
    joined: '2020-05-05',
  },
];

/** Query operators (MongoDB manual: "Query and Projection Operators", "Query Documents"). */
export function describeFilterContract(ctx: ContractContext): void {
  describe('filters', () => {
    let people$: Collection;
    beforeEach(async () => {
      people$ = ctx.collection('people');
      await insertAll(people$, people);
    });
    const ids = (filter: Document) => idsMatching(people$, filter);

    it('matches equal values, implicitly or with $eq, without type coercion (manual: $eq)', async () => {
      expect(await ids({ city: 'Leeds' })).toEqual([1]);
      expect(await ids({ city: { $eq: 'Leeds' } })).toEqual([1]);
      expect(await ids({ age: 41 })).toEqual([3]);
      expect(await ids({ age: '41' })).toEqual([4]);
    });

    it('null matches fields that are null or missing (manual: Query for Null or Missing Fields)', async () => {
      expect(await ids({ manager: null })).toEqual([1, 2, 4]);
      expect(await ids({ manager: { $eq: null } })).toEqual([1, 2, 4]);
    });

    it('$ne also matches documents without the field (manual: $ne)', async () => {
      expect(await ids({ city: { $ne: 'Leeds' } })).toEqual([2, 3, 4]);
      expect(await ids({ manager: { $ne: null } })).toEqual([3]);
    });

    it('$in matches any listed value; $nin also matches missing fields (manual: $in, $nin)', async () => {
      expect(await ids({ city: { $in: ['York', 'Hull'] } })).toEqual([2, 4]);
      expect(await ids({ city: { $nin: ['York', 'Hull'] } })).toEqual([1, 3]);
      expect(await ids({ manager: { $in: [null, 'Bob'] } })).toEqual([1, 2, 4]);
      expect(await ids({ name: { $in: [/^A/, 'Bob'] } })).toEqual([1, 2]);
    });

    it('compares numbers only with numbers (manual: Comparison/Sort Order, type bracketing)', async () => {
      expect(await ids({ age: { $gt: 30 } })).toEqual([1, 3]);
      expect(await ids({ age: { $gte: 27, $lt: 34 } })).toEqual([2]);
      expect(await ids({ age: { $lte: 27 } })).toEqual([2]);
    });

    it('compares strings by binary order, only with strings (manual: $gt, $lt; Collation default)', async () => {
      expect(await ids({ name: { $gte: 'B', $lt: 'D' } })).toEqual([2, 3]);
      expect(await ids({ name: { $gt: 'a' } })).toEqual([]);
      expect(await ids({ age: { $gte: '40' } })).toEqual([4]);
    });

    it('compares Dates by instant, only with Dates (manual: Comparison/Sort Order)', async () => {
      const in2020 = { $gte: new Date('2020-01-01T00:00:00Z'), $lt: new Date('2021-01-01T00:00:00Z') };
      expect(await ids({ joined: in2020 })).toEqual([1]);
      expect(await ids({ joined: { $lt: new Date('2020-01-01T00:00:00Z') } })).toEqual([3]);
      expect(await ids({ joined: new Date('2021-06-01T00:00:00Z') })).toEqual([2]);
    });

    it('$exists tests presence, null counting as present (manual: $exists)', async () => {
      expect(await ids({ manager: { $exists: true } })).toEqual([1, 3]);
      expect(await ids({ city: { $exists: false } })).toEqual([3]);
    });

    it('combines conditions with $and, $or, $nor and implicit and (manual: $and, $or, $nor)', async () => {
      expect(await ids({ $or: [{ city: 'York' }, { age: { $gt: 40 } }] })).toEqual([2, 3]);
      expect(await ids({ $and: [{ tags: 'b' }, { age: { $lt: 30 } }] })).toEqual([2]);
      expect(await ids({ city: 'Leeds', age: 34 })).toEqual([1]);
      expect(await ids({ $nor: [{ city: 'Leeds' }, { city: 'York' }] })).toEqual([3, 4]);
    });

    it('reaches into embedded documents with dotted paths (manual: Query on Embedded/Nested Documents)', async () => {
      expect(await ids({ 'address.city': 'Leeds' })).toEqual([1, 3]);
      expect(await ids({ 'address.zip': { $exists: false } })).toEqual([3]);
    });

    it('matches a whole embedded document only with the same fields in the same order (manual: Query on Embedded/Nested Documents)', async () => {
      expect(await ids({ address: { city: 'Leeds', zip: 'LS1' } })).toEqual([1]);
      expect(await ids({ address: { zip: 'LS1', city: 'Leeds' } })).toEqual([]);
      expect(await ids({ address: { city: 'Leeds' } })).toEqual([3]);
    });

    it('matches arrays by element, exact array, index and size (manual: Query an Array)', async () => {
      expect(await ids({ tags: 'b' })).toEqual([1, 2]);
      expect(await ids({ tags: ['a', 'b'] })).toEqual([1]);
      expect(await ids({ tags: ['b', 'a'] })).toEqual([]);
      expect(await ids({ tags: ['a'] })).toEqual([4]);
      expect(await ids({ 'tags.0': 'a' })).toEqual([1]);
      expect(await ids({ tags: { $size: 0 } })).toEqual([3]);
      expect(await ids({ tags: { $all: ['b', 'a'] } })).toEqual([1]);
    });

    it('dotted paths through arrays of documents match any element (manual: Query an Array of Embedded Documents)', async () => {
      expect(await ids({ 'scores.subject': 'art' })).toEqual([1, 4]);
      expect(await ids({ 'scores.score': { $gt: 80 } })).toEqual([1, 4]);
    });

    it('lets different elements satisfy different conditions unless $elemMatch is used (manual: $elemMatch)', async () => {
      expect(await ids({ 'scores.subject': 'art', 'scores.score': { $gt: 80 } })).toEqual([1, 4]);
      expect(await ids({ scores: { $elemMatch: { subject: 'art', score: { $gt: 80 } } } })).toEqual([4]);
    });

    it('finds by _id equality and $in, with other conditions applied too (manual: $in)', async () => {
      expect(await ids({ _id: 2 })).toEqual([2]);
      expect(await ids({ _id: '2' })).toEqual([]);
      expect(await ids({ _id: { $in: [4, 1, 99] } })).toEqual([1, 4]);
      expect(await ids({ _id: { $in: [1, 2] }, age: { $gt: 30 } })).toEqual([1]);
      expect(await ids({ _id: { $gte: 3 } })).toEqual([3, 4]);
    });

    it('negates an operator expression with $not, including missing fields (manual: $not)', async () => {
      expect(await ids({ age: { $not: { $gt: 30 } } })).toEqual([2, 4]);
    });
  });
}
