import type { FollowUpRecorded, JourneyEvent } from '../../../libs/domain/src/events';
import { consented, exited, identified, referred } from '../../../libs/domain/test-support/journey-fixtures';
import { afterExitReport } from '../../../apps/api/src/analytics/reports/after-exit.report';
import type { JourneyDocument } from '../../journeys/journey.document';
import { journeyProjection } from '../../journeys/journey.projection';
import type { ProjectedEvent } from '../../projection';
import { afterExitCells } from './after-exit';

/** A journey document folded from events stored one after another on its stream. */
function journey(id: string, ...events: JourneyEvent[]): JourneyDocument {
  return events.reduce<JourneyDocument | null>((doc, event, i) => journeyProjection.evolve(doc, {
    ...event, id: `${id}-e${i}`, streamId: `journey-${id}`, revision: BigInt(i), position: BigInt(i),
    metadata: { recordedAt: '2026-01-01T00:00:00Z', recordedBy: { userId: 'u', role: 'support_worker', organisationId: 'o' }, commandId: 'c', correlationId: 'c', schemaVersion: 1 },
  } as ProjectedEvent), null)!;
}
/** Identified, consented and referred on `referredOn`, exited on `exitedOn`. */
const out = (id: string, referredOn: string, exitedOn: string) =>
  [identified({ journeyId: id, occurredAt: referredOn }), consented(true, referredOn), referred(referredOn), exited(exitedOn)];
const followUp = (occurredAt: string, monthsSinceExit: number, contactMade: boolean, more: Partial<FollowUpRecorded> = {}): JourneyEvent =>
  ({ type: 'FollowUpRecorded', data: { occurredAt, monthsSinceExit, contactMade, ...more } });
const reReferred = (occurredAt: string): JourneyEvent =>
  ({ type: 'VictimReReferred', data: { occurredAt, newReferralId: 'ref-2', previousReferralId: 'ref-1', sameIncident: false, competentAuthority: 'SCA' } });

// Exits on 31 August 2023: milestones fall due on 30 Sep, 30 Nov, 29 Feb 2024 (clamped), 31 Aug 2024, 31 Aug 2025.
// x: contact at 1 month (destitute), none at 3 months (a fact); re-referred exactly 12 months after exit (within).
const x = journey('x', ...out('x', '2023-06-01', '2023-08-31'), followUp('2023-09-30', 1, true, { destitute: true }), followUp('2023-11-30', 3, false), reReferred('2024-08-31'));
// y: contact at 1 month, re-exploitation reported; re-referred 12 months and one day after exit (not within 12, within 24).
const y = journey('y', ...out('y', '2023-06-01', '2023-08-31'), followUp('2023-10-02', 1, true, { reExploitationReported: true }), reReferred('2024-09-01'));
// Exits on 29 February 2024: 12 months later is 28 February 2025 (clamped).
// z: re-referred on 28 February 2025 (within 12); w: on 1 March 2025 (not within).
const z = journey('z', ...out('z', '2024-01-10', '2024-02-29'), reReferred('2025-02-28'));
const w = journey('w', ...out('w', '2024-01-10', '2024-02-29'), reReferred('2025-03-01'));
// v: exits on 1 June 2024, never re-referred; no contact at 1 month, contact at 6.
const v = journey('v', ...out('v', '2024-02-01', '2024-06-01'), followUp('2024-07-01', 1, false), followUp('2024-12-01', 6, true));
// u: exits on 31 January 2024 (1 month later: 29 February), contact at 1 month, re-referred on 15 April before the 3-month follow-up fell due (30 April).
const u = journey('u', ...out('u', '2023-12-01', '2024-01-31'), followUp('2024-02-29', 1, true), reReferred('2024-04-15'));
const all = [x, y, z, w, v, u];

const report = (asOf: string, options: Partial<Parameters<typeof afterExitReport>[1]> = {}) =>
  afterExitReport(all.flatMap(afterExitCells), { period: 'year', by: [], threshold: 1, asOf, ...options });

describe('after exit: follow-ups and re-referral by exit cohort', () => {
  it('gives one cell per exit, dated on the exit, keyed by the first re-referral after it', () => {
    expect(afterExitCells(x)).toEqual([{
      family: 'afterExit', date: '2023-08-31', dims: expect.objectContaining({ competentAuthority: 'SCA' }), extra: { reReferredOn: '2024-08-31' },
      counters: { exits: 1, 'followUpsRecorded.1': 1, 'contactMade.1': 1, 'followUpsRecorded.3': 1, contactedAfterExit: 1, destituteAtFollowUp: 1 },
    }]);
    expect(afterExitCells(v)[0]).toMatchObject({ extra: { reReferredOn: null }, counters: { exits: 1, 'followUpsRecorded.1': 1, 'followUpsRecorded.6': 1, 'contactMade.6': 1, contactedAfterExit: 1 } });
    expect(afterExitCells(journey('open', identified({ journeyId: 'open' }), consented(), referred()))).toEqual([]);
  });

  it('counts re-referral exactly 12 months after exit as within 12 months, and one day later as not', () => {
    // As at 30 June 2025 every 12-month window has closed: x, y (end 2024-08-31), u (2025-01-31), z, w (2025-02-28, clamped), v (2025-06-01).
    // Within: x (on the last day), z (on the clamped last day), u; not y or w (the day after), nor v.
    expect(report('2025-06-30').total.values).toMatchObject({ exitsObserved12Months: 6, reReferredWithin12Months: 3, reReferralRate12: 0.5 });
  });

  it('leaves exits less than 12 months before asOf out of the 12-month rate', () => {
    // 31 May 2025: v's window (to 1 June 2025) is still open.
    expect(report('2025-05-31').total.values).toMatchObject({ exitsObserved12Months: 5, reReferredWithin12Months: 3, reReferralRate12: 0.6 });
    // 27 February 2025: z's and w's windows end on the 28th (2024-02-29 + 12 months, clamped); only x, y and u count.
    expect(report('2025-02-27').total.values).toMatchObject({ exitsObserved12Months: 3, reReferredWithin12Months: 2, reReferralRate12: 0.6667 });
    expect(report('2025-02-28').total.values).toMatchObject({ exitsObserved12Months: 5, reReferredWithin12Months: 3 });
  });

  it('counts re-referral within 24 months once the 24-month window has closed', () => {
    expect(report('2025-08-30').total.values).toMatchObject({ exitsObserved24Months: 0, reReferredWithin24Months: 0, reReferralRate24: null });
    // 31 August 2025: x's and y's windows have closed; y's re-referral (12 months and a day) is within 24.
    expect(report('2025-08-31').total.values).toMatchObject({ exitsObserved24Months: 2, reReferredWithin24Months: 2, reReferralRate24: 1 });
  });

  it('gives the follow-up response at each milestone over the exits it fell due for (hand-computed)', () => {
    expect(report('2025-06-30').total.values).toEqual({
      exits: 6,
      // 1 month: due for all 6; recorded for x, y, v, u; contact with x, y, u.
      'followUpsDue.1': 6, 'followUpsRecorded.1': 4, 'contactMade.1': 3, 'followUpResponseRate.1': 0.5,
      // 3 months: u was re-referred before it fell due, so 5; x's follow-up made no contact: recorded, in the denominator, not a response.
      'followUpsDue.3': 5, 'followUpsRecorded.3': 1, 'contactMade.3': 0, 'followUpResponseRate.3': 0,
      'followUpsDue.6': 5, 'followUpsRecorded.6': 1, 'contactMade.6': 1, 'followUpResponseRate.6': 0.2,
      // 12 months: x and z were re-referred on the day it fell due, so they stay in.
      'followUpsDue.12': 5, 'followUpsRecorded.12': 0, 'contactMade.12': 0, 'followUpResponseRate.12': 0,
      'followUpsDue.24': 0, 'followUpsRecorded.24': 0, 'contactMade.24': 0, 'followUpResponseRate.24': null,
      exitsObserved12Months: 6, reReferredWithin12Months: 3, reReferralRate12: 0.5,
      exitsObserved24Months: 0, reReferredWithin24Months: 0, reReferralRate24: null,
      contactedAfterExit: 4, reExploitationReported: 1, destituteAtFollowUp: 1,
    });
  });

  it('counts a milestone only once it has fallen due, month ends clamped', () => {
    // u exits 2024-01-31: the 1-month follow-up is due 2024-02-29, the 3-month one 2024-04-30.
    const asAt = (asOf: string) => afterExitReport(afterExitCells(u), { period: 'year', by: [], threshold: 1, asOf }).total.values;
    expect(asAt('2024-02-28')).toMatchObject({ 'followUpsDue.1': 0, 'contactMade.1': 0, 'followUpResponseRate.1': null });
    expect(asAt('2024-02-29')).toMatchObject({ 'followUpsDue.1': 1, 'contactMade.1': 1, 'followUpResponseRate.1': 1, 'followUpsDue.3': 0 });
  });

  it('groups by exit cohort', () => {
    expect(report('2025-06-30').rows.map((row) => [row.period, row.values.exits, row.values.reReferredWithin12Months])).toEqual([['2023', 2, 1], ['2024', 4, 2]]);
  });

  it('adds a Kaplan-Meier curve of days from exit to re-referral, censored at asOf', () => {
    // Days to re-referral: u 75, z 365, x 366 (2024 is a leap year), w 366, y 367; v censored at 394 days.
    // S(75) = 5/6, S(365) = 4/6, S(366) = 4/6 * 2/4 = 2/6, S(367) = 1/6.
    const { survival, asOf } = report('2025-06-30', { survival: true });
    expect(asOf).toBe('2025-06-30');
    const at = (days: number) => (survival as Array<{ days: number }>).find((p) => p.days === days);
    expect(at(60)).toEqual({ days: 60, atRisk: 6, reReferred: 0, censored: 0, survival: 1, suppressed: [] });
    expect(at(90)).toEqual({ days: 90, atRisk: 5, reReferred: 1, censored: 0, survival: 0.8333, suppressed: [] });
    expect(at(390)).toEqual({ days: 390, atRisk: 1, reReferred: 5, censored: 0, survival: 0.1667, suppressed: [] });
    expect(at(420)).toEqual({ days: 420, atRisk: null, reReferred: null, censored: null, survival: null, suppressed: ['atRisk', 'censored', 'reReferred', 'survival'] });
    expect(report('2025-06-30').survival).toBeUndefined();
  });

  it('withholds the curve where fewer than the threshold are at risk', () => {
    const { survival, notes } = report('2025-06-30', { survival: true, threshold: 10 });
    expect((survival as Array<{ survival: number | null }>).every((p) => p.survival === null)).toBe(true);
    expect(notes).toEqual([expect.stringContaining('withheld')]);
  });
});
