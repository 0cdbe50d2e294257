import { recoveryPeriodEnds } from '../../../libs/domain/src/policy';
import { exited, referred } from '../../../libs/domain/test-support/journey-fixtures';
import type { JourneyDocument } from '../../journeys/journey.document';
import { groupCells, histogramOf, median, percentile, type Period } from '../aggregate';
import { cellChanges, type Cell } from '../cells';
import { decisionsCells } from './decisions';

import { journey, referredOn, decision, reconsideration } from '../testing/fixture-journeys';

/** Counters per period for one stage, counted by decision date or by referral cohort. */
function byPeriod(docs: JourneyDocument[], stage: string, period: Period = 'quarter', basis: 'decision' | 'cohort' = 'decision') {
  const cells = docs.flatMap(decisionsCells).filter((c) => c.extra?.stage === stage);
  const dateOf = basis === 'cohort' ? (c: { extra?: Cell['extra'] }) => String(c.extra!.referredOn) : undefined;
  return Object.fromEntries(groupCells(cells, { period, by: [], dateOf }).map((row) => [row.period, row.counters]));
}

// Easter 2024: Good Friday 29 March and Easter Monday 1 April are bank holidays in England and Wales.
const easterOne = journey('a', ...referredOn('2024-03-28', 'a'), decision('reasonable_grounds', 'positive', '2024-04-02')); // 1 working day
const easterFive = journey('b', ...referredOn('2024-03-28', 'b'), decision('reasonable_grounds', 'negative', '2024-04-08')); // 5: within target
const easterSix = journey('c', ...referredOn('2024-03-28', 'c'), decision('reasonable_grounds', 'positive', '2024-04-09')); // 6: late
const overturned = journey('d', ...referredOn('2024-01-08', 'd'),
  decision('reasonable_grounds', 'negative', '2024-01-10', 'd-rg1'), reconsideration('d-rg1', '2024-01-20'),
  decision('reasonable_grounds', 'positive', '2024-02-05')); // 20 working days from the referral

describe('decisions: the decision in force at each stage, by decision date or referral cohort', () => {
  it('counts RG working days across a weekend and the Easter bank holidays', () => {
    expect(easterOne.episodes[0].reasonableGrounds?.workingDays).toBe(1);
    expect(byPeriod([easterOne, easterFive, easterSix], 'reasonable_grounds')).toEqual({
      '2024-Q2': { decisions: 3, positive: 2, withinTarget: 2, 'workingDays.1': 1, 'workingDays.5': 1, 'workingDays.6': 1 },
    });
  });

  it('counts an overturned negative as one positive decision on the new date, waited from the referral', () => {
    expect(decisionsCells(overturned)).toEqual([expect.objectContaining({
      date: '2024-02-05', extra: { stage: 'reasonable_grounds', referredOn: '2024-01-08' }, counters: { decisions: 1, positive: 1, 'workingDays.20': 1 },
    })]);
  });

  it('keeps the negative in force while its reconsideration is pending', () => {
    const pending = journey('p', ...referredOn('2024-01-08', 'p'), decision('reasonable_grounds', 'negative', '2024-01-10', 'p-rg1'), reconsideration('p-rg1', '2024-01-20'));
    expect(decisionsCells(pending).map((c) => [c.date, c.counters])).toEqual([['2024-01-10', { decisions: 1, withinTarget: 1, 'workingDays.2': 1 }]]);
  });

  it('moves the figures on an overturn exactly as a replay would: out of the old date, into the new', () => {
    const before = journey('d', ...referredOn('2024-01-08', 'd'), decision('reasonable_grounds', 'negative', '2024-01-10', 'd-rg1'), reconsideration('d-rg1', '2024-01-20'));
    const changes = [...cellChanges(decisionsCells(before), decisionsCells(overturned)).values()];
    expect(changes.map((c) => [c.cell.date, c.inc])).toEqual([
      ['2024-01-10', { decisions: -1, withinTarget: -1, 'workingDays.2': -1 }],
      ['2024-02-05', { decisions: 1, positive: 1, 'workingDays.20': 1 }],
    ]);
  });

  it('puts the same decision in different quarters by decision date and by referral cohort', () => {
    const docs = [easterOne, easterFive, easterSix, overturned];
    const byDecision = byPeriod(docs, 'reasonable_grounds');
    expect(Object.keys(byDecision)).toEqual(['2024-Q1', '2024-Q2']);
    expect(byDecision['2024-Q1']).toMatchObject({ decisions: 1, positive: 1 });
    expect(byDecision['2024-Q2']).toMatchObject({ decisions: 3, positive: 2, withinTarget: 2 });
    const q2 = histogramOf(byDecision['2024-Q2'], 'workingDays');
    expect([median(q2), percentile(q2, 90)]).toEqual([5, 6]);

    const byCohort = byPeriod(docs, 'reasonable_grounds', 'quarter', 'cohort');
    expect(Object.keys(byCohort)).toEqual(['2024-Q1']); // all four referred in Q1
    expect(byCohort['2024-Q1']).toMatchObject({ decisions: 4, positive: 3, withinTarget: 2 });
    const cohort = histogramOf(byCohort['2024-Q1'], 'workingDays');
    expect([median(cohort), percentile(cohort, 90)]).toEqual([5.5, 20]);
  });

  it('counts CG days from the RG in force and from the referral, at the earliest date under both recovery periods', () => {
    // RG before 2023-01-30: 45 days' recovery; from that date: 30.
    expect(recoveryPeriodEnds('2023-01-27')).toBe('2023-03-13');
    expect(recoveryPeriodEnds('2023-01-30')).toBe('2023-03-01');
    const old = journey('e', ...referredOn('2023-01-20', 'e'), decision('reasonable_grounds', 'positive', '2023-01-27'), decision('conclusive_grounds', 'positive', '2023-03-13'));
    const current = journey('f', ...referredOn('2023-01-23', 'f'), decision('reasonable_grounds', 'positive', '2023-01-30'), decision('conclusive_grounds', 'negative', '2023-03-01'));
    const q1 = byPeriod([old, current], 'conclusive_grounds')['2023-Q1'];
    expect(q1).toEqual({ decisions: 2, positive: 1, 'days.45': 1, 'days.30': 1, 'daysFromReferral.52': 1, 'daysFromReferral.37': 1 });
    expect(median(histogramOf(q1, 'days'))).toBe(37.5);
    expect(median(histogramOf(q1, 'daysFromReferral'))).toBe(44.5);
  });

  it('counts each referral of a re-referred person with its own competent authority', () => {
    const doc = journey('h', ...referredOn('2024-01-08', 'h'), decision('reasonable_grounds', 'negative', '2024-01-10'), exited('2024-02-01', 'negative_decision'),
      { type: 'VictimReReferred', data: { occurredAt: '2024-06-03', newReferralId: 'ref-2', previousReferralId: 'ref-1', sameIncident: false, competentAuthority: 'IECA' } },
      decision('reasonable_grounds', 'positive', '2024-06-05', undefined, 'ref-2'));
    expect(decisionsCells(doc).map((c) => [c.date, c.dims.competentAuthority, c.counters.positive ?? 0])).toEqual([
      ['2024-01-10', 'SCA', 0],
      ['2024-06-05', 'IECA', 1],
    ]);
  });
});
