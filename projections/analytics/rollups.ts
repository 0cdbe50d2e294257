import * as C from '../../libs/domain/src/codes';
import type { CalendarDate } from '../../libs/domain/src/calendar/calendar-date';
import { NATIONALITIES } from '../../libs/domain/src/nationalities';
import { POLICE_FORCE_AREA_CODES, POLICE_FORCE_AREAS } from '../../libs/domain/src/police-force-areas';
import type { Cell } from './cells';
import { CellDimensions, Dimension, DIMENSIONS, dimensionValues } from './dimensions';

/**
 * Roll-ups: the cube summed to one month and at most one dimension, for the queries analysts
 * ask most (a period series, broken down by one dimension, over whole months). A journey's
 * fine cells are nearly one per fact (its dimensions together are nearly unique), so such a
 * query would otherwise read a cell per fact; a roll-up cell holds every journey of its
 * month and dimension value. Roll-ups are cells too, a pure function of the fine ones, so
 * the projector keeps them by difference and `verify` checks them like any other.
 *
 * Their ids are readable and can be listed from the code lists (`rollupIds`), so a query
 * fetches them by `_id` instead of searching.
 */
export const ROLLUP = 'rollup';
/** The dimension of a roll-up: one of DIMENSIONS, or 'all' for the month's total. */
export type RollupDimension = Dimension | 'all';

/** Families that have roll-ups, and the `extra` keys their roll-ups keep (the others are summed away). */
export const ROLLUP_FAMILIES: Readonly<Record<string, readonly string[]>> = {
  referrals: [],
  decisions: ['stage'],
  reconsiderations: ['stage'],
  care: [],
  exits: [],
};

/**
 * Families also rolled up by day, summed over every dimension (for figures with no breakdown),
 * and the `extra` keys those roll-ups keep: for reports that decide, from each cell's own date,
 * what counts as at the day asked (after-exit: whether a follow-up has fallen due, whether a
 * re-referral window has closed), which a month roll-up cannot say. A day holds every exit of
 * that day, so a year is a few hundred cells whatever the number of journeys.
 */
export const DAY_ROLLUP_FAMILIES: Readonly<Record<string, readonly string[]>> = {
  afterExit: ['reReferredOn'],
};

// A family has month or day roll-ups, not both: a query finds day roll-ups by their kind and family.
for (const family of Object.keys(DAY_ROLLUP_FAMILIES)) {
  if (ROLLUP_FAMILIES[family]) throw new Error(`${family} cannot have both month and day roll-ups`);
}

const monthStart = (date: CalendarDate) => `${date.slice(0, 7)}-01`;

const keptExtra = (cell: Cell, keep: readonly string[]) =>
  Object.fromEntries(keep.filter((k) => cell.extra && k in cell.extra).map((k) => [k, cell.extra![k]]));

/** A roll-up's id: `when` is its month (2024-08) or, for a day roll-up, its day (2024-08-28). */
export function rollupId(family: string, when: string, dimension: RollupDimension, value: string | null, extra: Record<string, unknown>): string {
  const kept = Object.keys(extra).sort().map((k) => `${k}=${String(extra[k])}`).join('&');
  return `${ROLLUP}:${family}:${when}:${dimension}=${value ?? '~'}${kept ? `:${kept}` : ''}`;
}

/**
 * The roll-up cells one fine cell adds to: its month's total, and each dimension's value (each
 * exploitation type); or, for a family rolled up by day, its day's total.
 */
export function rollupsOf(cell: Cell): Cell[] {
  if (cell.level === ROLLUP) return [];
  const byDay = DAY_ROLLUP_FAMILIES[cell.family];
  if (byDay) {
    const extra = keptExtra(cell, byDay);
    return [{ level: ROLLUP, id: rollupId(cell.family, cell.date, 'all', null, extra), family: cell.family, date: cell.date, dims: {}, extra, counters: cell.counters }];
  }
  const keep = ROLLUP_FAMILIES[cell.family];
  if (!keep) return [];
  const extra = keptExtra(cell, keep);
  const date = monthStart(cell.date);
  const rollup = (dimension: RollupDimension, dims: Partial<CellDimensions>, value: string | null): Cell => ({
    level: ROLLUP, id: rollupId(cell.family, date.slice(0, 7), dimension, value, extra), family: cell.family, date, dims, extra, counters: cell.counters,
  });
  return [
    rollup('all', {}, null),
    ...DIMENSIONS.flatMap((dimension) => dimensionValues(cell.dims as CellDimensions, dimension).map((value) =>
      rollup(dimension, dimension === 'exploitationType' ? { exploitationTypes: [value as C.ExploitationType] } : { [dimension]: value }, value))),
  ];
}

/** Every value a dimension can take, so that roll-up ids can be listed without searching. */
export function dimensionDomain(dimension: RollupDimension): ReadonlyArray<string | null> {
  switch (dimension) {
    case 'all': return [null];
    case 'nationality': return NATIONALITIES;
    case 'ageGroup': return C.AGE_GROUPS;
    case 'gender': return C.GENDERS;
    case 'exploitationType': return C.EXPLOITATION_TYPES;
    case 'exploitationLocation': return C.EXPLOITATION_LOCATIONS;
    case 'firstResponderType': return C.ORGANISATION_TYPES;
    case 'competentAuthority': return [...C.COMPETENT_AUTHORITIES, null];
    case 'policeForceArea': return POLICE_FORCE_AREA_CODES;
    case 'region': return [...new Set([...POLICE_FORCE_AREAS.values()].map((area) => area.region)), null];
  }
}

/** The ids of every roll-up a query could need: months from..to, each value of the dimension, each kept extra value. */
export function rollupIds(family: string, months: readonly string[], dimension: RollupDimension, extras: ReadonlyArray<Record<string, unknown>> = [{}]): string[] {
  const values = dimensionDomain(dimension);
  return months.flatMap((month) => values.flatMap((value) => extras.map((extra) => rollupId(family, month, dimension, value, extra))));
}
