import { ukDateOf } from '../../../../../libs/domain/src/calendar/calendar-date';
import { journeyStreamId } from '../../../../../libs/domain/src/events';
import { foldJourney } from '../../../../../libs/domain/src/journey/decider';
import type { EventStore } from '../../../../../libs/event-store/src/event-store.port';
import { AsAt, CorrectionNotice, journeyAsAt } from '../../../../../projections/journeys/journey.as-at';
import { JourneyView, viewJourney } from '../../../../../projections/journeys/journey.view';
import type { ProjectedEvent } from '../../../../../projections/projection';
import { toProjectedEvent } from '../../../../projector/src/projected-events';
import { JourneyNotFound, ValidationFailed } from '../../errors';
import { assertOnCaseload } from '../caseload';
import { toRecordedJourneyEvents } from '../recording/journey-stream';
import type { Actor } from '../recording/record-journey-step.command';
import type { JourneyStateQueryDto } from './journey-state-query.dto';

/** The journey as it stood: the read model's view at that date, how it was worked out, and the corrections that bear on it. */
export type JourneyStateAsAt = JourneyView & {
  basis: AsAt['basis'];
  atPosition: string | null;
  corrections: CorrectionNotice[];
};

/** Nothing of the journey counts at the moment asked about. */
export class JourneyNotYetRecorded extends JourneyNotFound {
  constructor(journeyId: string, when: string) {
    super(journeyId);
    this.message = `Journey ${journeyId} has no events that count ${when}.`;
  }
}

/**
 * The journey as at a date or position, folded from its own stream (the record, not a read
 * model) with the journey read model's evolve (projections/journeys/journey.as-at.ts). A
 * support worker reads only their caseload's journeys, as the journey is on it now.
 */
export async function readJourneyState(events: EventStore, journeyId: string, actor: Actor, query: JourneyStateQueryDto): Promise<JourneyStateAsAt> {
  const at = asAtOf(query);
  const stored = await events.readStream(journeyStreamId(journeyId));
  const now = foldJourney(toRecordedJourneyEvents(stored));
  if (!now.identified) throw new JourneyNotFound(journeyId);
  assertOnCaseload(actor, now.caseloadOrganisationId, journeyId);
  const projected = stored.map(toProjectedEvent).filter((e): e is ProjectedEvent => e !== undefined);
  const then = journeyAsAt(projected, at);
  if (!then) throw new JourneyNotYetRecorded(journeyId, 'asOf' in at ? `on ${at.basis} basis by ${at.asOf}` : `at position ${at.atPosition}`);
  return {
    ...viewJourney(then.document, then.date),
    basis: at.basis,
    atPosition: 'atPosition' in at ? at.atPosition.toString() : null,
    corrections: then.corrections,
  };
}

function asAtOf(query: JourneyStateQueryDto): AsAt {
  const basis = query.basis ?? 'recorded';
  if (query.atPosition !== undefined) {
    if (query.asOf !== undefined) throw invalid('atPosition', 'Give asOf or atPosition, not both');
    if (basis === 'occurred') throw invalid('basis', 'basis=occurred is about a date: give asOf, not atPosition');
    return { basis, atPosition: BigInt(query.atPosition) };
  }
  return { basis, asOf: query.asOf ?? ukDateOf(new Date().toISOString()) };
}

const invalid = (field: string, message: string) => new ValidationFailed([{ field, rule: 'conflict', message }]);
