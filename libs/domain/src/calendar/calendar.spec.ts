import { addMonths, daysBetween, fromDayNumber, isCalendarDate, toDayNumber, ukDateOf } from './calendar-date';
import { addWorkingDays, isWorkingDay, workingDaysBetween } from './working-days';
import { BANK_HOLIDAY_TABLE_RANGE } from './bank-holidays';
import { recoveryPeriodEnds, reasonableGroundsTargetDate } from '../policy';

describe('working days (weekdays that are not bank holidays of England and Wales)', () => {
  it('counts a decision on the referral date as 0 working days', () => {
    expect(workingDaysBetween('2024-01-08', '2024-01-08')).toBe(0);
  });
  it('counts Monday to the next Monday as 5', () => {
    expect(workingDaysBetween('2024-01-08', '2024-01-15')).toBe(5);
  });
  it('skips the weekend: Friday to Monday is 1', () => {
    expect(workingDaysBetween('2024-01-12', '2024-01-15')).toBe(1);
  });
  it('skips Christmas, Boxing Day and New Year (2023-12-22 to 2024-01-02 is 4)', () => {
    // 27, 28, 29 Dec and 2 Jan are working days; 25, 26 Dec and 1 Jan are bank holidays.
    expect(workingDaysBetween('2023-12-22', '2024-01-02')).toBe(4);
  });
  it('skips one-off bank holidays (the 2023 coronation)', () => {
    expect(workingDaysBetween('2023-05-05', '2023-05-09')).toBe(1);
  });
  it('finds the RG target date across Easter 2024 (Good Friday 29 Mar, Easter Monday 1 Apr)', () => {
    expect(reasonableGroundsTargetDate('2024-03-27')).toBe('2024-04-05');
    expect(addWorkingDays('2024-03-28', 1)).toBe('2024-04-02');
  });
});

describe('calendar dates', () => {
  it('rejects impossible dates', () => {
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2024-2-9')).toBe(false);
  });
  it('adds months clamped to the last day of the month', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2023-12-15', 12)).toBe('2024-12-15');
    expect(addMonths('2024-08-31', 6)).toBe('2025-02-28');
  });
  it('counts calendar days, same day 0', () => {
    expect(daysBetween('2024-01-01', '2024-01-01')).toBe(0);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
  });
  it('gives the UK date of an instant across daylight saving', () => {
    expect(ukDateOf('2024-07-01T23:30:00Z')).toBe('2024-07-02');
    expect(ukDateOf('2024-01-01T23:30:00Z')).toBe('2024-01-01');
  });
});

describe('recovery period by policy version', () => {
  it('is 45 days for RG decisions before 2023-01-30 and 30 days from then', () => {
    expect(recoveryPeriodEnds('2023-01-29')).toBe('2023-03-15');
    expect(recoveryPeriodEnds('2023-01-30')).toBe('2023-03-01');
  });
});

describe('day numbers (integer arithmetic, checked against Date)', () => {
  const viaDate = (date: string) => {
    const [y, m, d] = date.split('-').map(Number);
    return Math.round(Date.UTC(y, m - 1, d) / 86_400_000);
  };

  it('agrees with Date on every day from 1600 to 2400, both ways', () => {
    for (let day = viaDate('1600-01-01'); day <= viaDate('2400-12-31'); day++) {
      const date = new Date(day * 86_400_000).toISOString().slice(0, 10);
      if (fromDayNumber(day) !== date || toDayNumber(date) !== day) throw new Error(`${day} ${date}: ${fromDayNumber(day)} ${toDayNumber(date)}`);
    }
  });

  it('rolls impossible days over as Date.UTC does, so isCalendarDate still refuses them', () => {
    for (const date of ['2023-02-29', '2024-02-30', '2023-04-31', '2023-01-00', '2023-12-32', '2023-06-99']) {
      expect(toDayNumber(date)).toBe(viaDate(date));
      expect(isCalendarDate(date)).toBe(false);
    }
    for (const date of ['2023-13-01', '2023-00-10', '0050-01-01', '20x3-01-01']) expect(isCalendarDate(date)).toBe(false);
    expect(isCalendarDate('2024-02-29')).toBe(true);
  });

  it('counts working days exactly as a day-by-day walk over the bank holiday table does', () => {
    const walk = (from: string, to: string) => {
      let count = 0;
      for (let day = toDayNumber(from) + 1; day <= toDayNumber(to); day++) if (isWorkingDay(fromDayNumber(day))) count++;
      return count;
    };
    const first = toDayNumber(BANK_HOLIDAY_TABLE_RANGE.first);
    const span = toDayNumber(BANK_HOLIDAY_TABLE_RANGE.last) - first;
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % span;
    for (let i = 0; i < 300; i++) {
      const from = fromDayNumber(first + next());
      const to = fromDayNumber(Math.min(first + span, toDayNumber(from) + (next() % 800) - 100));
      expect(workingDaysBetween(from, to)).toBe(walk(from, to));
    }
    expect(() => workingDaysBetween(BANK_HOLIDAY_TABLE_RANGE.last, addMonths(BANK_HOLIDAY_TABLE_RANGE.last, 1))).toThrow(RangeError);
  });
});
