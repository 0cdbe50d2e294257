import { decided } from '../../../libs/domain/test-support/journey-fixtures';
import type { JourneyDocument } from '../../journeys/journey.document';
import { groupCells } from '../aggregate';
import { cellChanges } from '../cells';
import { reconsiderationsCells } from './reconsiderations';

import { journey, referredOn, decision, reconsideration } from '../testing/fixture-journeys';

const byQuarter = (docs: JourneyDocument[]) =>
  Object.fromEntries(groupCells(docs.flatMap(reconsiderationsCells), { period: 'quarter', by: [] }).map((row) => [row.period, row.counters]));

// RG negative in March, reconsideration asked in March, overturned in April.
const overturned = journey('r1', ...referredOn('2024-03-04', 'r1'),
  decision('reasonable_grounds', 'negative', '2024-03-11', 'r1-rg1'), reconsideration('r1-rg1', '2024-03-25'), decision('reasonable_grounds', 'positive', '2024-04-08'));
// RG negative, reconsidered and upheld (a second negative), not asked again.
const upheld = journey('r2', ...referredOn('2024-03-04', 'r2'),
  decision('reasonable_grounds', 'negative', '2024-03-11', 'r2-rg1'), reconsideration('r2-rg1', '2024-03-20'), decision('reasonable_grounds', 'negative', '2024-04-15'));
// CG negative, reconsideration pending.
const pending = journey('r3', ...referredOn('2024-01-08', 'r3'), decision('reasonable_grounds', 'positive', '2024-01-10'),
  decision('conclusive_grounds', 'negative', '2024-03-01', 'r3-cg1'), reconsideration('r3-cg1', '2024-03-15'));
// RG negative, never reconsidered.
const accepted = journey('r4', ...referredOn('2024-03-04', 'r4'), decision('reasonable_grounds', 'negative', '2024-04-02'));

describe('reconsiderations: requests by request date, negative decisions by decision date, outcomes with the request', () => {
  it('counts every negative decision made, including the overturned one and the one made on reconsideration', () => {
    expect(byQuarter([overturned, upheld, pending, accepted])).toEqual({
      // negatives: r1 11 Mar, r2 11 Mar, r3 1 Mar; requests: r1, r2, r3 (25, 20, 15 Mar); r1 and r2 decided, r1 overturned.
      '2024-Q1': { negativeDecisions: 3, requests: 3, requestsDecided: 2, overturned: 1 },
      // negatives: r2's upheld decision 15 Apr, r4 2 Apr.
      '2024-Q2': { negativeDecisions: 2 },
    });
  });

  it('splits by stage', () => {
    const cg = [overturned, upheld, pending, accepted].flatMap(reconsiderationsCells).filter((c) => c.extra?.stage === 'conclusive_grounds');
    expect(cg.map((c) => [c.date, c.counters])).toEqual([['2024-03-01', { negativeDecisions: 1 }], ['2024-03-15', { requests: 1 }]]);
  });

  it('marks a request decided and overturned when its new decision arrives, on the request date', () => {
    const before = journey('r1', ...referredOn('2024-03-04', 'r1'), decision('reasonable_grounds', 'negative', '2024-03-11', 'r1-rg1'), reconsideration('r1-rg1', '2024-03-25'));
    const changes = [...cellChanges(reconsiderationsCells(before), reconsiderationsCells(overturned)).values()];
    expect(changes.map((c) => [c.cell.date, c.inc])).toEqual([['2024-03-25', { requestsDecided: 1, overturned: 1 }]]);
  });
});
