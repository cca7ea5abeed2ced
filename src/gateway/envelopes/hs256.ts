// HS256 JWTs of the PGW v4.3 APIs and backend notifications: {"payload": <JWT>} signed with the secret.
import { CompactSign, compactVerify, decodeJwt } from 'jose';
import { GatewayProtocolError } from '../errors.js';
import { assertParts, joseStep } from './jose-errors.js';

/** Signs JSON text as it is (so decimal literals such as 1000.00 survive) with header {"alg":"HS256","typ":"JWT"}. */
export async function signHs256Payload(json: string, secret: Uint8Array): Promise<string> {
  return joseStep('HS256 signing', () =>
    new CompactSign(new TextEncoder().encode(json)).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret),
  );
}

/** Verifies an HS256 JWT and returns its claims; refuses other algorithms and non-object payloads. */
export async function verifyHs256Payload(token: string, secret: Uint8Array): Promise<Record<string, unknown>> {
  assertParts(token, 3, 'JWT');
  const { payload } = await joseStep('HS256 verification', () =>
    compactVerify(token, secret, { algorithms: ['HS256'] }),
  );
  return parseClaims(new TextDecoder().decode(payload));
}

/** The claims of a JWT without verifying it: only to find whose secret verifies it. */
export function peekClaims(token: string): Record<string, unknown> {
  assertParts(token, 3, 'JWT');
  try {
    return decodeJwt(token) as Record<string, unknown>;
  } catch {
    throw new GatewayProtocolError({ reason: 'JWT payload is not JSON' });
  }
}

function parseClaims(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new GatewayProtocolError({ reason: 'JWT payload is not JSON' });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new GatewayProtocolError({ reason: 'JWT payload is not an object' });
  return value as Record<string, unknown>;
}
