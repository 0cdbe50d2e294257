import type { Cell } from '../../../../../projections/analytics/cells';
import type { CellDimensions } from '../../../../../projections/analytics/dimensions';
import { buildReport } from '../report';
import { reconsiderationsDefinition } from './reconsiderations.report';

const dims: CellDimensions = {
  nationality: 'AL', ageGroup: 'adult', gender: 'female', exploitationTypes: ['sexual'], exploitationLocation: 'uk',
  firstResponderType: 'police', competentAuthority: 'SCA', policeForceArea: 'E23000001', region: 'London',
};
const cell = (date: string, counters: Record<string, number>, stage = 'reasonable_grounds'): Cell => ({ family: 'reconsiderations', date, dims, extra: { stage }, counters });
const negative = (date: string, stage?: string) => cell(date, { negativeDecisions: 1 }, stage);
const request = (date: string, outcome?: 'overturned' | 'upheld', stage?: string) =>
  cell(date, { requests: 1, ...(outcome ? { requestsDecided: 1 } : {}), ...(outcome === 'overturned' ? { overturned: 1 } : {}) }, stage);

describe('reconsiderations report', () => {
  it('gives requests per negative decision and overturns per decided request, period by period', () => {
    // Q1: three negatives, three requests (one overturned, one upheld, one pending). Q2: two negatives, no request.
    const cells = [negative('2024-03-11'), negative('2024-03-11'), negative('2024-03-01', 'conclusive_grounds'),
      request('2024-03-25', 'overturned'), request('2024-03-20', 'upheld'), request('2024-03-15', undefined, 'conclusive_grounds'),
      negative('2024-04-15'), negative('2024-04-02')];
    const report = buildReport(cells, reconsiderationsDefinition, { period: 'quarter', by: [], threshold: 1 });
    expect(report.periodTotals.map((row) => [row.period, row.values])).toEqual([
      ['2024-Q1', { requests: 3, negativeDecisions: 3, requestRate: 1, requestsDecided: 2, overturned: 1, overturnRate: 0.5 }],
      ['2024-Q2', { requests: 0, negativeDecisions: 2, requestRate: 0, requestsDecided: 0, overturned: 0, overturnRate: null }],
    ]);
    expect(report.total.values).toMatchObject({ requests: 3, negativeDecisions: 5, requestRate: 0.6, overturnRate: 0.5 });
  });

  it('withholds an overturn rate whose count is withheld, and rates over fewer than 10 decisions', () => {
    const cells = [...Array.from({ length: 12 }, (_, i) => request('2024-03-01', i < 4 ? 'overturned' : 'upheld')),
      ...Array.from({ length: 8 }, () => negative('2024-03-01'))];
    const { values } = buildReport(cells, reconsiderationsDefinition, { period: 'quarter', by: [], threshold: 10 }).total;
    expect(values).toEqual({ requests: 12, negativeDecisions: null, requestRate: null, requestsDecided: 12, overturned: null, overturnRate: null });
  });
});
