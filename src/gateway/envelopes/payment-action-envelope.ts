// The PaymentAction envelope: encrypt-then-sign. A JWS (PS256, sender's key) whose payload is the bytes
// of a compact JWE (RSA-OAEP + A256GCM, to the receiver's key) — exactly the shape of the seed tokens.
import type { KeyObject } from 'node:crypto';
import { decryptJwe, encryptJwe } from './jwe.js';
import { signJws, verifyJws } from './jws.js';

const utf8 = new TextDecoder();

/**
 * Seals a plaintext for the other side.
 * @example const body = await sealPaymentAction(xml, { signWith: merchantPrivateKey, encryptTo: gatewayPublicKey });
 */
export async function sealPaymentAction(
  plaintext: string,
  keys: { signWith: KeyObject; encryptTo: KeyObject },
): Promise<string> {
  const jwe = await encryptJwe(plaintext, keys.encryptTo);
  return signJws(jwe, keys.signWith, { typ: 'JWT' });
}

/**
 * Verifies the outer signature and decrypts the inner JWE; the plaintext is returned only when both succeed,
 * and a bad signature is reported as such even when the JWE would not decrypt either.
 * @example const xml = await openPaymentAction(body, { verifyWith: gatewayPublicKey, decryptWith: merchantPrivateKey });
 */
export async function openPaymentAction(
  token: string,
  keys: { verifyWith: KeyObject; decryptWith: KeyObject },
): Promise<string> {
  // The signature first: a forged token costs no private-key operation.
  const { payload } = await verifyJws(token, keys.verifyWith);
  return decryptJwe(utf8.decode(payload), keys.decryptWith);
}

/** The inner JWE of a PaymentAction token without verifying it (the receiver reads merchantID first). */
export function innerJweOf(token: string): string {
  const payload = token.split('.')[1] ?? '';
  return Buffer.from(payload, 'base64url').toString('utf8');
}
