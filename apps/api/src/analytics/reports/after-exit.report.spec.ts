import { PERIODS } from '../../../../../projections/analytics/aggregate';
import { cellId, type Cell, type StoredCell } from '../../../../../projections/analytics/cells';
import type { CellDimensions } from '../../../../../projections/analytics/dimensions';
import { afterExitCells } from '../../../../../projections/analytics/facts/after-exit';
import { rollupsOf } from '../../../../../projections/analytics/rollups';
import { generatedDocuments } from '../../../../../projections/analytics/testing/generated-journeys';
import { afterExitAsOf, afterExitDefinition, afterExitReport, reReferralObservations } from './after-exit.report';

const dims: CellDimensions = {
  nationality: 'AL', ageGroup: 'adult', gender: 'female', exploitationTypes: ['sexual'], exploitationLocation: 'uk',
  firstResponderType: 'police', competentAuthority: 'SCA', policeForceArea: 'E23000001', region: 'London',
};
/** A stored cell as the read store gives it back: histogram-style counters nested. */
const stored = (date: string, reReferredOn: string | null, counters: Record<string, unknown>): StoredCell =>
  ({ _id: `cell-${date}-${reReferredOn}`, kind: 'cell', family: 'afterExit', date, dims, extra: { reReferredOn }, counters });

describe('after-exit report: the cells as at a date', () => {
  // Three people exited on 2023-08-31 and were not re-referred; two contacted at 1 month, one followed up (no contact) at 3.
  const notReReferred = stored('2023-08-31', null, { exits: 3, followUpsRecorded: { 1: 2, 3: 1 }, contactMade: { 1: 2 }, contactedAfterExit: 2 });
  // Two exited the same day and were re-referred on 2024-01-15: before the 6-month follow-up fell due (2024-02-29).
  const reReferred = stored('2023-08-31', '2024-01-15', { exits: 2, followUpsRecorded: { 1: 1 }, contactMade: { 1: 1 }, contactedAfterExit: 1 });

  it('counts a milestone due once exit + m months (clamped) is on or before asOf, keeping what was recorded for it', () => {
    expect(afterExitAsOf([notReReferred], '2023-11-29')[0].counters).toEqual({
      exits: 3, contactedAfterExit: 2, reExploitationReported: 0, destituteAtFollowUp: 0,
      'followUpsDue.1': 3, 'followUpsRecorded.1': 2, 'contactMade.1': 2,
    });
    expect(afterExitAsOf([notReReferred], '2023-11-30')[0].counters).toMatchObject({ 'followUpsDue.3': 3, 'followUpsRecorded.3': 1, 'contactMade.3': 0 });
  });

  it('takes exits re-referred before a milestone fell due out of its denominator', () => {
    const counters = afterExitAsOf([reReferred], '2024-09-30')[0].counters;
    expect(counters).toMatchObject({ 'followUpsDue.1': 2, 'followUpsDue.3': 2, 'contactMade.1': 1, exitsObserved12Months: 2, reReferredWithin12Months: 2 });
    expect(counters['followUpsDue.6']).toBeUndefined();
    expect(counters['followUpsDue.12']).toBeUndefined();
  });

  it('counts the 12- and 24-month windows only once closed', () => {
    expect(afterExitAsOf([reReferred], '2024-08-30')[0].counters.exitsObserved12Months).toBeUndefined();
    expect(afterExitAsOf([reReferred], '2024-08-31')[0].counters).toMatchObject({ exitsObserved12Months: 2, reReferredWithin12Months: 2 });
    expect(afterExitAsOf([notReReferred, reReferred], '2025-08-31').map((c) => [c.counters.exitsObserved24Months, c.counters.reReferredWithin24Months])).toEqual([[3, 0], [2, 2]]);
  });

  it('measures rates over the due and the observed, each depending on both its counts', () => {
    const measures = afterExitDefinition.measures({ exits: 5, 'followUpsDue.1': 5, 'contactMade.1': 3, exitsObserved12Months: 5, reReferredWithin12Months: 2 });
    expect(measures['followUpResponseRate.1']).toEqual({ kind: 'statistic', value: 0.6, base: 5, dependsOn: ['contactMade.1', 'followUpsDue.1'] });
    expect(measures.reReferralRate12).toEqual({ kind: 'statistic', value: 0.4, base: 5, dependsOn: ['reReferredWithin12Months', 'exitsObserved12Months'] });
    expect(measures['followUpResponseRate.24']).toEqual({ kind: 'statistic', value: null, base: 0, dependsOn: ['contactMade.24', 'followUpsDue.24'] });
  });

  it('turns cells into days to re-referral, censored at asOf, leaving out exits after asOf', () => {
    const later = stored('2024-03-01', null, { exits: 4 });
    expect(reReferralObservations([notReReferred, reReferred, later], '2024-01-14')).toEqual([
      { days: 136, event: false, count: 3 },
      // Re-referred after asOf: censored at asOf like the others.
      { days: 136, event: false, count: 2 },
    ]);
    expect(reReferralObservations([reReferred], '2024-01-15')).toEqual([{ days: 137, event: true, count: 2 }]);
  });
});

describe('after-exit report from day roll-ups', () => {
  it('is the report the fine cells give, for every period, as at any day, survival and suppression included', () => {
    const fine = generatedDocuments(1_500, 7).flatMap(afterExitCells);
    const days = new Map<string, Cell>();
    for (const rollup of fine.flatMap(rollupsOf)) {
      const sum = days.get(cellId(rollup)) ?? { ...rollup, counters: {} };
      for (const [name, n] of Object.entries(rollup.counters)) sum.counters[name] = (sum.counters[name] ?? 0) + n;
      days.set(cellId(rollup), sum);
    }
    expect(days.size).toBeLessThan(fine.length);
    for (const asOf of ['2019-06-30', '2024-02-29', '2026-11-28']) {
      for (const period of PERIODS) {
        const options = { period, by: [], threshold: 5, asOf, survival: true };
        const report = afterExitReport(fine, options);
        expect(report.total.values.exits).toBeGreaterThan(0);
        expect(afterExitReport(days.values(), options)).toEqual(report);
      }
    }
  });
});
