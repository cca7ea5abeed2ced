// Calendar arithmetic for recurring plans (UTC days): interval steps and day-of-month charges.
import type { DayOfMonth } from './model.js';

const DAY_MS = 86_400_000;

/** Midnight UTC of the day `d` falls on. */
export function startOfUtcDay(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

/** `d` moved by whole days. */
export function addDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * DAY_MS);
}

function daysInMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

/** The day `day` of the given month, or the month's last day when the month is shorter. */
export function clampedDay(year: number, monthIndex: number, day: number): Date {
  return new Date(Date.UTC(year, monthIndex, Math.min(day, daysInMonth(year, monthIndex))));
}

/** Whether `ddMM` names a possible calendar day (29 February allowed). */
export function isValidDayOfMonth(value: DayOfMonth): boolean {
  const { day, month } = value;
  if (!Number.isInteger(day) || !Number.isInteger(month) || month < 1 || month > 12) return false;
  return day >= 1 && day <= daysInMonth(2024, month - 1);
}

/** The first monthly charge day strictly after `after` (day of month clamped to shorter months). */
export function nextMonthlyDay(after: Date, day: number): Date {
  const base = startOfUtcDay(after);
  const sameMonth = clampedDay(base.getUTCFullYear(), base.getUTCMonth(), day);
  if (sameMonth.getTime() > base.getTime()) return sameMonth;
  return clampedDay(base.getUTCFullYear(), base.getUTCMonth() + 1, day);
}

/** The charge date following `previous` under either an interval in days or a monthly chargeOnDate. */
export function followingChargeDate(previous: Date, terms: { intervalDays?: number; chargeOnDate?: DayOfMonth }): Date {
  if (terms.chargeOnDate) return nextMonthlyDay(previous, terms.chargeOnDate.day);
  if (terms.intervalDays) return addDays(startOfUtcDay(previous), terms.intervalDays);
  throw new TypeError('a plan needs intervalDays or chargeOnDate');
}

/** The first charge date on or after `today`, stepping from `from` (for plans resumed after a pause). */
export function catchUpChargeDate(
  from: Date,
  today: Date,
  terms: { intervalDays?: number; chargeOnDate?: DayOfMonth },
): Date {
  let next = startOfUtcDay(from);
  const floor = startOfUtcDay(today).getTime();
  while (next.getTime() < floor) next = followingChargeDate(next, terms);
  return next;
}
