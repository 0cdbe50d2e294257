import type { Cell } from '../../../../../projections/analytics/cells';
import type { CellDimensions } from '../../../../../projections/analytics/dimensions';
import { buildReport } from '../report';
import { decisionCellsQuery, decisionDateOf, decisionTimesDefinition } from './decision-times.report';

const dims = (competentAuthority: CellDimensions['competentAuthority'] = 'SCA'): CellDimensions => ({
  nationality: 'AL', ageGroup: 'adult', gender: 'female', exploitationTypes: ['sexual'], exploitationLocation: 'uk',
  firstResponderType: 'police', competentAuthority, policeForceArea: 'E23000001', region: 'London',
});
/** A decision in force, as facts/decisions.ts makes it. */
const rg = (decidedAt: string, referredOn: string, workingDays: number, outcome: 'positive' | 'negative', ca?: CellDimensions['competentAuthority']): Cell => ({
  family: 'decisions', date: decidedAt, dims: dims(ca), extra: { stage: 'reasonable_grounds', referredOn },
  counters: { decisions: 1, [`workingDays.${workingDays}`]: 1, ...(outcome === 'positive' ? { positive: 1 } : {}), ...(workingDays <= 5 ? { withinTarget: 1 } : {}) },
});
const cg = (decidedAt: string, referredOn: string, days: number, fromReferral: number, outcome: 'positive' | 'negative'): Cell => ({
  family: 'decisions', date: decidedAt, dims: dims(), extra: { stage: 'conclusive_grounds', referredOn },
  counters: { decisions: 1, [`days.${days}`]: 1, [`daysFromReferral.${fromReferral}`]: 1, ...(outcome === 'positive' ? { positive: 1 } : {}) },
});

// Referred Thursday 28 March 2024, before Easter: decided 1, 5 and 6 working days later, in April.
// Referred 8 January 2024: negative overturned, positive on 5 February, 20 working days after the referral.
const easter = [rg('2024-04-02', '2024-03-28', 1, 'positive'), rg('2024-04-08', '2024-03-28', 5, 'negative'), rg('2024-04-09', '2024-03-28', 6, 'positive')];
const overturned = rg('2024-02-05', '2024-01-08', 20, 'positive');
const rgDefinition = decisionTimesDefinition('reasonable_grounds');

describe('decision-times report', () => {
  it('measures RG decisions by decision date: positive rate, median and p90 working days, share within 5', () => {
    const report = buildReport([...easter, overturned], rgDefinition, { period: 'quarter', by: [], threshold: 1 });
    expect(report.periodTotals.map((row) => [row.period, row.values])).toEqual([
      ['2024-Q1', { decisions: 1, positive: 1, positiveRate: 1, medianDays: 20, p90Days: 20, withinTargetRate: 0 }],
      ['2024-Q2', { decisions: 3, positive: 2, positiveRate: 0.6667, medianDays: 5, p90Days: 6, withinTargetRate: 0.6667 }],
    ]);
  });

  it('puts the same decisions in the referral quarter with basis=cohort', () => {
    const report = buildReport([...easter, overturned], rgDefinition, { period: 'quarter', by: [], threshold: 1, dateOf: decisionDateOf('cohort') });
    expect(report.periodTotals.map((row) => [row.period, row.values])).toEqual([
      ['2024-Q1', { decisions: 4, positive: 3, positiveRate: 0.75, medianDays: 5.5, p90Days: 20, withinTargetRate: 0.5 }],
    ]);
  });

  it('measures CG days from the RG and from the referral, without an RG target', () => {
    // RG 27 Jan 2023 (45 days' recovery) and 30 Jan 2023 (30 days'), each CG on its earliest date.
    const report = buildReport([cg('2023-03-13', '2023-01-20', 45, 52, 'positive'), cg('2023-03-01', '2023-01-23', 30, 37, 'negative')],
      decisionTimesDefinition('conclusive_grounds'), { period: 'quarter', by: [], threshold: 1 });
    expect(report.total.values).toEqual({ decisions: 2, positive: 1, positiveRate: 0.5, medianDays: 37.5, p90Days: 45, medianDaysFromReferral: 44.5 });
  });

  it('withholds a positive rate whose count is withheld, and every figure over fewer than 10 decisions', () => {
    const sca = Array.from({ length: 12 }, (_, i) => rg('2024-04-10', '2024-04-03', i < 6 ? 3 : 7, i < 3 ? 'positive' : 'negative'));
    const ieca = Array.from({ length: 4 }, () => rg('2024-04-10', '2024-04-03', 2, 'positive', 'IECA'));
    const report = buildReport([...sca, ...ieca], rgDefinition, { period: 'quarter', by: ['competentAuthority'], threshold: 10 });
    const [ieca1, sca1] = report.rows;
    expect(sca1.dims.competentAuthority).toBe('SCA');
    expect(sca1.values).toMatchObject({ positive: null, positiveRate: null, medianDays: 5, withinTargetRate: 0.5 });
    expect(ieca1.values).toEqual({ decisions: null, positive: null, positiveRate: null, medianDays: null, p90Days: null, withinTargetRate: null });
  });

  it('finds cohort cells by referral date, decision cells by their date', () => {
    expect(decisionCellsQuery('reasonable_grounds', 'decision', { from: '2024-01-01', to: '2024-03-31' })).toEqual({
      range: { from: '2024-01-01', to: '2024-03-31' }, filter: { 'extra.stage': 'reasonable_grounds' },
    });
    expect(decisionCellsQuery('conclusive_grounds', 'cohort', { from: '2024-01-01', to: '2024-03-31' })).toEqual({
      range: { from: '2024-01-01' }, filter: { 'extra.stage': 'conclusive_grounds', 'extra.referredOn': { $gte: '2024-01-01', $lte: '2024-03-31' } },
    });
  });
});
