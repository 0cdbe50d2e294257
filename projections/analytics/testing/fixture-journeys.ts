import type { JourneyEvent, RecordedJourneyEvent } from '../../../libs/domain/src/events';
import { EVENT_RECORDED_BY, type JourneyCommand } from '../../../libs/domain/src/journey/commands';
import { journeyDecider } from '../../../libs/domain/src/journey/decider';
import { consented, decided, identified, NOW, referred } from '../../../libs/domain/test-support/journey-fixtures';
import type { JourneyDocument } from '../../journeys/journey.document';
import { journeyProjection } from '../../journeys/journey.projection';
import type { ProjectedEvent } from '../../projection';

/** Journey documents for analytics specs, folded from small legal histories. */
export type Step = JourneyEvent & { id?: string };

/** A journey document folded from events stored one after another on its stream. */
export function journey(id: string, ...events: Step[]): JourneyDocument {
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

export const referredOn = (date: string, id: string) => [identified({ journeyId: id, occurredAt: date }), consented(true, date), referred(date)];
export const decision = (stage: 'reasonable_grounds' | 'conclusive_grounds', outcome: 'positive' | 'negative', on: string, id?: string, referralId = 'ref-1'): Step =>
  ({ id, type: 'DecisionMade', data: decided(stage, outcome, on, referralId) });
export const reconsideration = (decisionEventId: string, requestedOn: string, referralId = 'ref-1'): Step =>
  ({ type: 'ReconsiderationRequested', data: { occurredAt: requestedOn, referralId, decisionEventId, requestedOn } });
