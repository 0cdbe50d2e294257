import { exited } from '../../../libs/domain/test-support/journey-fixtures';
import type { JourneyDocument } from '../../journeys/journey.document';
import { groupCells } from '../aggregate';
import type { Cell } from '../cells';
import { waitingCells } from './waiting';

import { journey, referredOn, decision, reconsideration } from '../testing/fixture-journeys';

/** The waits as [stage, start, endsOn, reconsideration]. */
const waits = (doc: JourneyDocument) => waitingCells(doc).map((c) => [c.extra!.stage, c.date, c.extra!.endsOn, c.extra!.reconsideration]);
/** Journeys waiting at the end of `asOf`, by stage: the query-time reading of the intervals. */
const openAt = (docs: JourneyDocument[], asOf: string) => {
  const open = docs.flatMap(waitingCells).filter((c) => c.date <= asOf && (c.extra!.endsOn === null || String(c.extra!.endsOn) > asOf));
  return Object.fromEntries(['reasonable_grounds', 'conclusive_grounds'].map((stage) => [stage,
    groupCells(open.filter((c: Cell) => c.extra!.stage === stage), { period: 'year', by: [] })[0]?.counters.waits ?? 0]));
};

const awaitingRg = journey('w1', ...referredOn('2024-01-08', 'w1'));
const awaitingCg = journey('w2', ...referredOn('2024-01-08', 'w2'), decision('reasonable_grounds', 'positive', '2024-01-10'));
const decidedBoth = journey('w3', ...referredOn('2024-01-08', 'w3'), decision('reasonable_grounds', 'positive', '2024-01-10'), decision('conclusive_grounds', 'positive', '2024-03-01'));
const overturned = journey('w4', ...referredOn('2024-01-08', 'w4'),
  decision('reasonable_grounds', 'negative', '2024-01-10', 'w4-rg1'), reconsideration('w4-rg1', '2024-01-20'), decision('reasonable_grounds', 'positive', '2024-02-05'));

describe('waiting: waits for a decision as intervals', () => {
  it('waits for RG from the referral and for CG from the positive RG until the decisions', () => {
    expect(waits(awaitingRg)).toEqual([['reasonable_grounds', '2024-01-08', null, false]]);
    expect(waits(awaitingCg)).toEqual([['reasonable_grounds', '2024-01-08', '2024-01-10', false], ['conclusive_grounds', '2024-01-10', null, false]]);
    expect(waits(decidedBoth)).toEqual([['reasonable_grounds', '2024-01-08', '2024-01-10', false], ['conclusive_grounds', '2024-01-10', '2024-03-01', false]]);
  });

  it('reopens the RG wait from a reconsideration request until the new decision, then waits for CG from it', () => {
    expect(waits(overturned)).toEqual([
      ['reasonable_grounds', '2024-01-08', '2024-01-10', false],
      ['conclusive_grounds', '2024-02-05', null, false],
      ['reasonable_grounds', '2024-01-20', '2024-02-05', true],
    ]);
  });

  it('reopens the CG wait on a reconsidered negative CG, and leaves it open while undecided', () => {
    const doc = journey('w5', ...referredOn('2024-01-08', 'w5'), decision('reasonable_grounds', 'positive', '2024-01-10'),
      decision('conclusive_grounds', 'negative', '2024-03-01', 'w5-cg1'), reconsideration('w5-cg1', '2024-03-15'));
    expect(waits(doc).slice(1)).toEqual([['conclusive_grounds', '2024-01-10', '2024-03-01', false], ['conclusive_grounds', '2024-03-15', null, true]]);
  });

  it('ends a wait at an exit, and opens none for a request made after the exit', () => {
    const withdrew = journey('w6', ...referredOn('2024-01-08', 'w6'), exited('2024-01-09'));
    expect(waits(withdrew)).toEqual([['reasonable_grounds', '2024-01-08', '2024-01-09', false]]);
    const requestAfterExit = journey('w7', ...referredOn('2024-01-08', 'w7'), decision('reasonable_grounds', 'negative', '2024-01-10', 'w7-rg1'),
      exited('2024-01-15', 'negative_decision'), reconsideration('w7-rg1', '2024-01-20'));
    expect(waits(requestAfterExit)).toEqual([['reasonable_grounds', '2024-01-08', '2024-01-10', false]]);
  });

  it('leaves out a wait that ended the day it began', () => {
    const sameDay = journey('w8', ...referredOn('2024-01-08', 'w8'), decision('reasonable_grounds', 'positive', '2024-01-08'));
    expect(waits(sameDay)).toEqual([['conclusive_grounds', '2024-01-08', null, false]]);
  });

  it('counts who is waiting at the end of a day: a wait ending on that day is over, one starting on it is open', () => {
    const docs = [awaitingRg, awaitingCg, decidedBoth, overturned];
    expect(openAt(docs, '2024-01-07')).toEqual({ reasonable_grounds: 0, conclusive_grounds: 0 });
    expect(openAt(docs, '2024-01-08')).toEqual({ reasonable_grounds: 4, conclusive_grounds: 0 });
    expect(openAt(docs, '2024-01-10')).toEqual({ reasonable_grounds: 1, conclusive_grounds: 2 });
    expect(openAt(docs, '2024-01-20')).toEqual({ reasonable_grounds: 2, conclusive_grounds: 2 }); // w4 reconsidered
    expect(openAt(docs, '2024-02-05')).toEqual({ reasonable_grounds: 1, conclusive_grounds: 3 });
    expect(openAt(docs, '2024-03-01')).toEqual({ reasonable_grounds: 1, conclusive_grounds: 2 });
  });
});
