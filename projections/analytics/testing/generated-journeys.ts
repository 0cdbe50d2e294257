import { journeyStreamId, type JourneyEventType } from '../../../libs/domain/src/events';
import { CURRENT_SCHEMA_VERSION } from '../../../libs/domain/src/upcasting';
import { generateJourneys } from '../../../seeds/journey-generator';
import type { JourneyDocument } from '../../journeys/journey.document';
import { journeyProjection } from '../../journeys/journey.projection';
import type { ProjectedEvent } from '../../projection';

/** Journey documents folded from the seed generator's synthetic journeys: realistic variety for analytics specs. */
export function generatedDocuments(journeys: number, seed: number): JourneyDocument[] {
  return [...generateJourneys({ journeys, seed })].map((journey) =>
    journey.events.reduce<JourneyDocument | null>((doc, e, i) => journeyProjection.evolve(doc, {
      type: e.type, data: e.data, id: e.id, streamId: journeyStreamId(journey.journeyId), revision: BigInt(i), position: BigInt(i),
      metadata: { recordedAt: e.recordedAt, recordedBy: e.recordedBy, commandId: e.commandId, correlationId: 'c', schemaVersion: CURRENT_SCHEMA_VERSION[e.type as JourneyEventType] },
    } as unknown as ProjectedEvent), null)!);
}
