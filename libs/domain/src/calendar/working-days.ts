import { BANK_HOLIDAYS_ENGLAND_AND_WALES, BANK_HOLIDAY_TABLE_RANGE } from './bank-holidays';
import { CalendarDate, addDays, dayOfWeek, fromDayNumber, toDayNumber } from './calendar-date';

const bankHolidays = new Set(BANK_HOLIDAYS_ENGLAND_AND_WALES.map(([date]) => date));
const bankHolidayDays = new Set(BANK_HOLIDAYS_ENGLAND_AND_WALES.map(([date]) => toDayNumber(date)));

export function isWorkingDay(date: CalendarDate): boolean {
  if (date < BANK_HOLIDAY_TABLE_RANGE.first || date > BANK_HOLIDAY_TABLE_RANGE.last) {
    throw new RangeError(`${date} is outside the bank holiday table (${BANK_HOLIDAY_TABLE_RANGE.first} to ${BANK_HOLIDAY_TABLE_RANGE.last})`);
  }
  const dow = dayOfWeek(date);
  return dow !== 0 && dow !== 6 && !bankHolidays.has(date);
}

/**
 * Working days after `from` up to and including `to` (DOMAIN.md counting rule): a decision
 * on the referral date took 0; Monday to the next Monday is 5. Zero when `to` <= `from`.
 * Counts over day numbers: waits of months are computed for every projected decision.
 */
export function workingDaysBetween(from: CalendarDate, to: CalendarDate): number {
  const first = toDayNumber(from) + 1;
  const last = toDayNumber(to);
  if (last < first) return 0;
  isWorkingDay(fromDayNumber(first)); // throws when the range leaves the bank holiday table
  isWorkingDay(fromDayNumber(last));
  let count = 0;
  for (let day = first; day <= last; day++) {
    const dow = (day + 4) % 7; // 1970-01-01 was a Thursday
    if (dow !== 0 && dow !== 6 && !bankHolidayDays.has(day)) count++;
  }
  return count;
}

/** The date on which `n` working days after `from` have passed (e.g. the RG target date). */
export function addWorkingDays(from: CalendarDate, n: number): CalendarDate {
  let day = from;
  for (let counted = 0; counted < n; ) {
    day = addDays(day, 1);
    if (isWorkingDay(day)) counted++;
  }
  return day;
}
