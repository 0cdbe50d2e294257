/**
 * Calendar dates as `YYYY-MM-DD` strings: what support workers record (UK local dates) and
 * what every counting rule in DOMAIN.md is defined over. Arithmetic goes through a day
 * number (days since 1970-01-01), so there is no time zone and no clock in it.
 */
export type CalendarDate = string;

const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** True for a real date in `YYYY-MM-DD` form (2023-02-29 is not one). */
export function isCalendarDate(value: unknown): value is CalendarDate {
  if (typeof value !== 'string') return false;
  const match = DATE_SHAPE.exec(value);
  if (!match) return false;
  return fromDayNumber(toDayNumber(value)) === value;
}

/**
 * Days since 1970-01-01. Projections call this for every event, so years 1000 to 9999 (every
 * date the domain records) take integer arithmetic (the proleptic Gregorian "days from civil"
 * formula) instead of a Date; out-of-range months and days roll over exactly as Date.UTC does.
 */
export function toDayNumber(date: CalendarDate): number {
  const y = digits(date, 0, 4);
  const m = digits(date, 5, 2);
  const d = digits(date, 8, 2);
  if (date.length === 10 && y >= 1000 && m >= 1 && m <= 12 && d >= 0) return daysFromCivil(y, m, d);
  const [year, month, day] = date.split('-').map(Number);
  return Math.round(Date.UTC(year, month - 1, day) / MS_PER_DAY);
}

export function fromDayNumber(day: number): CalendarDate {
  if (Number.isInteger(day) && day >= MIN_FAST_DAY && day <= MAX_FAST_DAY) return civilFromDays(day);
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The decimal number in `text` at [start, start + length), or NaN if any character is not a digit. */
function digits(text: string, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) return NaN;
    value = value * 10 + digit;
  }
  return value;
}

/** Day number of a Gregorian date; `d` may run past the month's end, like Date.UTC. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1; // from 1 March
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

const MIN_FAST_DAY = daysFromCivil(1000, 1, 1);
const MAX_FAST_DAY = daysFromCivil(9999, 12, 31);

function civilFromDays(day: number): CalendarDate {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const d = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const m = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const y = yearOfEra + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Calendar days from `from` to `to` (same day is 0; negative when `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** 0 = Sunday ... 6 = Saturday. */
export function dayOfWeek(date: CalendarDate): number {
  return (toDayNumber(date) + 4) % 7; // 1970-01-01 was a Thursday
}

/**
 * The same calendar day `months` later, clamped to the month's last day
 * (2024-01-31 + 1 month = 2024-02-29). Used for "within N months of a date".
 */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const [y, m, d] = date.split('-').map(Number);
  const monthIndex = y * 12 + (m - 1) + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return fromDayNumber(Math.round(Date.UTC(year, month, Math.min(d, lastDay)) / MS_PER_DAY));
}

// Built once: constructing an Intl.DateTimeFormat costs far more than formatting with it.
const UK_DATE = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The date in the United Kingdom (Europe/London) at an instant given as ISO 8601. */
export function ukDateOf(instant: string): CalendarDate {
  const parts = UK_DATE.formatToParts(new Date(instant));
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

export function maxDate(a: CalendarDate, b: CalendarDate): CalendarDate {
  return a >= b ? a : b;
}
