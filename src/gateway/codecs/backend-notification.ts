// Backend notification: {"payload": <HS256 JWT>} whose claims are a payment result (cardNo or accountNo).
import { GatewayProtocolError } from '../errors.js';
import type { BackendNotification } from '../types.js';
import { parseJsonObject } from './json.js';
import { decodePaymentResult, encodePaymentResult } from './payment-result.js';

/** The JWT inside a notification body; GatewayProtocolError when the body is not {"payload": "<jwt>"}. */
export function notificationToken(body: string): string {
  const payload = parseJsonObject(body, 'notification body').payload;
  if (typeof payload !== 'string' || payload === '')
    throw new GatewayProtocolError({ reason: 'notification body has no payload' });
  return payload;
}

/** Reads verified notification claims. */
export function decodeBackendNotification(claims: string | Record<string, unknown>): BackendNotification {
  return decodePaymentResult(claims);
}

export const encodeBackendNotification: (n: BackendNotification) => string = encodePaymentResult;
