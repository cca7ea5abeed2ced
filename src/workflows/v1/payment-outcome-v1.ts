// Version 1 of the workflow classifies codes as it did when its histories were recorded (frozen; the
// current table is src/domain/payment-outcome.ts). What a 2C2P PGW respCode (Payment Token / Inquiry / backend notification) means for a payment.

/** Codes that say the payment is still under way: ask again later, do not charge again. */
const PENDING = new Set(['0001', '2001', '4009', '1000', '1001', '1002', '1003', '1004', '1005']);
/** Codes that say 2C2P has no such payment (yet). */
const NOT_FOUND = new Set(['2002', '4140', '4071']);

export type PaymentOutcome = 'succeeded' | 'pending' | 'declined' | 'not_found';

/** Classifies a 4-digit PGW respCode; anything not success, pending or not-found is a decline. */
export function paymentOutcome(respCode: string): PaymentOutcome {
  if (respCode === '0000') return 'succeeded';
  if (PENDING.has(respCode)) return 'pending';
  if (NOT_FOUND.has(respCode)) return 'not_found';
  return 'declined';
}
