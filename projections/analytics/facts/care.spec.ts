import type { CareService } from '../../../libs/domain/src/codes';
import type { JourneyEvent } from '../../../libs/domain/src/events';
import { consented, exited, identified, referred } from '../../../libs/domain/test-support/journey-fixtures';
import { careReport } from '../../../apps/api/src/analytics/reports/care.report';
import type { JourneyDocument } from '../../journeys/journey.document';
import { journeyProjection } from '../../journeys/journey.projection';
import type { ProjectedEvent } from '../../projection';
import { groupCells } from '../aggregate';
import { careCells } from './care';

/** A journey document folded from events stored one after another on its stream. */
function journey(id: string, ...events: JourneyEvent[]): JourneyDocument {
  return events.reduce<JourneyDocument | null>((doc, event, i) => journeyProjection.evolve(doc, {
    ...event, id: `${id}-e${i}`, streamId: `journey-${id}`, revision: BigInt(i), position: BigInt(i),
    metadata: { recordedAt: '2026-01-01T00:00:00Z', recordedBy: { userId: 'u', role: 'support_worker', organisationId: 'o' }, commandId: 'c', correlationId: 'c', schemaVersion: 1 },
  } as ProjectedEvent), null)!;
}
const start = (id: string, on: string, ref = 'ref-1') => [identified({ journeyId: id, occurredAt: on }), consented(true, on), referred(on, ref)];
const assessed = (occurredAt: string): JourneyEvent => ({ type: 'NeedsAssessed', data: { occurredAt, domains: ['health'], riskLevel: 'medium', dependants: 0 } });
const care = (service: CareService, startedOn: string, costPence?: number, occurredAt = startedOn): JourneyEvent =>
  ({ type: 'CareProvided', data: { occurredAt, service, providerId: 'provider-1', startedOn, ...(costPence === undefined ? {} : { costPence }) } });
const reReferred = (occurredAt: string, competentAuthority: 'SCA' | 'IECA'): JourneyEvent =>
  ({ type: 'VictimReReferred', data: { occurredAt, newReferralId: 'ref-2', previousReferralId: 'ref-1', sameIncident: false, competentAuthority } });

// a: assessed on day 10 (on time); outreach from day 2 and financial support (costed): outreach only.
const a = journey('a', ...start('a', '2024-01-08'), assessed('2024-01-18'), care('outreach', '2024-01-10'), care('financial', '2024-01-12', 5_000));
// b: assessed on day 11 (late); outreach recorded first but accommodation started earlier, on day 2: not outreach only.
const b = journey('b', ...start('b', '2024-02-01'), assessed('2024-02-12'), care('outreach', '2024-02-05', 20_000), care('accommodation', '2024-02-03', 100_000, '2024-02-06'));
// c: referred, nothing else yet.
const c = journey('c', ...start('c', '2024-03-15'));
// d: accommodation only from day 7, not costed.
const d = journey('d', ...start('d', '2024-02-20'), care('accommodation', '2024-02-27'));
// e: assessed on the referral day; costed outreach; exits and is re-referred (to the IECA) in the same quarter, costed outreach again.
const e = journey('e', ...start('e', '2024-01-05'), assessed('2024-01-05'), care('outreach', '2024-01-06', 3_000), exited('2024-02-01'),
  reReferred('2024-03-01', 'IECA'), care('outreach', '2024-03-04', 7_000));
const all = [a, b, c, d, e];

const report = (docs: JourneyDocument[], options: Partial<Parameters<typeof careReport>[1]> = {}) =>
  careReport(docs.flatMap(careCells), { period: 'quarter', by: [], threshold: 1, ...options });

describe('care: care standards by referral cohort', () => {
  it('gives one cell per episode, dated on its referral, under the episode\'s competent authority', () => {
    expect(careCells(a)).toEqual([{
      family: 'care', date: '2024-01-08', dims: expect.objectContaining({ competentAuthority: 'SCA', nationality: 'AL' }),
      counters: {
        referrals: 1, needsAssessedWithin10Days: 1, withCare: 1, 'daysToFirstCare.2': 1, outreachOnly: 1, 'services.outreach': 1, 'services.financial': 1,
        costPence: 5_000, costedPeopleMonth: 1, costedPeopleQuarter: 1, costedPeopleYear: 1,
      },
    }]);
    expect(careCells(e).map((cell) => [cell.date, cell.dims.competentAuthority])).toEqual([['2024-01-05', 'SCA'], ['2024-03-01', 'IECA']]);
  });

  it('counts a needs assessment 10 days after referral as within 10 days, and one 11 days after as not', () => {
    expect(careCells(a)[0].counters.needsAssessedWithin10Days).toBe(1);
    expect(careCells(b)[0].counters.needsAssessedWithin10Days).toBeUndefined();
  });

  it('counts outreach alone (or with financial support) as outreach only, and outreach with accommodation as not', () => {
    expect(careCells(a)[0].counters.outreachOnly).toBe(1);
    expect(careCells(b)[0].counters.outreachOnly).toBeUndefined();
    expect(careCells(d)[0].counters.outreachOnly).toBeUndefined();
  });

  it('measures days to first care from the earliest start, not the first record', () => {
    expect(careCells(b)[0].counters).toMatchObject({ 'daysToFirstCare.2': 1 });
    expect(careCells(c)[0].counters).toEqual({ referrals: 1 });
  });

  it('answers the care questions for a referral cohort (hand-computed)', () => {
    // Q1 2024: 6 episodes (a, b, c, d, e twice). Needs assessed within 10 days: a (day 10), e1 (day 0) = 2 of 6.
    // With care: a, b, d, e1, e2 = 5; days to first care 2, 2, 7, 1, 3 -> median 2.
    // Outreach only: a, e1, e2 = 3 of 5. Costs: 5,000 + 120,000 + 3,000 + 7,000 = 135,000p over 3 people (a, b, e) = £450.
    expect(report(all).periodTotals).toEqual([{
      period: '2024-Q1', dims: {}, suppressed: [],
      values: {
        referrals: 6, needsAssessedWithin10Days: 2, needsAssessedWithin10DaysRate: 0.3333, episodesWithCare: 5, medianDaysToFirstCare: 2,
        outreachOnly: 3, outreachOnlyRate: 0.6,
        'services.accommodation': 2, 'services.outreach': 4, 'services.financial': 1, 'services.medical': 0, 'services.counselling': 0,
        'services.legal': 0, 'services.interpreting': 0, 'services.transport': 0, 'services.education': 0,
        peopleWithCostedCare: 3, costPerPerson: 450,
      },
    }]);
  });

  it('counts a person with costed care once per period, however many episodes', () => {
    const byMonth = groupCells(all.flatMap(careCells), { period: 'month', by: [] }).map((row) => [row.period, row.counters.costedPeopleMonth ?? 0, row.counters.costPence ?? 0]);
    // January: a and e; February: b; March: e again (its first costed episode of March).
    expect(byMonth).toEqual([['2024-01', 2, 8_000], ['2024-02', 1, 120_000], ['2024-03', 1, 7_000]]);
    expect(report(all, { period: 'month' }).periodTotals.map((row) => row.values.costPerPerson)).toEqual([40, 1_200, 70]);
  });

  it('breaks down by the episode\'s competent authority; a person counts under the authority of their first costed episode', () => {
    const rows = report(all, { by: ['competentAuthority'] }).rows.map((row) => [row.dims.competentAuthority, row.values.referrals, row.values.peopleWithCostedCare, row.values.costPerPerson]);
    expect(rows).toEqual([['IECA', 1, 0, null], ['SCA', 5, 3, 426.67]]);
  });

  it('withdraws people with costed care and cost per person where they would not be exact', () => {
    const twoQuarters = report([...all, journey('f', ...start('f', '2024-04-02'), care('outreach', '2024-04-02', 1_000))]);
    expect(twoQuarters.periodTotals.map((row) => row.values.costPerPerson)).toEqual([450, 10]);
    expect(twoQuarters.total.values).toMatchObject({ referrals: 7, peopleWithCostedCare: null, costPerPerson: null });
    const cut = report(all, { from: '2024-02-01' });
    expect(cut.periodTotals[0].values).toMatchObject({ peopleWithCostedCare: null, costPerPerson: null });
    expect(cut.notes).toHaveLength(2);
  });

  it('withholds small counts and statistics over fewer people than the threshold', () => {
    const published = report(all, { threshold: 10 }).total;
    expect(published.values.referrals).toBeNull();
    expect(published.values['services.medical']).toBe(0);
    expect(published.suppressed).toEqual(expect.arrayContaining(['referrals', 'needsAssessedWithin10DaysRate', 'medianDaysToFirstCare', 'costPerPerson']));
  });
});
