import type { JourneyEvent, VictimExited } from '../../../libs/domain/src/events';
import { consented, decided, identified, referred } from '../../../libs/domain/test-support/journey-fixtures';
import { exitsReport } from '../../../apps/api/src/analytics/reports/exits.report';
import type { JourneyDocument } from '../../journeys/journey.document';
import { journeyProjection } from '../../journeys/journey.projection';
import type { ProjectedEvent } from '../../projection';
import { exitsCells } from './exits';

/** A journey document folded from events stored one after another on its stream. */
function journey(id: string, ...events: JourneyEvent[]): JourneyDocument {
  return events.reduce<JourneyDocument | null>((doc, event, i) => journeyProjection.evolve(doc, {
    ...event, id: `${id}-e${i}`, streamId: `journey-${id}`, revision: BigInt(i), position: BigInt(i),
    metadata: { recordedAt: '2026-01-01T00:00:00Z', recordedBy: { userId: 'u', role: 'support_worker', organisationId: 'o' }, commandId: 'c', correlationId: 'c', schemaVersion: 1 },
  } as ProjectedEvent), null)!;
}
const start = (id: string, on: string) => [identified({ journeyId: id, occurredAt: on }), consented(true, on), referred(on)];
const decision = (...args: Parameters<typeof decided>): JourneyEvent => ({ type: 'DecisionMade', data: decided(...args) });
const exit = (occurredAt: string, reason: VictimExited['reason'], housing: VictimExited['housing'] = 'temporary', immigrationStatus: VictimExited['immigrationStatus'] = 'pending'): JourneyEvent =>
  ({ type: 'VictimExited', data: { occurredAt, reason, housing, immigrationStatus } });
const reReferred = (occurredAt: string): JourneyEvent =>
  ({ type: 'VictimReReferred', data: { occurredAt, newReferralId: 'ref-2', previousReferralId: 'ref-1', sameIncident: false, competentAuthority: 'IECA' } });

// a: positive RG and CG (after the 30-day recovery period), moves on to stable housing with leave to remain after 98 days.
const a = journey('a', ...start('a', '2024-01-08'), decision('reasonable_grounds', 'positive', '2024-01-12'), decision('conclusive_grounds', 'positive', '2024-03-01'),
  exit('2024-04-15', 'move_on_complete', 'stable', 'leave_to_remain'));
// b: contact lost after 60 days (February 2024 has 29).
const b = journey('b', ...start('b', '2024-02-01'), exit('2024-04-01', 'lost_contact', 'unknown', 'unknown'));
// c: withdraws after 80 days, settled status (not leave to remain).
const c = journey('c', ...start('c', '2024-03-01'), exit('2024-05-20', 'withdrew', 'temporary', 'british_or_settled'));
// d: negative RG, exits after 180 days.
const d = journey('d', ...start('d', '2024-01-02'), decision('reasonable_grounds', 'negative', '2024-01-05'), exit('2024-06-30', 'negative_decision', 'temporary', 'refused'));
// e: still in support.
const e = journey('e', ...start('e', '2024-02-02'));
// f: returns home after 31 days (Q1), is re-referred to the IECA and loses contact 31 days later (Q2).
const f = journey('f', ...start('f', '2024-01-10'), exit('2024-02-10', 'returned_home', 'unknown', 'returned'), reReferred('2024-05-01'), exit('2024-06-01', 'lost_contact', 'homeless', 'unknown'));
const all = [a, b, c, d, e, f];

const report = (docs: JourneyDocument[], options: Partial<Parameters<typeof exitsReport>[1]> = {}) =>
  exitsReport(docs.flatMap(exitsCells), { period: 'quarter', by: [], threshold: 1, ...options });

describe('exits: exits from support by exit date', () => {
  it('gives one cell per exited episode, dated on the exit, under the episode\'s competent authority', () => {
    expect(exitsCells(e)).toEqual([]);
    expect(exitsCells(a)).toEqual([{
      family: 'exits', date: '2024-04-15', dims: expect.objectContaining({ competentAuthority: 'SCA' }),
      counters: { exits: 1, 'reason.move_on_complete': 1, 'daysInSupport.98': 1, stableHousing: 1, leaveToRemain: 1 },
    }]);
    expect(exitsCells(f).map((cell) => [cell.date, cell.dims.competentAuthority, cell.counters])).toEqual([
      ['2024-02-10', 'SCA', { exits: 1, 'reason.returned_home': 1, 'daysInSupport.31': 1 }],
      ['2024-06-01', 'IECA', { exits: 1, 'reason.lost_contact': 1, 'daysInSupport.31': 1 }],
    ]);
  });

  it('answers the exit questions per quarter (hand-computed)', () => {
    // Q2 2024: a (98 days), b (60), c (80), d (180), f's second exit (31): median 80.
    // Stable housing: a = 1 of 5; leave to remain: a = 1 of 5 (c is settled, not counted); lost contact: b, f = 2 of 5.
    expect(report(all).periodTotals.map((row) => [row.period, row.values])).toEqual([
      ['2024-Q1', expect.objectContaining({ exits: 1, 'reason.returned_home': 1, medianDaysInSupport: 31, stableHousingRate: 0, lostContactRate: 0 })],
      ['2024-Q2', {
        exits: 5, 'reason.move_on_complete': 1, 'reason.negative_decision': 1, 'reason.withdrew': 1, 'reason.lost_contact': 2, 'reason.returned_home': 0,
        'reason.detained': 0, 'reason.deceased': 0, 'reason.other': 0,
        medianDaysInSupport: 80, stableHousing: 1, stableHousingRate: 0.2, leaveToRemain: 1, leaveToRemainRate: 0.2, lostContactRate: 0.4,
      }],
    ]);
    expect(report(all).total.values).toMatchObject({ exits: 6, medianDaysInSupport: 70, lostContactRate: 0.3333 });
  });

  it('breaks down by competent authority', () => {
    expect(report(all, { period: 'year', by: ['competentAuthority'] }).rows.map((row) => [row.dims.competentAuthority, row.values.exits, row.values['reason.lost_contact']]))
      .toEqual([['IECA', 1, 1], ['SCA', 5, 1]]);
  });

  it('protects exit reasons together: a lone small reason takes the next smallest with it', () => {
    const many = Array.from({ length: 12 }, (_, i) => journey(`m${i}`, ...start(`m${i}`, '2024-01-08'), exit('2024-03-01', i < 2 ? 'lost_contact' : 'withdrew')));
    const total = report(many, { threshold: 10 }).total;
    expect(total.values).toMatchObject({ exits: 12, 'reason.lost_contact': null, 'reason.withdrew': null, 'reason.other': 0, lostContactRate: null, medianDaysInSupport: 53 });
    expect(total.suppressed).toEqual(expect.arrayContaining(['reason.lost_contact', 'reason.withdrew', 'lostContactRate']));
  });
});
