// Balance inquiry JSON (signed with JWS only): {"merchantID","version"} → {version, respCode, respDesc, availableBalance, currency}.
import { GatewayProtocolError } from '../errors.js';
import type { BalanceInquiryRequest, BalanceInquiryResponse } from '../types.js';
import { parseJsonObject, pickJsonText } from './json.js';

export function encodeBalanceInquiryRequest(request: BalanceInquiryRequest): string {
  return JSON.stringify({ merchantID: request.merchantID, version: request.version });
}

export function decodeBalanceInquiryRequest(text: string): BalanceInquiryRequest {
  const fields = pickJsonText(parseJsonObject(text, 'balance inquiry request'), ['merchantID', 'version'] as const);
  return { merchantID: fields.merchantID ?? '', version: fields.version ?? '' };
}

export function encodeBalanceInquiryResponse(response: BalanceInquiryResponse): string {
  const { version, respCode, respDesc, availableBalance, currency } = response;
  return JSON.stringify({ version, respCode, respDesc, availableBalance, currency });
}

export function decodeBalanceInquiryResponse(text: string): BalanceInquiryResponse {
  const fields = pickJsonText(parseJsonObject(text, 'balance inquiry response'), [
    'version',
    'respCode',
    'respDesc',
    'availableBalance',
    'currency',
  ] as const);
  if (!fields.respCode) throw new GatewayProtocolError({ reason: 'balance inquiry response has no respCode' });
  return {
    version: fields.version ?? '',
    respCode: fields.respCode,
    respDesc: fields.respDesc ?? '',
    availableBalance: fields.availableBalance ?? '',
    currency: fields.currency ?? '',
  };
}
