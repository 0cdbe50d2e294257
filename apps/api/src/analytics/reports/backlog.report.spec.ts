import type { Cell, StoredCell } from '../../../../../projections/analytics/cells';
import type { CellDimensions } from '../../../../../projections/analytics/dimensions';
import { buildReport } from '../report';
import { backlogCells, backlogDefinition, bandOf, openWaitsFilter } from './backlog.report';

const dims = (competentAuthority: CellDimensions['competentAuthority'] = 'SCA'): CellDimensions => ({
  nationality: 'AL', ageGroup: 'adult', gender: 'female', exploitationTypes: ['sexual'], exploitationLocation: 'uk',
  firstResponderType: 'police', competentAuthority, policeForceArea: 'E23000001', region: 'London',
});
/** `n` journeys waiting from `start` to `endsOn`, as facts/waiting.ts makes them. */
const wait = (stage: string, start: string, endsOn: string | null, n = 1, reconsideration = false, ca?: CellDimensions['competentAuthority']): Cell =>
  ({ family: 'waiting', date: start, dims: dims(ca), extra: { stage, endsOn, reconsideration }, counters: { waits: n } });
const RG = 'reasonable_grounds';
const CG = 'conclusive_grounds';
const ASOF = '2024-06-30';
const run = (cells: Array<Cell | StoredCell>, threshold = 1, by: Array<'competentAuthority'> = []) =>
  buildReport(backlogCells(cells, ASOF), backlogDefinition, { period: 'quarter', by, threshold, dateOf: () => ASOF });

describe('backlog report', () => {
  it('ages waits in calendar days into bands 0-30, 31-90, 91-180, 181-365, 366-730, over 730', () => {
    expect([0, 30, 31, 90, 91, 180, 181, 365, 366, 730, 731].map(bandOf)).toEqual([
      '0To30', '0To30', '31To90', '31To90', '91To180', '91To180', '181To365', '181To365', '366To730', '366To730', 'Over730',
    ]);
  });

  it('counts the waits open at the end of asOf: started by then, not ended by then', () => {
    const report = run([
      wait(RG, '2024-06-30', null), // referred that day: age 0
      wait(RG, '2024-05-31', '2024-07-01', 2), // decided the day after: still waiting, age 30
      wait(RG, '2024-05-30', '2024-06-30'), // decided that day: not waiting
      wait(RG, '2024-07-01', null), // referred after
      wait(RG, '2024-06-10', null, 1, true), // reconsideration requested 10 June: age 20
      wait(CG, '2022-06-30', null, 3), // positive RG two years before: age 731
      wait(CG, '2023-07-01', null), // age 365
    ]);
    expect(report.periodTotals.map((r) => r.period)).toEqual(['2024-Q2']);
    expect(report.total.values).toEqual({
      awaitingReasonableGrounds: 4, reasonableGroundsReconsiderations: 1,
      reasonableGroundsAged0To30: 4, reasonableGroundsAged31To90: 0, reasonableGroundsAged91To180: 0, reasonableGroundsAged181To365: 0,
      reasonableGroundsAged366To730: 0, reasonableGroundsAgedOver730: 0, reasonableGroundsMedianAgeDays: 25, // ages 0, 20, 30, 30
      awaitingConclusiveGrounds: 4, conclusiveGroundsReconsiderations: 0,
      conclusiveGroundsAged0To30: 0, conclusiveGroundsAged31To90: 0, conclusiveGroundsAged91To180: 0, conclusiveGroundsAged181To365: 1,
      conclusiveGroundsAged366To730: 0, conclusiveGroundsAgedOver730: 3, conclusiveGroundsMedianAgeDays: 731, // 365, 731, 731, 731
    });
  });

  it('reads stored cells (nested counters) the same way', () => {
    const stored: StoredCell = { _id: 'x', kind: 'cell', family: 'waiting', date: '2024-01-01', dims: dims(), extra: { stage: CG, endsOn: null, reconsideration: false }, counters: { waits: 12 } };
    expect(run([stored]).total.values).toMatchObject({ awaitingConclusiveGrounds: 12, conclusiveGroundsAged181To365: 12, conclusiveGroundsMedianAgeDays: 181 });
  });

  it('protects the age bands with their total: a lone withheld band is not left recoverable', () => {
    const report = run([wait(CG, '2024-06-01', null, 20), wait(CG, '2024-03-01', null, 5)], 10);
    expect(report.total.values).toMatchObject({ awaitingConclusiveGrounds: 25, conclusiveGroundsAged0To30: null, conclusiveGroundsAged91To180: null, conclusiveGroundsMedianAgeDays: 29 });
  });

  it('asks the read store only for waits not ended by asOf', () => {
    expect(openWaitsFilter(ASOF)).toEqual({ $or: [{ 'extra.endsOn': null }, { 'extra.endsOn': { $gt: ASOF } }] });
  });
});
