import type { JourneyEvent } from '../../../../../libs/domain/src/events';
import { consented, exited, identified, referred } from '../../../../../libs/domain/test-support/journey-fixtures';
import type { JourneyDocument } from '../../../../../projections/journeys/journey.document';
import { journeyProjection } from '../../../../../projections/journeys/journey.projection';
import type { ProjectedEvent } from '../../../../../projections/projection';
import { referralsCells } from '../../../../../projections/analytics/facts/referrals';
import type { Report } from '../report';
import { periodStart, referralsReport } from './referrals.report';

function journey(id: string, ...events: JourneyEvent[]): JourneyDocument {
  return events.reduce<JourneyDocument | null>((doc, event, i) => journeyProjection.evolve(doc, {
    ...event, id: `${id}-e${i}`, streamId: `journey-${id}`, revision: BigInt(i), position: BigInt(i),
    metadata: { recordedAt: '2026-01-01T00:00:00Z', recordedBy: { userId: 'u', role: 'support_worker', organisationId: 'o' }, commandId: 'c', correlationId: 'c', schemaVersion: 1 },
  } as ProjectedEvent), null)!;
}
const reReferred = (occurredAt: string, competentAuthority: 'SCA' | 'IECA' = 'SCA'): JourneyEvent =>
  ({ type: 'VictimReReferred', data: { occurredAt, newReferralId: 'ref-2', previousReferralId: 'ref-1', sameIncident: false, competentAuthority } });
const referredOn = (id: string, date: string, ...more: JourneyEvent[]) =>
  journey(id, identified({ journeyId: id, occurredAt: date }), consented(true, date), referred(date), ...more);

// The same four people as facts/referrals.spec.ts: a (31 Mar, re-referred 1 Apr), b (10 Apr and 20 Jun),
// c (Duty to Notify on 31 Dec), d (two exploitation types, 1 Jan 2025).
const a = referredOn('a', '2024-03-31', exited('2024-04-01'), reReferred('2024-04-01', 'IECA'));
const b = referredOn('b', '2024-04-10', exited('2024-05-01'), reReferred('2024-06-20'));
const c = journey('c', identified({ journeyId: 'c', occurredAt: '2024-12-31' }), consented(false, '2024-12-31'),
  { type: 'DutyToNotifySubmitted', data: { occurredAt: '2024-12-31', policeForceArea: 'E23000001', exploitationTypes: ['labour'] } });
const d = journey('d', identified({ journeyId: 'd', occurredAt: '2025-01-01', exploitationTypes: ['sexual', 'labour'] }), consented(true, '2025-01-01'), referred('2025-01-01'));
const cellsOf = (...docs: JourneyDocument[]) => docs.flatMap(referralsCells);
const within = (from?: string, to?: string) => cellsOf(a, b, c, d).filter((cell) => (!from || cell.date >= from) && (!to || cell.date <= to));
const valuesByPeriod = (report: Report) => Object.fromEntries(report.periodTotals.map((row) => [row.period, row.values]));

describe('GET /analytics/referrals figures', () => {
  it('gives referrals, distinct people, Duty to Notify and its share per quarter; the total has no people over several quarters', () => {
    const report = referralsReport(within(), { period: 'quarter', by: [], threshold: 1 });
    expect(valuesByPeriod(report)).toEqual({
      '2024-Q1': { referrals: 1, people: 1, dutyToNotify: 0, dutyToNotifyShare: 0 },
      '2024-Q2': { referrals: 3, people: 2, dutyToNotify: 0, dutyToNotifyShare: 0 },
      '2024-Q4': { referrals: 0, people: 0, dutyToNotify: 1, dutyToNotifyShare: 1 },
      '2025-Q1': { referrals: 1, people: 1, dutyToNotify: 0, dutyToNotifyShare: 0 },
    });
    expect(report.total.values).toEqual({ referrals: 5, people: null, dutyToNotify: 1, dutyToNotifyShare: 0.1667 });
    expect(report.notes).toEqual([expect.stringContaining('people is not given in the total')]);
  });

  it('gives the total people when the range is one period: a person re-referred in it counts once', () => {
    const report = referralsReport(within('2024-01-01', '2024-12-31'), { period: 'year', by: [], threshold: 1, from: '2024-01-01' });
    expect(report.total.values).toMatchObject({ referrals: 4, people: 2, dutyToNotify: 1 });
    expect(report.notes).toEqual([]);
  });

  it('picks the people of the period asked for: by month, b is one person in April and one in June', () => {
    const report = referralsReport(within('2024-01-01', '2024-12-31'), { period: 'month', by: [], threshold: 1, from: '2024-01-01' });
    expect(report.periodTotals.map((row) => [row.period, row.values.referrals, row.values.people])).toEqual([
      ['2024-03', 1, 1], ['2024-04', 2, 2], ['2024-06', 1, 1], ['2024-12', 0, 0],
    ]);
  });

  it('withholds people in a period the range starts inside, where a first referral may lie before it; cutting at the end is exact', () => {
    const cut = referralsReport(within('2024-05-01'), { period: 'quarter', by: [], threshold: 1, from: '2024-05-01' });
    expect(valuesByPeriod(cut)['2024-Q2']).toMatchObject({ referrals: 1, people: null }); // b was in Q2 from 10 April
    expect(valuesByPeriod(cut)['2024-Q4']).toMatchObject({ people: 0 });
    expect(cut.notes).toEqual([expect.stringContaining('2024-Q2'), expect.stringContaining('total')]);
    // From 1 Aug, Q3 is cut but holds nothing in range, and Q4 (c's Duty to Notify) is the only period: exact.
    const empty = referralsReport(within('2024-08-01', '2024-12-31'), { period: 'quarter', by: [], threshold: 1, from: '2024-08-01' });
    expect([empty.total.values.people, empty.notes]).toEqual([0, []]);
    const ended = referralsReport(within(undefined, '2024-04-30'), { period: 'quarter', by: [], threshold: 1 });
    expect(valuesByPeriod(ended)['2024-Q2']).toMatchObject({ referrals: 2, people: 2 });
  });

  it('breaks down by competent authority, Duty to Notify under none, and by each exploitation type', () => {
    const byAuthority = referralsReport(within(), { period: 'year', by: ['competentAuthority'], threshold: 1 });
    expect(byAuthority.rows.map((row) => [row.period, row.dims.competentAuthority, row.values.referrals, row.values.people, row.values.dutyToNotify])).toEqual([
      ['2024', 'IECA', 1, 0, 0], ['2024', 'SCA', 3, 2, 0], ['2024', null, 0, 0, 1], ['2025', 'SCA', 1, 1, 0],
    ]);
    const byType = referralsReport(cellsOf(d), { period: 'year', by: ['exploitationType'], threshold: 1 });
    expect(byType.rows.map((row) => [row.dims.exploitationType, row.values.referrals])).toEqual([['labour', 1], ['sexual', 1]]);
    expect(byType.total.values.referrals).toBe(1);
  });

  it('publishes no count from 1 to 9 at the default threshold', () => {
    const many = Array.from({ length: 12 }, (_, i) => referredOn(`m${i}`, '2024-02-01'));
    const report = referralsReport(cellsOf(a, b, c, ...many), { period: 'quarter', by: ['competentAuthority'], threshold: 10 });
    const published = [...report.rows, ...report.periodTotals, report.total].flatMap((row) =>
      ['referrals', 'people', 'dutyToNotify'].map((name) => row.values[name]).filter((value): value is number => value !== null));
    expect(published.filter((value) => value > 0 && value < 10)).toEqual([]);
    expect(valuesByPeriod(report)['2024-Q2']).toMatchObject({ referrals: null, dutyToNotifyShare: null });
    // Q2's 3 = 16 - 13 otherwise: Q1 goes too, the grand total stays.
    expect(valuesByPeriod(report)['2024-Q1']).toMatchObject({ referrals: null });
    expect(report.total.values.referrals).toBe(16);
  });

  it('knows where periods start', () => {
    expect(['2024-05', '2024-Q2', '2024-Q4', '2024'].map(periodStart)).toEqual(['2024-05-01', '2024-04-01', '2024-10-01', '2024-01-01']);
  });
});
