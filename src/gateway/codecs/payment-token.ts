// Payment Token v4.3 claims: the request (with recurring fields and the customerToken list) and the answer.
import { GatewayProtocolError } from '../errors.js';
import type { PaymentTokenRequest, PaymentTokenResponse } from '../types.js';
import { asText, parseJsonObject, pickJsonText, stringifyWithDecimals } from './json.js';

const DECIMAL_FIELDS = ['amount', 'recurringAmount', 'maxAccumulateAmount'] as const;
const TEXT_FIELDS = [
  'merchantID',
  'invoiceNo',
  'description',
  'currencyCode',
  'idempotencyID',
  'request3DS',
  'paymentExpiry',
  'frontendReturnUrl',
  'backendReturnUrl',
  'userDefined1',
  'userDefined2',
  'userDefined3',
  'userDefined4',
  'userDefined5',
  'invoicePrefix',
  'chargeNextDate',
  'chargeOnDate',
  ...DECIMAL_FIELDS,
] as const;

/** JSON text of the request, amounts as exact number literals (e.g. "amount":1000.00). */
export function encodePaymentTokenRequest(request: PaymentTokenRequest): string {
  return stringifyWithDecimals(request, DECIMAL_FIELDS);
}

/** Reads request claims; accepts the older cardTokens/cardTokenOnly names and numbers sent as strings. */
export function decodePaymentTokenRequest(text: string): PaymentTokenRequest {
  const claims = parseJsonObject(text, 'payment token request');
  const fields = pickJsonText(claims, TEXT_FIELDS);
  const tokens = claims.customerToken ?? claims.cardTokens;
  const request: PaymentTokenRequest = {
    ...fields,
    merchantID: fields.merchantID ?? '',
    invoiceNo: fields.invoiceNo ?? '',
    description: fields.description ?? '',
    amount: fields.amount ?? '',
    currencyCode: fields.currencyCode ?? '',
  };
  if (Array.isArray(tokens)) request.customerToken = tokens.map((t) => String(t));
  if (Array.isArray(claims.paymentChannel)) request.paymentChannel = claims.paymentChannel.map((c) => String(c));
  for (const flag of ['tokenize', 'recurring', 'allowAccumulate'] as const) {
    const value = claims[flag];
    if (value !== undefined) request[flag] = value === true || value === 'true' || value === 'Y';
  }
  const only = claims.customerTokenOnly ?? claims.cardTokenOnly;
  if (only !== undefined) request.customerTokenOnly = only === true || only === 'true';
  for (const count of ['recurringInterval', 'recurringCount'] as const) {
    const value = asText(claims[count]);
    if (value !== undefined) request[count] = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  }
  return request;
}

export function encodePaymentTokenResponse(response: PaymentTokenResponse): string {
  return JSON.stringify(response);
}

export function decodePaymentTokenResponse(text: string): PaymentTokenResponse {
  const fields = pickJsonText(parseJsonObject(text, 'payment token response'), [
    'webPaymentUrl',
    'paymentToken',
    'respCode',
    'respDesc',
  ] as const);
  if (!fields.respCode) throw new GatewayProtocolError({ reason: 'payment token response has no respCode' });
  return { ...fields, respCode: fields.respCode, respDesc: fields.respDesc ?? '' };
}
