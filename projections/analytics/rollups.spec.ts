import { journeyStreamId } from '../../libs/domain/src/events';
import { CURRENT_SCHEMA_VERSION } from '../../libs/domain/src/upcasting';
import type { JourneyEventType } from '../../libs/domain/src/events';
import { generateJourneys } from '../../seeds/journey-generator';
import type { JourneyDocument } from '../journeys/journey.document';
import { journeyProjection } from '../journeys/journey.projection';
import type { ProjectedEvent } from '../projection';
import { addCounters, groupCells, PERIODS } from './aggregate';
import { cellId, type Cell } from './cells';
import { DIMENSIONS } from './dimensions';
import { CELL_FAMILIES } from './families';
import { ROLLUP_FAMILIES, rollupIds, rollupsOf } from './rollups';

/** Roll-ups answer exactly what the fine cells answer, for every family, dimension and period. */
describe('roll-ups', () => {
  const documents = [...generateJourneys({ journeys: 400, seed: 31 })].map((journey) =>
    journey.events.reduce<JourneyDocument | null>((doc, e, i) => journeyProjection.evolve(doc, {
      type: e.type, data: e.data, id: e.id, streamId: journeyStreamId(journey.journeyId), revision: BigInt(i), position: BigInt(i),
      metadata: { recordedAt: e.recordedAt, recordedBy: e.recordedBy, commandId: e.commandId, correlationId: 'c', schemaVersion: CURRENT_SCHEMA_VERSION[e.type as JourneyEventType] },
    } as unknown as ProjectedEvent), null)!);
  const fine = documents.flatMap((doc) => CELL_FAMILIES.flatMap((family) => family(doc)));
  const rollups = new Map<string, Cell>();
  for (const cell of fine.flatMap(rollupsOf)) {
    const id = cellId(cell);
    const sum = rollups.get(id) ?? { ...cell, counters: {} };
    addCounters(sum.counters, cell.counters);
    rollups.set(id, sum);
  }

  it.each(Object.keys(ROLLUP_FAMILIES))('%s: every dimension and period gives the same figures from roll-ups as from fine cells', (family) => {
    const familyFine = fine.filter((c) => c.family === family);
    expect(familyFine.length).toBeGreaterThan(50);
    for (const period of PERIODS) {
      for (const dimension of ['all' as const, ...DIMENSIONS]) {
        const by = dimension === 'all' ? [] : [dimension];
        const months = [...new Set(familyFine.map((c) => c.date.slice(0, 7)))];
        const stages = ROLLUP_FAMILIES[family].includes('stage') ? [{ stage: 'reasonable_grounds' }, { stage: 'conclusive_grounds' }] : [{}];
        const listed = rollupIds(family, months, dimension, stages).flatMap((id) => rollups.get(id) ?? []);
        expect([family, period, dimension, groupCells(listed, { period, by })]).toEqual([family, period, dimension, groupCells(familyFine, { period, by })]);
      }
    }
  });
});
