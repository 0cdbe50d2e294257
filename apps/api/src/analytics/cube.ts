import { addDays, addMonths, type CalendarDate } from '../../../../libs/domain/src/calendar/calendar-date';
import { DECISION_STAGES } from '../../../../libs/domain/src/codes';
import type { Filter, ReadStore } from '../../../../libs/read-store/src/read-store.port';
import { analyticsProjection } from '../../../../projections/analytics/analytics.projection';
import type { StoredCell } from '../../../../projections/analytics/cells';
import type { Dimension } from '../../../../projections/analytics/dimensions';
import { DAY_ROLLUP_FAMILIES, ROLLUP, ROLLUP_FAMILIES, rollupIds } from '../../../../projections/analytics/rollups';
import { NRM_START } from '../../../../libs/domain/src/policy';
import { servingCollection } from '../../../projector/src/projection-catalog';

/** The values each kept `extra` key of a roll-up can take, to list roll-up ids. */
const EXTRA_DOMAINS: Readonly<Record<string, readonly string[]>> = { stage: DECISION_STAGES };
/** Ids per `$in` query: a year of one dimension's roll-ups is a few thousand. */
const IDS_PER_QUERY = 20_000;

/**
 * The cells of one metric family dated in `range` (inclusive), from the collection serving
 * the analytics read model. When the query allows (a family with roll-ups, `by` of at most
 * one dimension, whole months, filters only on kept keys), the month roll-ups are read by
 * their ids instead: a few documents per month, whatever the number of journeys. A family
 * rolled up by day, asked with no breakdown and no filter, is read from its day roll-ups.
 */
export async function loadCells(
  readStore: ReadStore, family: string, range: { from?: CalendarDate; to?: CalendarDate; by?: readonly Dimension[] } = {}, filter: Filter = {},
): Promise<StoredCell[]> {
  const collection = readStore.collection<StoredCell>(await servingCollection(readStore, analyticsProjection.name, analyticsProjection.collection));
  const date = { ...(range.from ? { $gte: range.from } : {}), ...(range.to ? { $lte: range.to } : {}) };
  const dated = Object.keys(date).length ? { date } : {};
  // No breakdown and no other filter: a family rolled up by day is read from its day totals.
  if (DAY_ROLLUP_FAMILIES[family] && range.by?.length === 0 && Object.keys(filter).length === 0) {
    return collection.find({ kind: ROLLUP, family, ...dated });
  }
  const ids = rollupIdsFor(family, range, filter);
  if (ids) {
    const found: StoredCell[] = [];
    for (let i = 0; i < ids.length; i += IDS_PER_QUERY) found.push(...(await collection.find({ _id: { $in: ids.slice(i, i + IDS_PER_QUERY) } })));
    return found;
  }
  return collection.find({ kind: 'cell', family, ...dated, ...filter });
}

/** The roll-up ids that answer the query exactly, or undefined when only fine cells can. */
function rollupIdsFor(family: string, range: { from?: CalendarDate; to?: CalendarDate; by?: readonly Dimension[] }, filter: Filter): string[] | undefined {
  const kept = ROLLUP_FAMILIES[family];
  if (!kept || !range.by || range.by.length > 1) return undefined;
  if (range.from && !range.from.endsWith('-01')) return undefined;
  if (range.to && addMonths(`${range.to.slice(0, 7)}-01`, 1) !== addDays(range.to, 1)) return undefined;
  const pinned: Record<string, string> = {};
  for (const [key, value] of Object.entries(filter)) {
    const name = key.startsWith('extra.') ? key.slice('extra.'.length) : undefined;
    if (!name || !kept.includes(name) || typeof value !== 'string') return undefined;
    pinned[name] = value;
  }
  const extras = kept.reduce<Array<Record<string, string>>>(
    (partial, name) => partial.flatMap((e) => (pinned[name] ? [pinned[name]] : EXTRA_DOMAINS[name] ?? []).map((v) => ({ ...e, [name]: v }))),
    [{}],
  );
  return rollupIds(family, months(range.from ?? NRM_START, range.to ?? new Date().toISOString().slice(0, 10)), range.by[0] ?? 'all', extras);
}

function months(from: CalendarDate, to: CalendarDate): string[] {
  const all: string[] = [];
  for (let month = `${from.slice(0, 7)}-01`; month <= to; month = addMonths(month, 1)) all.push(month.slice(0, 7));
  return all;
}

