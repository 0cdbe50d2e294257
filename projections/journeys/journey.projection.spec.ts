import type { JourneyEvent } from '../../libs/domain/src/events';
import { consented, decided, exited, identified, referred } from '../../libs/domain/test-support/journey-fixtures';
import type { ProjectedEvent } from '../projection';
import { journeyProjection } from './journey.projection';
import type { JourneyDocument } from './journey.document';
import { caseloadFilter, statusOf, viewJourney } from './journey.view';

/** Projects events as if stored one after another on one stream. */
function project(...events: JourneyEvent[]): JourneyDocument {
  return events.reduce<JourneyDocument | null>((doc, event, i) => {
    const projected = { ...event, id: `e-${i}`, streamId: 'journey-j-1', revision: BigInt(i), position: BigInt(100 + i), metadata: { recordedAt: `2024-06-0${(i % 9) + 1}T10:00:00Z`, recordedBy: { userId: 'u', role: 'support_worker', organisationId: 'o' }, commandId: 'c', correlationId: 'c', schemaVersion: 1 } } as ProjectedEvent;
    return journeyProjection.evolve(doc, projected);
  }, null)!;
}
const decision = (data: ReturnType<typeof decided>): JourneyEvent => ({ type: 'DecisionMade', data });

describe('journey projection', () => {
  it('follows the person from identification to awaiting RG, with the RG target date', () => {
    const doc = project(identified(), consented(), referred('2024-01-09'));
    expect(doc).toMatchObject({
      _id: 'j-1', stage: 'awaiting_reasonable_grounds', awaiting: 'reasonable_grounds', waitingSince: '2024-01-09',
      reasonableGroundsTargetOn: '2024-01-16', attentionFrom: '2024-01-16', region: 'London', lastPosition: '102'.padStart(40, '0'), lastRevision: 2,
    });
  });

  it('counts the RG wait in working days and the CG wait in calendar days', () => {
    const doc = project(identified(), consented(), referred('2024-01-09'), decision(decided('reasonable_grounds', 'positive', '2024-01-17')), decision(decided('conclusive_grounds', 'negative', '2024-03-01')));
    expect(doc.episodes[0].reasonableGrounds).toEqual({ outcome: 'positive', decidedAt: '2024-01-17', workingDays: 6, withinTarget: false });
    expect(doc.episodes[0].conclusiveGrounds).toEqual({ outcome: 'negative', decidedAt: '2024-03-01', daysFromReasonableGrounds: 44, daysFromReferral: 52 });
    expect(doc.stage).toBe('negative_conclusive_grounds');
  });

  it('shows "in recovery period" until the period ends, then "awaiting conclusive grounds"', () => {
    const doc = project(identified(), consented(), referred('2024-01-09'), decision(decided('reasonable_grounds', 'positive', '2024-01-16')));
    expect(doc.recoveryPeriodEndsOn).toBe('2024-02-15');
    expect(statusOf(doc, '2024-02-14')).toBe('in_recovery_period');
    expect(statusOf(doc, '2024-02-15')).toBe('awaiting_conclusive_grounds');
  });

  it('flags an RG decision past its 5-working-day target, not before', () => {
    const doc = project(identified(), consented(), referred('2024-01-09'));
    expect(viewJourney(doc, '2024-01-16').overdue.reasonableGrounds).toBe(false);
    expect(viewJourney(doc, '2024-01-17').overdue.reasonableGrounds).toBe(true);
    expect(viewJourney(doc, '2024-01-17').waiting).toMatchObject({ for: 'reasonable_grounds', workingDays: 6, days: 8 });
  });

  it('schedules follow-ups at 1, 3, 6, 12 and 24 months after exit and flags those due', () => {
    const doc = project(identified(), consented(), referred('2024-01-09'), exited('2024-01-31'));
    expect(doc.episodes[0].followUpsPending.map((p) => p.dueOn)).toEqual(['2024-02-29', '2024-04-30', '2024-07-31', '2025-01-31', '2026-01-31']);
    expect(doc.nextFollowUpDueOn).toBe('2024-02-29');
    expect(viewJourney(doc, '2024-02-28').overdue.followUp).toBe(false);
    expect(viewJourney(doc, '2024-05-01').followUpsDue.map((d) => d.monthsSinceExit)).toEqual([1, 3]);
  });


  it('turns caseload criteria into a filter for today', () => {
    expect(caseloadFilter({ status: 'in_recovery_period', organisationId: 'o-1' }, '2024-02-01')).toEqual({
      $and: [{ organisationId: 'o-1' }, { stage: 'awaiting_conclusive_grounds', recoveryPeriodEndsOn: { $gt: '2024-02-01' } }],
    });
  });
});
