// Calendar dates as 'YYYY-MM-DD' strings (UTC): serialisable in workflow state and exact for billing.

/** A date without time, 'YYYY-MM-DD', interpreted in UTC. */
export type CalendarDate = string;

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Splits and validates a calendar date; RangeError when malformed or impossible (e.g. 2026-02-30). */
export function parseCalendarDate(date: CalendarDate): { year: number; month: number; day: number } {
  const match = PATTERN.exec(date);
  if (!match) throw new RangeError(`expected a date as YYYY-MM-DD, got ${JSON.stringify(date)}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`${date} is not a calendar date`);
  }
  return { year, month, day };
}

/** Whether a string is a valid calendar date. */
export function isCalendarDate(value: string): boolean {
  try {
    parseCalendarDate(value);
    return true;
  } catch {
    return false;
  }
}

/** Number of days in a month (1-12) of a year, leap years included. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Builds a calendar date from parts, clamping the day to the month's last day (31 → 30, 29 or 28). */
export function calendarDate(year: number, month: number, day: number): CalendarDate {
  const normalisedYear = year + Math.floor((month - 1) / 12);
  const normalisedMonth = ((((month - 1) % 12) + 12) % 12) + 1;
  const clampedDay = Math.min(day, daysInMonth(normalisedYear, normalisedMonth));
  return `${String(normalisedYear).padStart(4, '0')}-${String(normalisedMonth).padStart(2, '0')}-${String(clampedDay).padStart(2, '0')}`;
}

/** Midnight UTC of a calendar date, in epoch milliseconds. */
export function toEpochMs(date: CalendarDate): number {
  const { year, month, day } = parseCalendarDate(date);
  return Date.UTC(year, month - 1, day);
}

/** The UTC calendar date of an instant. */
export function toCalendarDate(epochMs: number): CalendarDate {
  const d = new Date(epochMs);
  return calendarDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** Adds whole days. */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  return toCalendarDate(toEpochMs(date) + days * DAY_MS);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round((toEpochMs(to) - toEpochMs(from)) / DAY_MS);
}
