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

export function toDayNumber(date: CalendarDate): number {
  const [y, m, d] = date.split('-').map(Number);
  return Math.round(Date.UTC(y, m - 1, d) / MS_PER_DAY);
}

export function fromDayNumber(day: number): CalendarDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
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
