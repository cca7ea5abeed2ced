// When each recurring charge of a plan falls due, including month-end days.
import { addDays, calendarDate, daysBetween, parseCalendarDate, type CalendarDate } from './calendar-date.js';

/** How a plan repeats: every N days (2C2P recurringInterval) or on a day of each month (chargeOnDate). */
export type BillingInterval = { kind: 'days'; days: number } | { kind: 'day-of-month'; day: number };

/** Validates an interval the way 2C2P does: days 1..365, day of month 1..31. */
export function assertBillingInterval(interval: BillingInterval): void {
  if (interval.kind === 'days') {
    if (!Number.isInteger(interval.days) || interval.days < 1 || interval.days > 365) {
      throw new RangeError('interval days must be a whole number from 1 to 365');
    }
  } else if (!Number.isInteger(interval.day) || interval.day < 1 || interval.day > 31) {
    throw new RangeError('day of month must be a whole number from 1 to 31');
  }
}

/**
 * The due date of recurring charge `sequence` (1-based), given the first charge date.
 * Day-of-month plans charge on that day, or on the last day of a shorter month (31 → 28 Feb → 31 Mar);
 * the first charge is the first such day on or after `firstChargeDate`.
 */
export function chargeDate(firstChargeDate: CalendarDate, interval: BillingInterval, sequence: number): CalendarDate {
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError('sequence starts at 1');
  if (interval.kind === 'days') return addDays(firstChargeDate, interval.days * (sequence - 1));
  const { year, month } = parseCalendarDate(firstChargeDate);
  const offset = daysBetween(firstChargeDate, calendarDate(year, month, interval.day)) >= 0 ? 0 : 1;
  return calendarDate(year, month + offset + sequence - 1, interval.day);
}

/** The billing period [start, end) that charge `sequence` pays for. */
export function billingPeriod(
  firstChargeDate: CalendarDate,
  interval: BillingInterval,
  sequence: number,
): { start: CalendarDate; end: CalendarDate } {
  return {
    start: chargeDate(firstChargeDate, interval, sequence),
    end: chargeDate(firstChargeDate, interval, sequence + 1),
  };
}

/** The shortest gap between two charges of this interval, in days (28 for day-of-month plans). */
export function shortestPeriodDays(interval: BillingInterval): number {
  return interval.kind === 'days' ? interval.days : 28;
}
