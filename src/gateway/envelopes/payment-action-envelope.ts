// The PaymentAction envelope: encrypt-then-sign. A JWS (PS256, sender's key) whose payload is the bytes
// of a compact JWE (RSA-OAEP + A256GCM, to the receiver's key) — exactly the shape of the seed tokens.
import type { KeyObject } from 'node:crypto';
import { decryptJwe, encryptJwe } from './jwe.js';
import { signJws, verifyJws } from './jws.js';

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
  // Both at once: the RSA helper thread checks the signature while this thread unwraps the content key, which
  // takes the check off a lone caller's latency. Nothing decrypted leaves unless the signature holds; the cost
  // is one private-key operation spent on a forged token (2C2P answers come over TLS, the sandbox is local).
  const [signature, plaintext] = await Promise.allSettled([
    verifyJws(token, keys.verifyWith, { meanwhile: true }),
    decryptJwe(innerJweOf(token), keys.decryptWith),
  ]);
  if (signature.status === 'rejected') throw signature.reason;
  if (plaintext.status === 'rejected') throw plaintext.reason;
  return plaintext.value;
}

/** The inner JWE of a PaymentAction token without verifying it (the receiver reads merchantID first). */
export function innerJweOf(token: string): string {
  const payload = token.split('.')[1] ?? '';
  return Buffer.from(payload, 'base64url').toString('utf8');
}
