// Payment Inquiry v4.3 (request and answer) and the backend notification, which share the result fields.
import { alphaCurrencyCode } from '../../domain/money.js';
import { GatewayProtocolError } from '../errors.js';
import type { PaymentInquiryRequest, PaymentResult } from '../types.js';
import { parseJsonObject, pickJsonText } from './json.js';

const RESULT_FIELDS = [
  'merchantID',
  'invoiceNo',
  'amount',
  'currencyCode',
  'transactionDateTime',
  'agentCode',
  'channelCode',
  'approvalCode',
  'referenceNo',
  'tranRef',
  'accountNo',
  'customerToken',
  'customerTokenExpiry',
  'cardType',
  'eci',
  'recurringUniqueID',
  'recurringSequenceNo',
  'paymentID',
  'paymentScheme',
  'idempotencyID',
  'userDefined1',
  'userDefined2',
  'userDefined3',
  'userDefined4',
  'userDefined5',
  'respCode',
  'respDesc',
] as const;

export function encodePaymentInquiryRequest(request: PaymentInquiryRequest): string {
  return JSON.stringify(request);
}

export function decodePaymentInquiryRequest(text: string): PaymentInquiryRequest {
  const fields = pickJsonText(parseJsonObject(text, 'payment inquiry request'), [
    'merchantID',
    'paymentToken',
    'invoiceNo',
    'locale',
  ] as const);
  return { ...fields, merchantID: fields.merchantID ?? '' };
}

/** JSON text of a payment result (inquiry answer or notification claims). */
export function encodePaymentResult(result: PaymentResult): string {
  return JSON.stringify(result);
}

/**
 * Reads a payment result from JSON text or claims; the masked card may be named cardNo or accountNo. The
 * currencyCode comes back alphabetic: 2C2P documents A3 but writes ISO 4217 numeric codes elsewhere (RPP
 * `currency` 702), so "702" reads as SGD; a code that is neither is a GatewayProtocolError.
 */
export function decodePaymentResult(input: string | Record<string, unknown>): PaymentResult {
  const claims = typeof input === 'string' ? parseJsonObject(input, 'payment result') : input;
  const fields = pickJsonText(claims, RESULT_FIELDS);
  if (!fields.respCode) throw new GatewayProtocolError({ reason: 'payment result has no respCode' });
  const card = fields.accountNo ?? pickJsonText(claims, ['cardNo'] as const).cardNo;
  return {
    ...fields,
    invoiceNo: fields.invoiceNo ?? '',
    respCode: fields.respCode,
    respDesc: fields.respDesc ?? '',
    ...(card ? { accountNo: card } : {}),
    ...(fields.currencyCode ? { currencyCode: answerCurrencyCode(fields.currencyCode) } : {}),
  };
}

/** The alphabetic code of the answer's currency; an unknown one is a protocol error, never retried as is. */
function answerCurrencyCode(code: string): string {
  try {
    return alphaCurrencyCode(code);
  } catch (error) {
    throw new GatewayProtocolError({ reason: 'payment result has an unknown currencyCode', cause: error });
  }
}

export const decodePaymentInquiryResponse = decodePaymentResult;
export const encodePaymentInquiryResponse = encodePaymentResult;
