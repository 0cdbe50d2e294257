import type { JourneyEvent } from '../../../libs/domain/src/events';
import { consented, exited, identified, referred } from '../../../libs/domain/test-support/journey-fixtures';
import type { JourneyDocument } from '../../journeys/journey.document';
import { journeyProjection } from '../../journeys/journey.projection';
import type { ProjectedEvent } from '../../projection';
import { groupCells, type Period } from '../aggregate';
import { cellChanges } from '../cells';
import type { Dimension } from '../dimensions';
import { referralsCells } from './referrals';

/** A journey document folded from events stored one after another on its stream. */
function journey(id: string, ...events: JourneyEvent[]): JourneyDocument {
  return events.reduce<JourneyDocument | null>((doc, event, i) => journeyProjection.evolve(doc, {
    ...event, id: `${id}-e${i}`, streamId: `journey-${id}`, revision: BigInt(i), position: BigInt(i),
    metadata: { recordedAt: '2026-01-01T00:00:00Z', recordedBy: { userId: 'u', role: 'support_worker', organisationId: 'o' }, commandId: 'c', correlationId: 'c', schemaVersion: 1 },
  } as ProjectedEvent), null)!;
}
const reReferred = (occurredAt: string, newReferralId: string, previousReferralId: string, competentAuthority: 'SCA' | 'IECA' = 'SCA'): JourneyEvent =>
  ({ type: 'VictimReReferred', data: { occurredAt, newReferralId, previousReferralId, sameIncident: false, competentAuthority } });
const dutyToNotify = (occurredAt: string): JourneyEvent => ({ type: 'DutyToNotifySubmitted', data: { occurredAt, policeForceArea: 'E23000001', exploitationTypes: ['labour'] } });

// a: referred on the last day of Q1, re-referred on the first day of Q2 to the IECA.
const a = journey('a', identified({ journeyId: 'a', occurredAt: '2024-03-25' }), consented(true, '2024-03-25'), referred('2024-03-31'),
  exited('2024-04-01'), reReferred('2024-04-01', 'ref-2', 'ref-1', 'IECA'));
// b: a child (no consent needed), referred and re-referred within Q2, the second time to the IECA.
const b = journey('b', identified({ journeyId: 'b', occurredAt: '2024-04-10', ageGroup: 'child' }), referred('2024-04-10'),
  exited('2024-05-01'), reReferred('2024-06-20', 'ref-2', 'ref-1', 'IECA'));
// c: an adult who refuses consent; a Duty to Notify on the last day of 2024.
const c = journey('c', identified({ journeyId: 'c', occurredAt: '2024-12-31' }), consented(false, '2024-12-31'), dutyToNotify('2024-12-31'));
// d: two exploitation types, referred on the first day of 2025.
const d = journey('d', identified({ journeyId: 'd', occurredAt: '2025-01-01', exploitationTypes: ['sexual', 'labour'] }), consented(true, '2025-01-01'), referred('2025-01-01'));

/** Counters per period (and dimension values), from the cells of the journeys. */
function counted(docs: JourneyDocument[], period: Period, by: Dimension[] = []) {
  return groupCells(docs.flatMap(referralsCells), { period, by }).map((row) => [row.period, row.dims, row.counters] as const);
}

describe('referrals: referrals, distinct people and Duty to Notify, by date', () => {
  it('counts a referral on 31 March in Q1 and a re-referral on 1 April in Q2, the person once in each', () => {
    expect(counted([a], 'quarter')).toEqual([
      ['2024-Q1', {}, { referrals: 1, peopleMonth: 1, peopleQuarter: 1, peopleYear: 1 }],
      ['2024-Q2', {}, { referrals: 1, peopleMonth: 1, peopleQuarter: 1 }],
    ]);
  });

  it('counts two referrals of one person in a quarter as two referrals and one person', () => {
    expect(counted([a, b], 'quarter').find(([period]) => period === '2024-Q2')).toEqual(
      ['2024-Q2', {}, { referrals: 3, peopleMonth: 3, peopleQuarter: 2, peopleYear: 1 }],
    );
    // By month: b is one person in April and one in June; by year, a and b are two people in 2024.
    expect(counted([a, b], 'month').map(([p, , c]) => [p, c.referrals, c.peopleMonth])).toEqual([
      ['2024-03', 1, 1], ['2024-04', 2, 2], ['2024-06', 1, 1],
    ]);
    expect(counted([a, b], 'year').map(([p, , c]) => [p, c.referrals, c.peopleYear])).toEqual([['2024', 4, 2]]);
  });

  it('counts a Duty to Notify on its date with no referral and no competent authority; 31 Dec and 1 Jan in different years', () => {
    expect(referralsCells(c)).toEqual([expect.objectContaining({ date: '2024-12-31', counters: { dutyToNotify: 1 }, dims: expect.objectContaining({ competentAuthority: null }) })]);
    expect(counted([c, d], 'year')).toEqual([
      ['2024', {}, { dutyToNotify: 1 }],
      ['2025', {}, { referrals: 1, peopleMonth: 1, peopleQuarter: 1, peopleYear: 1 }],
    ]);
  });

  it('gives each referral the competent authority of its episode, and the person to the authority of their first referral in the period', () => {
    expect(counted([a, b, c], 'quarter', ['competentAuthority']).map(([p, dims, counters]) => [p, dims.competentAuthority, counters.referrals ?? 0, counters.peopleQuarter ?? 0, counters.dutyToNotify ?? 0])).toEqual([
      ['2024-Q1', 'SCA', 1, 1, 0],
      ['2024-Q2', 'IECA', 2, 1, 0], // a's re-referral (a's first in Q2) and b's
      ['2024-Q2', 'SCA', 1, 1, 0], // b's first referral
      ['2024-Q4', null, 0, 0, 1],
    ]);
  });

  it('counts a journey with two exploitation types once under each type', () => {
    expect(counted([d], 'year', ['exploitationType']).map(([, dims, counters]) => [dims.exploitationType, counters.referrals, counters.peopleYear])).toEqual([
      ['labour', 1, 1], ['sexual', 1, 1],
    ]);
  });

  it('moves people to the re-referral when it becomes the first referral of a period, exactly as a replay', () => {
    const before = journey('e', identified({ journeyId: 'e', occurredAt: '2024-01-08' }), consented(), referred('2024-01-08'), exited('2024-02-01'));
    const after = journey('e', identified({ journeyId: 'e', occurredAt: '2024-01-08' }), consented(), referred('2024-01-08'), exited('2024-02-01'), reReferred('2024-04-02', 'ref-2', 'ref-1'));
    const changes = [...cellChanges(referralsCells(before), referralsCells(after)).values()];
    expect(changes.map((change) => [change.cell.date, change.inc])).toEqual([['2024-04-02', { referrals: 1, peopleMonth: 1, peopleQuarter: 1 }]]);
  });
});
