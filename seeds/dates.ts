import type { CalendarDate } from '../libs/domain/src/calendar/calendar-date';
import { addDays, dayOfWeek, daysBetween, fromDayNumber, toDayNumber } from '../libs/domain/src/calendar/calendar-date';
import { NRM_START } from '../libs/domain/src/policy';
import type { Random } from './random';

/**
 * Calendar helpers for the generator, which adds days hundreds of thousands of times: the
 * domain's addDays parses and formats a date each time, so here dates from 2009 to 2040 are
 * looked up in a precomputed table. Same results as the domain's addDays and daysBetween
 * (outside the table they are what is used).
 */
const FIRST = toDayNumber('2009-01-01');
const DATES: readonly CalendarDate[] = Array.from({ length: toDayNumber('2040-12-31') - FIRST + 1 }, (_, i) => fromDayNumber(FIRST + i));
const INDEX = new Map<CalendarDate, number>(DATES.map((date, i) => [date, i]));
export const DAY_MS = 86_400_000;

export function plusDays(date: CalendarDate, days: number): CalendarDate {
  const i = INDEX.get(date);
  const j = i === undefined ? -1 : i + days;
  return j >= 0 && j < DATES.length ? DATES[j] : addDays(date, days);
}

export function daysFrom(from: CalendarDate, to: CalendarDate): number {
  const i = INDEX.get(from);
  const j = INDEX.get(to);
  return i !== undefined && j !== undefined ? j - i : daysBetween(from, to);
}

/** Midnight UTC starting a calendar date, in epoch milliseconds. */
export function dayStartMs(date: CalendarDate): number {
  const i = INDEX.get(date);
  return (i === undefined ? toDayNumber(date) : FIRST + i) * DAY_MS;
}

/** A day in `year` (from the NRM's start in 2009) up to today; most identifications fall on working days. */
export function identificationDate(rng: Random, year: number, today: CalendarDate): CalendarDate {
  const first = year === 2009 ? NRM_START : `${year}-01-01`;
  const last = `${year}-12-31` < today ? `${year}-12-31` : today;
  let date = plusDays(first, rng.int(0, daysFrom(first, last)));
  const dow = dayOfWeek(date);
  if ((dow === 0 || dow === 6) && rng.chance(0.7)) {
    const monday = plusDays(date, dow === 6 ? 2 : 1);
    if (monday <= last) date = monday;
  }
  return date;
}
