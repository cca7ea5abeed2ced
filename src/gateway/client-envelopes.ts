// Reading 2C2P's answers: PaymentAction (JWS over JWE), balance (JWS) and PGW ({"payload": JWT} or a bare error JSON).
import { GatewayDeclinedError, GatewayProtocolError } from './errors.js';
import type { GatewayKeys } from './keys.js';
import { openPaymentAction } from './envelopes/payment-action-envelope.js';
import { verifyJws } from './envelopes/jws.js';
import { verifyHs256Payload } from './envelopes/hs256.js';
import { classifyPaymentActionCode, classifyPgwCode, classifyRppCode, type CodeInfo } from './response-codes.js';
import type { GatewayOperation } from './types.js';

/** Opens a PaymentAction answer; anything but a 3-part JWS (a bare JWE, an HTML error page) is a protocol error. */
export async function openPaymentActionAnswer(body: string, httpStatus: number, keys: GatewayKeys): Promise<string> {
  const token = body.trim();
  assertJoseAnswer(token, httpStatus);
  return openPaymentAction(token, { verifyWith: keys.gatewayPublicKey, decryptWith: keys.merchantPrivateKey });
}

/** Verifies a balance answer (JWS signed by 2C2P) and returns its JSON text. */
export async function openSignedAnswer(body: string, httpStatus: number, keys: GatewayKeys): Promise<string> {
  const token = body.trim();
  assertJoseAnswer(token, httpStatus);
  const { payload } = await verifyJws(token, keys.gatewayPublicKey);
  return new TextDecoder().decode(payload);
}

/** Opens a PGW answer: {"payload": JWT} verified with the secret, or a bare {"respCode","respDesc"} error. */
export async function openPgwAnswer(
  body: string,
  httpStatus: number,
  keys: GatewayKeys,
): Promise<Record<string, unknown>> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new GatewayProtocolError({ reason: 'answer is not JSON', httpStatus, unreadable: true });
  }
  if (typeof json !== 'object' || json === null)
    throw new GatewayProtocolError({ reason: 'answer is not a JSON object', httpStatus });
  const record = json as Record<string, unknown>;
  if (typeof record.payload === 'string') return verifyHs256Payload(record.payload, keys.secretKey);
  if (typeof record.respCode === 'string') return record; // bare error answer, not signed
  throw new GatewayProtocolError({ reason: 'answer has neither payload nor respCode', httpStatus });
}

/** Throws GatewayDeclinedError unless a PaymentAction/balance respCode is 00. */
export function acceptPaymentActionCode(operation: GatewayOperation, respCode: string, respDesc: string): void {
  accept(operation, respCode, respDesc, classifyPaymentActionCode(respCode));
}

/** Throws GatewayDeclinedError unless an RPP maintenance respCode is 00. */
export function acceptRppCode(operation: GatewayOperation, respCode: string, respReason: string): void {
  accept(operation, respCode, respReason, classifyRppCode(respCode));
}

/** Throws GatewayDeclinedError unless a PGW respCode is 0000. */
export function acceptPgwCode(operation: GatewayOperation, respCode: string, respDesc: string): void {
  accept(operation, respCode, respDesc, classifyPgwCode(respCode));
}

function accept(operation: GatewayOperation, respCode: string, respDesc: string, info: CodeInfo): void {
  if (info.classification !== 'success') {
    throw new GatewayDeclinedError({
      operation,
      respCode,
      respDesc: respDesc || info.description,
      classification: info.classification,
    });
  }
}

function assertJoseAnswer(token: string, httpStatus: number): void {
  const parts = token.split('.').length;
  if (parts === 3 && /^[A-Za-z0-9_\-.]+$/.test(token)) return;
  if (parts === 5)
    throw new GatewayProtocolError({ reason: 'answer is a bare JWE where a signed JWS was expected', httpStatus });
  throw new GatewayProtocolError({ reason: 'answer is not a JOSE token', httpStatus, unreadable: true });
}
