import type { Collection, ReadStore } from '../../../../../libs/read-store/src/read-store.port';
import { journeyProjection } from '../../../../../projections/journeys/journey.projection';
import type { JourneyDocument } from '../../../../../projections/journeys/journey.document';
import { servingCollection } from '../../../../projector/src/projection-catalog';

/** The collection serving the journeys read model now (it changes when a rebuild switches). */
export async function journeysCollection(readStore: ReadStore): Promise<Collection<JourneyDocument>> {
  return readStore.collection<JourneyDocument>(await servingCollection(readStore, journeyProjection.name, journeyProjection.collection));
}
