// The 2C2P protocol layer: keys, envelopes, codecs, client and typed errors. No Temporal, no database.
export * from './errors.js';
export * from './types.js';
export * from './keys.js';
export * from './response-codes.js';
export {
  createGatewayClient,
  type GatewayClient,
  type GatewayClientOptions,
  type GatewayEndpoints,
  type PaymentTokenInput,
  type RecurringPlanTerms,
  type DayOfMonth,
} from './client.js';
export type { GatewayExchange } from './http-transport.js';
export { signJws, verifyJws } from './envelopes/jws.js';
export { encryptJwe, decryptJwe } from './envelopes/jwe.js';
export { sealPaymentAction, openPaymentAction, innerJweOf } from './envelopes/payment-action-envelope.js';
export { signHs256Payload, verifyHs256Payload, peekClaims } from './envelopes/hs256.js';
export * from './codecs/payment-process.js';
export * from './codecs/recurring-maintenance.js';
export * from './codecs/balance-inquiry.js';
export * from './codecs/payment-token.js';
export * from './codecs/payment-result.js';
export * from './codecs/backend-notification.js';
