import type { JourneyEvent, RecordedJourneyEvent } from '../../libs/domain/src/events';
import { consented, decided, identified, referred } from '../../libs/domain/test-support/journey-fixtures';
import { analyticsProjection } from '../analytics/analytics.projection';
import { foldDocument, type ProjectedEvent } from '../projection';
import type { JourneyDocument } from './journey.document';
import { journeyProjection } from './journey.projection';

/** Projects recorded events as stored one after another on one stream. */
function project(events: RecordedJourneyEvent[]): JourneyDocument {
  return foldDocument(journeyProjection, stored(events)).at(-1)!;
}

function stored(events: RecordedJourneyEvent[]): ProjectedEvent[] {
  return events.map((event, i) => ({
    ...event, streamId: 'journey-j-1', revision: BigInt(i), position: BigInt(100 + i),
    metadata: { recordedAt: '2024-06-01T10:00:00Z', recordedBy: { userId: 'u', role: 'auditor', organisationId: 'o' }, commandId: 'c', correlationId: 'c', schemaVersion: 1 },
  }) as ProjectedEvent);
}
const withId = (id: string, event: JourneyEvent) => ({ ...event, id }) as RecordedJourneyEvent;
/** The document without what only says where the last event sat. */
const facts = ({ lastPosition: _p, lastRevision: _r, lastRecordedAt: _t, ...doc }: JourneyDocument) => doc;

const history = [
  withId('identified', identified({ personalDetails: { name: 'pd1:sealed-name' } })),
  withId('consent', consented()),
  withId('referral', referred('2024-01-09')),
  withId('rg', { type: 'DecisionMade', data: decided('reasonable_grounds', 'positive', '2024-01-17') }),
  withId('cg', { type: 'DecisionMade', data: decided('conclusive_grounds', 'positive', '2024-03-01') }),
];
const correction = (correctedEventId: string, changes: Array<{ field: string; value: unknown }>) =>
  withId(`fix-${correctedEventId}`, { type: 'RecordCorrected', data: { occurredAt: '2024-06-01', correctedEventId, changes, reason: 'letter' } });
const replaced = (id: string, data: object) => history.map((e) => (e.id === id ? { ...e, data: { ...e.data, ...data } } : e)) as RecordedJourneyEvent[];

describe('journey projection: a correction changes the document exactly as a replay of the corrected history would', () => {
  it('a corrected RG decision date moves the wait, the target, the recovery period and the CG wait', () => {
    const before = project(history);
    const after = project([...history, correction('rg', [{ field: 'decidedAt', value: '2024-01-12' }, { field: 'occurredAt', value: '2024-01-12' }])]);
    const replay = project(replaced('rg', { decidedAt: '2024-01-12', occurredAt: '2024-01-12' }));
    expect(facts(after)).toEqual(facts(replay));
    expect(before.episodes[0].reasonableGrounds).toEqual({ outcome: 'positive', decidedAt: '2024-01-17', workingDays: 6, withinTarget: false });
    expect(after.episodes[0].reasonableGrounds).toEqual({ outcome: 'positive', decidedAt: '2024-01-12', workingDays: 3, withinTarget: true });
    expect(after.episodes[0].recoveryPeriodEndsOn).toBe('2024-02-11');
    expect(after.episodes[0].conclusiveGrounds?.daysFromReasonableGrounds).toBe(49);
    expect(after.lastRevision).toBe(5);
  });

  it('applies corrections on corrections, in order, and a removal', () => {
    const after = project([
      ...history,
      correction('rg', [{ field: 'reasonCode', value: 'clear_indicators' }]),
      { ...correction('identified', [{ field: 'nationality', value: 'VN' }, { field: 'policeForceArea', value: 'E23000013' }]), id: 'fix-2' },
      { ...correction('rg', [{ field: 'reasonCode', value: null }]), id: 'fix-3' },
    ]);
    const replay = project(replaced('identified', { nationality: 'VN', policeForceArea: 'E23000013' }));
    expect(facts(after)).toEqual(facts(replay));
    expect(after.episodes[0].decisions[0].reasonCode).toBeUndefined();
  });

  it('never copies personal details, sealed or corrected, into the document', () => {
    const after = project([...history, correction('identified', [{ field: 'personalDetails.name', value: 'pd1:corrected-name' }])]);
    expect(JSON.stringify(after)).not.toContain('pd1:');
    expect(after.personalData).toBe('held');
    expect(project([...history, correction('identified', [{ field: 'personalDetails', value: null }])]).personalData).toBe('none');
  });

  it('moves the analytics cells as a replay would', () => {
    const after = project([...history, correction('cg', [{ field: 'outcome', value: 'negative' }])]);
    const replay = project(replaced('cg', { outcome: 'negative' }));
    expect(analyticsProjection.cellsOf!(after)).toEqual(analyticsProjection.cellsOf!(replay));
    expect(after.stage).toBe('negative_conclusive_grounds');
  });
});

describe('journey projection: a correction is folded from the stream, not from the document', () => {
  it('needs the earlier events, and refuses a correction without them rather than guess', () => {
    const events = stored([...history, correction('rg', [{ field: 'decidedAt', value: '2024-01-12' }])]);
    const last = events[events.length - 1];
    expect(journeyProjection.needsHistory!(last)).toBe(true);
    expect(events.slice(0, -1).some((e) => journeyProjection.needsHistory!(e))).toBe(false);
    const before = foldDocument(journeyProjection, events.slice(0, -1)).at(-1)!;
    expect(() => journeyProjection.evolve(before, last)).toThrow(/earlier events/);
    expect(journeyProjection.evolve(before, last, events.slice(0, -1))).toEqual(project([...history, correction('rg', [{ field: 'decidedAt', value: '2024-01-12' }])]));
    // The document carries no copy of the history.
    expect(JSON.stringify(before)).not.toContain('sealed-name');
    expect(Object.keys(before)).not.toContain('foldedEvents');
  });
});

