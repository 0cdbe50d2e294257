import type { Report, ReportRow } from '../report';
import { careDefinition, withExactCostPerPerson } from './care.report';

describe('care report', () => {
  const counters = {
    referrals: 20, needsAssessedWithin10Days: 15, withCare: 16, outreachOnly: 4, 'services.outreach': 10, 'services.accommodation': 12,
    'daysToFirstCare.0': 5, 'daysToFirstCare.3': 6, 'daysToFirstCare.9': 5, costPence: 1_000_001, costedPeopleMonth: 14, costedPeopleQuarter: 12, costedPeopleYear: 11,
  };

  it('measures rates, the median and cost per person from the counters (hand-computed)', () => {
    const values = Object.fromEntries(Object.entries(careDefinition('quarter').measures(counters)).map(([name, m]) => [name, m.value]));
    expect(values).toMatchObject({
      referrals: 20, needsAssessedWithin10Days: 15, needsAssessedWithin10DaysRate: 0.75, episodesWithCare: 16,
      // 16 first-care waits: the 8th and 9th are both 3 days.
      medianDaysToFirstCare: 3, outreachOnly: 4, outreachOnlyRate: 0.25,
      'services.outreach': 10, 'services.accommodation': 12, 'services.legal': 0,
      // £10,000.01 over 12 people in the quarter: £833.33.
      peopleWithCostedCare: 12, costPerPerson: 833.33,
    });
  });

  it('counts people with costed care with the counter of the period grouping', () => {
    expect(careDefinition('month').measures(counters).peopleWithCostedCare.value).toBe(14);
    expect(careDefinition('year').measures(counters).costPerPerson).toEqual({ kind: 'statistic', value: 909.09, base: 11 });
  });

  it('makes each rate depend on both its counts, so a withheld count cannot be recovered from it', () => {
    const measures = careDefinition('quarter').measures(counters);
    expect(measures.needsAssessedWithin10DaysRate).toMatchObject({ base: 20, dependsOn: ['needsAssessedWithin10Days', 'referrals'] });
    expect(measures.outreachOnlyRate).toMatchObject({ base: 16, dependsOn: ['outreachOnly', 'episodesWithCare'] });
    expect(measures.medianDaysToFirstCare).toMatchObject({ base: 16 });
  });

  it('withdraws people with costed care where they would not be exact, and says so', () => {
    const row = (period?: string): ReportRow => ({ ...(period ? { period } : {}), dims: {}, values: { referrals: 20, peopleWithCostedCare: 12, costPerPerson: 800 }, suppressed: [] });
    const report: Report = { threshold: 10, period: 'quarter', by: [], rows: [row('2024-Q1')], periodTotals: [row('2024-Q1')], total: row() };
    expect(withExactCostPerPerson(report, '2024-01-01')).toMatchObject({ total: { values: { peopleWithCostedCare: 12 } }, notes: [] });
    const cut = withExactCostPerPerson(report, '2024-02-01');
    expect(cut.periodTotals[0].values).toEqual({ referrals: 20, peopleWithCostedCare: null, costPerPerson: null });
    expect(cut.total.values.costPerPerson).toBeNull();
    expect(cut.notes).toEqual([expect.stringContaining('2024-Q1'), expect.stringContaining('total')]);
  });
});
