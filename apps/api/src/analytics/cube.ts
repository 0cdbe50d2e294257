import type { CalendarDate } from '../../../../libs/domain/src/calendar/calendar-date';
import type { Filter, ReadStore } from '../../../../libs/read-store/src/read-store.port';
import { analyticsProjection } from '../../../../projections/analytics/analytics.projection';
import type { StoredCell } from '../../../../projections/analytics/cells';
import { servingCollection } from '../../../projector/src/projection-catalog';

/**
 * The cells of one metric family dated in `range` (inclusive), from the collection serving
 * the analytics read model: pre-aggregated cells, never journeys.
 */
export async function loadCells(readStore: ReadStore, family: string, range: { from?: CalendarDate; to?: CalendarDate } = {}, filter: Filter = {}): Promise<StoredCell[]> {
  const collection = await servingCollection(readStore, analyticsProjection.name, analyticsProjection.collection);
  const date = { ...(range.from ? { $gte: range.from } : {}), ...(range.to ? { $lte: range.to } : {}) };
  const query: Filter = { kind: 'cell', family, ...(Object.keys(date).length ? { date } : {}), ...filter };
  return readStore.collection<StoredCell>(collection).find(query);
}
