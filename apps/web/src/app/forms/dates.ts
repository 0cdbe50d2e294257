import { ukDateOf } from '../../../../../libs/domain/src/calendar/calendar-date';

/** Today's date in the UK: what the server compares "not in the future" with. */
export function todayInUk(): string {
  return ukDateOf(new Date().toISOString());
}

const CALENDAR = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
const INSTANT = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });

/** `2024-01-16` as `16 January 2024` (anything else as it is). */
export function longDate(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  const time = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(time.getTime()) ? date : CALENDAR.format(time);
}

/** An ISO instant in UK time: `16 Jan 2024, 09:12`. */
export function instantInUk(instant: string): string {
  const time = new Date(instant);
  return Number.isNaN(time.getTime()) ? instant : INSTANT.format(time);
}
