import type { JourneyEvent, RecordedJourneyEvent } from '../../../libs/domain/src/events';
import { EVENT_RECORDED_BY, type JourneyCommand } from '../../../libs/domain/src/journey/commands';
import { journeyDecider } from '../../../libs/domain/src/journey/decider';
import { consented, decided, identified, referred, NOW } from '../../../libs/domain/test-support/journey-fixtures';
import type { JourneyDocument } from '../../journeys/journey.document';
import { journeyProjection } from '../../journeys/journey.projection';
import type { ProjectedEvent } from '../../projection';
import { groupCells } from '../aggregate';
import { cellChanges } from '../cells';
import { reconsiderationsCells } from './reconsiderations';

type Step = JourneyEvent & { id?: string };

/** A journey document folded from events stored one after another on its stream. */
function journey(id: string, ...events: Step[]): JourneyDocument {
  legal(events.map((event, i) => ({ ...event, id: event.id ?? `${id}-e${i}` })));
  return events.reduce<JourneyDocument | null>((doc, event, i) => journeyProjection.evolve(doc, {
    ...event, id: event.id ?? `${id}-e${i}`, streamId: `journey-${id}`, revision: BigInt(i), position: BigInt(i),
    metadata: { recordedAt: '2026-01-01T00:00:00Z', recordedBy: { userId: 'u', role: 'support_worker', organisationId: 'o' }, commandId: 'c', correlationId: 'c', schemaVersion: 1 },
  } as ProjectedEvent), null)!;
}
/** Fails unless the decider would have recorded each event: fixture histories stay legal. */
function legal(events: RecordedJourneyEvent[]): void {
  const command = Object.fromEntries(Object.entries(EVENT_RECORDED_BY).map(([c, e]) => [e, c]));
  events.reduce((state, event) => {
    journeyDecider.decide({ type: command[event.type], data: event.data, now: NOW } as JourneyCommand, state);
    return journeyDecider.evolve(state, event);
  }, journeyDecider.initialState());
}
const referredOn = (date: string, id: string) => [identified({ journeyId: id, occurredAt: date }), consented(true, date), referred(date)];
const decision = (stage: 'reasonable_grounds' | 'conclusive_grounds', outcome: 'positive' | 'negative', on: string, id?: string): Step =>
  ({ id, type: 'DecisionMade', data: decided(stage, outcome, on) });
const reconsideration = (decisionEventId: string, requestedOn: string): Step =>
  ({ type: 'ReconsiderationRequested', data: { occurredAt: requestedOn, referralId: 'ref-1', decisionEventId, requestedOn } });

const byQuarter = (docs: JourneyDocument[]) =>
  Object.fromEntries(groupCells(docs.flatMap(reconsiderationsCells), { period: 'quarter', by: [] }).map((row) => [row.period, row.counters]));

// RG negative in March, reconsideration asked in March, overturned in April.
const overturned = journey('r1', ...referredOn('2024-03-04', 'r1'),
  decision('reasonable_grounds', 'negative', '2024-03-11', 'r1-rg1'), reconsideration('r1-rg1', '2024-03-25'), decision('reasonable_grounds', 'positive', '2024-04-08'));
// RG negative, reconsidered and upheld (a second negative), not asked again.
const upheld = journey('r2', ...referredOn('2024-03-04', 'r2'),
  decision('reasonable_grounds', 'negative', '2024-03-11', 'r2-rg1'), reconsideration('r2-rg1', '2024-03-20'), decision('reasonable_grounds', 'negative', '2024-04-15'));
// CG negative, reconsideration pending.
const pending = journey('r3', ...referredOn('2024-01-08', 'r3'), decision('reasonable_grounds', 'positive', '2024-01-10'),
  decision('conclusive_grounds', 'negative', '2024-03-01', 'r3-cg1'), reconsideration('r3-cg1', '2024-03-15'));
// RG negative, never reconsidered.
const accepted = journey('r4', ...referredOn('2024-03-04', 'r4'), decision('reasonable_grounds', 'negative', '2024-04-02'));

describe('reconsiderations: requests by request date, negative decisions by decision date, outcomes with the request', () => {
  it('counts every negative decision made, including the overturned one and the one made on reconsideration', () => {
    expect(byQuarter([overturned, upheld, pending, accepted])).toEqual({
      // negatives: r1 11 Mar, r2 11 Mar, r3 1 Mar; requests: r1, r2, r3 (25, 20, 15 Mar); r1 and r2 decided, r1 overturned.
      '2024-Q1': { negativeDecisions: 3, requests: 3, requestsDecided: 2, overturned: 1 },
      // negatives: r2's upheld decision 15 Apr, r4 2 Apr.
      '2024-Q2': { negativeDecisions: 2 },
    });
  });

  it('splits by stage', () => {
    const cg = [overturned, upheld, pending, accepted].flatMap(reconsiderationsCells).filter((c) => c.extra?.stage === 'conclusive_grounds');
    expect(cg.map((c) => [c.date, c.counters])).toEqual([['2024-03-01', { negativeDecisions: 1 }], ['2024-03-15', { requests: 1 }]]);
  });

  it('marks a request decided and overturned when its new decision arrives, on the request date', () => {
    const before = journey('r1', ...referredOn('2024-03-04', 'r1'), decision('reasonable_grounds', 'negative', '2024-03-11', 'r1-rg1'), reconsideration('r1-rg1', '2024-03-25'));
    const changes = [...cellChanges(reconsiderationsCells(before), reconsiderationsCells(overturned)).values()];
    expect(changes.map((c) => [c.cell.date, c.inc])).toEqual([['2024-03-25', { requestsDecided: 1, overturned: 1 }]]);
  });
});
