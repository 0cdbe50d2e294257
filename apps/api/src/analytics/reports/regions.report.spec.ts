import type { JourneyEvent, VictimIdentified } from '../../../../../libs/domain/src/events';
import { consented, decided, exited, identified, referred } from '../../../../../libs/domain/test-support/journey-fixtures';
import type { JourneyDocument } from '../../../../../projections/journeys/journey.document';
import { journeyProjection } from '../../../../../projections/journeys/journey.projection';
import type { ProjectedEvent } from '../../../../../projections/projection';
import { decisionsCells } from '../../../../../projections/analytics/facts/decisions';
import { exitsCells } from '../../../../../projections/analytics/facts/exits';
import { referralsCells } from '../../../../../projections/analytics/facts/referrals';
import { regionCells, regionsReport } from './regions.report';

function journey(id: string, ...events: JourneyEvent[]): JourneyDocument {
  return events.reduce<JourneyDocument | null>((doc, event, i) => journeyProjection.evolve(doc, {
    ...event, id: `${id}-e${i}`, streamId: `journey-${id}`, revision: BigInt(i), position: BigInt(i),
    metadata: { recordedAt: '2026-01-01T00:00:00Z', recordedBy: { userId: 'u', role: 'support_worker', organisationId: 'o' }, commandId: 'c', correlationId: 'c', schemaVersion: 1 },
  } as ProjectedEvent), null)!;
}
const referredIn = (id: string, policeForceArea: string, date: string, ...more: JourneyEvent[]) =>
  journey(id, identified({ journeyId: id, occurredAt: date, policeForceArea } as Partial<VictimIdentified>), consented(true, date), referred(date), ...more);
const rg = (outcome: 'positive' | 'negative', on: string): JourneyEvent => ({ type: 'DecisionMade', data: decided('reasonable_grounds', outcome, on) });
const cg = (outcome: 'positive' | 'negative', on: string): JourneyEvent => ({ type: 'DecisionMade', data: decided('conclusive_grounds', outcome, on) });

const MET = 'E23000001'; // London
const CITY = 'E23000034'; // London
const MANCHESTER = 'E23000005'; // North West
const docs = [
  referredIn('l1', MET, '2024-01-08', rg('positive', '2024-01-10'), cg('positive', '2024-03-01')),
  referredIn('l2', CITY, '2024-01-09', rg('negative', '2024-01-12'), exited('2024-01-26', 'negative_decision')),
  referredIn('n1', MANCHESTER, '2024-03-29', rg('positive', '2024-04-02')), // referred in Q1, decided in Q2
  journey('n2', identified({ journeyId: 'n2', occurredAt: '2024-02-01', policeForceArea: MANCHESTER }), consented(false, '2024-02-01'),
    { type: 'DutyToNotifySubmitted', data: { occurredAt: '2024-02-01', policeForceArea: MANCHESTER, exploitationTypes: ['labour'] } }),
];
const report = (by: Array<'region' | 'policeForceArea'>, threshold = 1, journeys = docs) =>
  regionsReport({ referrals: journeys.flatMap(referralsCells), decisions: journeys.flatMap(decisionsCells), exits: journeys.flatMap(exitsCells) }, { period: 'quarter', by, threshold });

describe('GET /analytics/regions figures', () => {
  it('puts volume by referral date and decisions by decision date side by side, per region', () => {
    expect(report(['region']).rows.map((row) => [row.period, row.dims.region, row.values])).toEqual([
      ['2024-Q1', 'London', {
        referrals: 2, people: 2, dutyToNotify: 0, dutyToNotifyShare: 0,
        rgDecisions: 2, rgPositive: 1, rgNegative: 1, rgPositiveRate: 0.5, cgDecisions: 1, cgPositive: 1, cgNegative: 0, cgPositiveRate: 1, exits: 1,
      }],
      ['2024-Q1', 'North West', expect.objectContaining({ referrals: 1, people: 1, dutyToNotify: 1, dutyToNotifyShare: 0.5, rgDecisions: 0, rgPositiveRate: null })],
      ['2024-Q2', 'North West', expect.objectContaining({ referrals: 0, people: 0, rgDecisions: 1, rgPositive: 1, rgPositiveRate: 1 })],
    ]);
  });

  it('splits regions into police force areas', () => {
    expect(report(['region', 'policeForceArea']).rows.filter((row) => row.period === '2024-Q1').map((row) => [row.dims.region, row.dims.policeForceArea, row.values.referrals, row.values.rgDecisions])).toEqual([
      ['London', MET, 1, 1], ['London', CITY, 1, 1], ['North West', MANCHESTER, 1, 0],
    ]);
  });

  it('renames decision counters by stage, keeps only exits of exit cells, and leaves the cells given unchanged', () => {
    const decisions = docs.flatMap(decisionsCells);
    const renamed = regionCells({ referrals: [], decisions, exits: docs.flatMap(exitsCells) });
    expect(renamed.map((cell) => cell.counters)).toEqual([
      { rgDecisions: 1, rgPositive: 1 }, { cgDecisions: 1, cgPositive: 1 }, { rgDecisions: 1, rgPositive: 0 }, { rgDecisions: 1, rgPositive: 1 }, { exits: 1 },
    ]);
    expect(decisions[0].counters.decisions).toBe(1);
  });

  it('withholds the positive count and rate when the negatives are few, since they add up to the decisions', () => {
    const many = Array.from({ length: 20 }, (_, i) => referredIn(`m${i}`, MET, '2024-01-08', rg(i < 3 ? 'negative' : 'positive', '2024-01-10')));
    const total = report(['region'], 10, many).total.values;
    expect(total).toMatchObject({ rgDecisions: 20, rgNegative: null, rgPositive: null, rgPositiveRate: null, referrals: 20 });
  });
});
