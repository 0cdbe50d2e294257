import { BANK_HOLIDAYS_ENGLAND_AND_WALES, BANK_HOLIDAY_TABLE_RANGE } from './bank-holidays';
import { CalendarDate, addDays, dayOfWeek, toDayNumber } from './calendar-date';

const bankHolidays = new Set(BANK_HOLIDAYS_ENGLAND_AND_WALES.map(([date]) => date));

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
 */
export function workingDaysBetween(from: CalendarDate, to: CalendarDate): number {
  let count = 0;
  for (let day = addDays(from, 1); toDayNumber(day) <= toDayNumber(to); day = addDays(day, 1)) {
    if (isWorkingDay(day)) count++;
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
