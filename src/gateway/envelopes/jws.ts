// JWS PS256 compact signatures (balance inquiry, and the outer layer of PaymentAction messages).
import type { KeyObject } from 'node:crypto';
import { CompactSign, compactVerify, type CompactJWSHeaderParameters } from 'jose';
import { assertParts, joseStep } from './jose-errors.js';

/** Signs `payload` with PS256; the header is {"alg":"PS256","typ":"JWT"} unless extra fields are given. */
export async function signJws(
  payload: Uint8Array | string,
  key: KeyObject,
  header: Partial<CompactJWSHeaderParameters> = {},
): Promise<string> {
  const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
  // alg first, as in 2C2P's own tokens: {"alg":"PS256","typ":"JWT"} byte for byte.
  const protectedHeader = { alg: 'PS256', typ: 'JWT', ...header };
  protectedHeader.alg = 'PS256';
  return joseStep('JWS signing', () => new CompactSign(bytes).setProtectedHeader(protectedHeader).sign(key));
}

/** Verifies a PS256 compact JWS (extra kid/typ headers accepted, any other alg refused). */
export async function verifyJws(
  token: string,
  key: KeyObject,
): Promise<{ payload: Uint8Array; header: CompactJWSHeaderParameters }> {
  assertParts(token, 3, 'JWS');
  const result = await joseStep('JWS signature verification', () =>
    compactVerify(token, key, { algorithms: ['PS256'] }),
  );
  return { payload: result.payload, header: result.protectedHeader };
}
