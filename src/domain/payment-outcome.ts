// What a 2C2P PGW respCode (Payment Token / Inquiry / backend notification) means for a payment, read off the
// one PGW code table.
import { lookupResponseCode, PGW_RESPONSE_CODES, type ResponseClass } from './response-codes.js';

export type PaymentOutcome = 'succeeded' | 'pending' | 'declined' | 'not_found';

// Only a final refusal is a decline: a code that says nothing of the money (retryable) or may hide a payment
// (outcome-unknown) is asked about again, so a payment that went through is never recorded as declined.
const OUTCOME_OF: Readonly<Record<ResponseClass, PaymentOutcome>> = {
  success: 'succeeded',
  pending: 'pending',
  retryable: 'pending',
  'outcome-unknown': 'pending',
  'not-found': 'not_found',
  'declined-final': 'declined',
};

/** Classifies a 4-digit PGW respCode by the PGW table; a code the table does not list is a decline. */
export function paymentOutcome(respCode: string): PaymentOutcome {
  return OUTCOME_OF[lookupResponseCode(PGW_RESPONSE_CODES, respCode).class];
}
