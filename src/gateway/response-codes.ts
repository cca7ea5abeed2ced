// How the gateway reads a 2C2P respCode: its class and 2C2P's description, from the domain's code tables (one
// per code space: PaymentAction 2 digits, RPP maintenance 2 digits, PGW v4.3 4 digits).
import {
  lookupResponseCode,
  PAYMENT_ACTION_RESULT_CODES,
  PGW_RESPONSE_CODES,
  RPP_RESULT_CODES,
  type ResponseClass,
  type ResponseCodeTable,
} from '../domain/response-codes.js';

export interface CodeInfo {
  classification: ResponseClass;
  description: string;
}

function classify(table: ResponseCodeTable, code: string): CodeInfo {
  const { class: classification, description } = lookupResponseCode(table, code);
  return { classification, description };
}

/** Classifies a 2-digit PaymentAction / balance respCode. Unknown codes are final. */
export function classifyPaymentActionCode(code: string): CodeInfo {
  return classify(PAYMENT_ACTION_RESULT_CODES, code);
}

/** Classifies a 2-digit RPP maintenance (inquiry, update, cancel) respCode. Unknown codes are final. */
export function classifyRppCode(code: string): CodeInfo {
  return classify(RPP_RESULT_CODES, code);
}

/** Classifies a 4-digit PGW respCode (Payment Token, Payment Inquiry, notifications). Unknown codes are final. */
export function classifyPgwCode(code: string): CodeInfo {
  return classify(PGW_RESPONSE_CODES, code);
}
