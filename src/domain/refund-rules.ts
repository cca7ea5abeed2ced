// How much may be refunded, and how much a prorated cancel or downgrade gives back. Integer minor units;
// prorations round down (src/domain/proration.ts), so the merchant never refunds more than was unused.
import type { CalendarDate } from './calendar-date.js';
import { proratedAmount } from './proration.js';

/** A refund as far as its amount counts: only failed refunds give the amount back to the refundable pool. */
export interface RefundAmount {
  amountMinor: number;
  status: string;
}

/** What is still refundable on a charge of `chargeMinor`: its amount less every refund that did not fail. */
export function refundableMinor(chargeMinor: number, refunds: readonly RefundAmount[]): number {
  const taken = refunds.filter((r) => r.status !== 'failed').reduce((sum, r) => sum + r.amountMinor, 0);
  return Math.max(0, chargeMinor - taken);
}

/**
 * The period a charge paid for, and the rate the customer pays for the rest of it: the charge's amount, or
 * the new price once a prorated downgrade has refunded the difference (never the charge less that refund:
 * the refund's unused share would be refunded again at cancel). A change that was not prorated, or an
 * upgrade (it charges nothing extra), leaves the rate as it was.
 */
export interface PaidPeriod {
  period: { start: CalendarDate; end: CalendarDate };
  rateMinor: number;
  /** Still refundable on the charge that paid for the period. */
  refundableMinor: number;
}

/** A prorated downgrade to `newAmountMinor` refunds the unused part of what was paid above the new price. */
export function downgradeRefundMinor(paid: PaidPeriod, newAmountMinor: number, today: CalendarDate): number {
  const difference = Math.max(0, paid.rateMinor - newAmountMinor);
  return Math.min(proratedAmount(difference, paid.period, today), paid.refundableMinor);
}

/** A prorated cancel refunds the unused part of the period at the rate paid. */
export function cancelRefundMinor(paid: PaidPeriod, today: CalendarDate): number {
  return Math.min(proratedAmount(paid.rateMinor, paid.period, today), paid.refundableMinor);
}
