// Payment Inquiry v4.3 (request and answer) and the backend notification, which share the result fields.
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

/** Reads a payment result from JSON text or claims; the masked card may be named cardNo or accountNo. */
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
  };
}

export const decodePaymentInquiryResponse = decodePaymentResult;
export const encodePaymentInquiryResponse = encodePaymentResult;
