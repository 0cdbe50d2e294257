import type { DocumentProjection } from '../projection';
import type { JourneyDocument } from '../journeys/journey.document';
import { journeyProjection } from '../journeys/journey.projection';
import { CELL_FAMILIES } from './families';
import { rollupsOf } from './rollups';

/**
 * The analytics read model (`analytics`): in one collection, each journey's document (the
 * journey read model's own evolve, kept here so that a rebuild of either stands alone) and
 * the cube of cells every analyst figure is read from. A journey's cells are a pure function
 * of its document, and the projector adds their change per batch.
 */
export const analyticsProjection: DocumentProjection<JourneyDocument> = {
  name: 'analytics',
  version: 6,
  collection: 'analytics',
  indexes: [
    { key: { kind: 1, family: 1, date: 1 }, name: 'cells_by_family_date' },
    // The backlog asks for the waits still open at a date: those ending after it (or not yet).
    { key: { kind: 1, family: 1, 'extra.endsOn': 1 }, name: 'cells_by_family_end' },
  ],
  // 2: roll-ups by month and one dimension.
  // 3: corrections (the journey document's version 4).
  // 4: journey documents without their folded events (version 5).
  // 5: after-exit roll-ups by day.
  // 6: journey flow cells (the dashboard's Sankey).
  documentId: (event) => journeyProjection.documentId(event),
  needsHistory: (event) => journeyProjection.needsHistory!(event),
  evolve: (document, event, history) => journeyProjection.evolve(document, event, history),
  cellsOf: (document) => {
    const cells = CELL_FAMILIES.flatMap((family) => family(document));
    return [...cells, ...cells.flatMap(rollupsOf)];
  },
};
