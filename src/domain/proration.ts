// Prorated refunds for the unused part of a billing period.
//
// Rounding rule (one, everywhere): the refund is amount × unusedDays ÷ periodDays in integer minor
// units, rounded DOWN, so the merchant never refunds more than the unused part. The day of the change
// counts as used.
import { daysBetween, type CalendarDate } from './calendar-date.js';

/** Whole unused days of [start, end) as of `today` (clamped to the period). */
export function unusedDays(period: { start: CalendarDate; end: CalendarDate }, today: CalendarDate): number {
  const total = daysBetween(period.start, period.end);
  const remaining = daysBetween(today, period.end) - 1;
  return Math.max(0, Math.min(total, remaining));
}

/** The prorated part of `amountMinor` for the unused days of the period, rounded down to the minor unit. */
export function proratedAmount(
  amountMinor: number,
  period: { start: CalendarDate; end: CalendarDate },
  today: CalendarDate,
): number {
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0)
    throw new RangeError('amount must be whole minor units ≥ 0');
  const total = daysBetween(period.start, period.end);
  if (total <= 0) throw new RangeError('billing period must end after it starts');
  // BigInt keeps amount × days exact for any 12-digit amount.
  return Number((BigInt(amountMinor) * BigInt(unusedDays(period, today))) / BigInt(total));
}
