// JWS PS256 compact signatures (balance inquiry, and the outer layer of PaymentAction messages), on node:crypto.
import type { KeyObject } from 'node:crypto';
import { GatewayProtocolError } from '../errors.js';
import { assertRsaKey, decodePart, encodePart, parseProtectedHeader } from './compact-serialization.js';
import { assertParts, joseStep } from './jose-errors.js';
import { signPs256, verifyPs256 } from './rsa-operations.js';

/** A JWS protected header: `alg` is always PS256; `typ`, `kid` and other members as given (undefined drops one). */
export interface JwsHeader {
  alg?: string;
  typ?: string;
  kid?: string;
  [parameter: string]: unknown;
}

/** Signs `payload` with PS256; the header is {"alg":"PS256","typ":"JWT"} unless extra fields are given. */
export async function signJws(payload: Uint8Array | string, key: KeyObject, header: JwsHeader = {}): Promise<string> {
  // alg first, as in 2C2P's own tokens: {"alg":"PS256","typ":"JWT"} byte for byte.
  const protectedHeader = { alg: 'PS256', typ: 'JWT', ...header };
  protectedHeader.alg = 'PS256';
  return joseStep('JWS signing', async () => {
    assertRsaKey(key, 'private', 'PS256');
    if (header['crit'] !== undefined) throw new TypeError('critical header extensions are not supported');
    const signingInput = `${encodePart(JSON.stringify(protectedHeader))}.${encodePart(payload)}`;
    const signature = await signPs256(Buffer.from(signingInput, 'latin1'), key);
    return `${signingInput}.${signature.toString('base64url')}`;
  });
}

/** Verifies a PS256 compact JWS (extra kid/typ headers accepted, any other alg refused). */
export async function verifyJws(token: string, key: KeyObject): Promise<{ payload: Uint8Array; header: JwsHeader }> {
  assertParts(token, 3, 'JWS');
  return joseStep('JWS signature verification', async () => {
    assertRsaKey(key, 'public', 'PS256');
    const [headerPart = '', payloadPart = '', signaturePart = ''] = token.split('.');
    const header = parseProtectedHeader(headerPart, 'JWS header');
    if (header.alg !== 'PS256') throw new GatewayProtocolError({ reason: 'JWS alg is not PS256' });
    const signature = decodePart(signaturePart, 'JWS signature');
    const signingInput = Buffer.from(token.slice(0, headerPart.length + 1 + payloadPart.length), 'latin1');
    if (!verifyPs256(signingInput, signature, key)) throw new Error('signature mismatch');
    const payload = decodePart(payloadPart, 'JWS payload');
    return { payload: new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength), header };
  });
}
