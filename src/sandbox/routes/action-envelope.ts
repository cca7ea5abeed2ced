// Opens and seals PaymentAction messages: JWS PS256 (merchant key) over JWE RSA-OAEP/A256GCM (sandbox key).
import type { KeyObject } from 'node:crypto';
import { decryptJwe } from '../../gateway/envelopes/jwe.js';
import { verifyJws } from '../../gateway/envelopes/jws.js';
import { sealPaymentAction } from '../../gateway/envelopes/payment-action-envelope.js';
import type { SandboxContext } from '../context.js';
import type { MerchantState } from '../model.js';

/** The inner XML of a PaymentAction request, decrypted but not yet verified. */
export interface OpenedAction {
  readonly token: string;
  readonly xml: string;
}

/** Decrypts the inner JWE with the sandbox key; undefined when the body is not a JWS carrying a JWE for us. */
export async function decryptAction(ctx: SandboxContext, body: string): Promise<OpenedAction | undefined> {
  const token = body.trim();
  const parts = token.split('.');
  const payload = parts[1];
  if (parts.length !== 3 || payload === undefined || !/^[A-Za-z0-9_-]+$/.test(payload)) return undefined;
  try {
    const inner = Buffer.from(payload, 'base64url').toString('utf8');
    return { token, xml: await decryptJwe(inner, ctx.keys.privateKey) };
  } catch {
    return undefined;
  }
}

/** Whether the outer JWS verifies (PS256) with the merchant's registered public key. */
export async function signedByMerchant(token: string, m: MerchantState): Promise<boolean> {
  try {
    await verifyJws(token, m.merchant.merchantPublicKey);
    return true;
  } catch {
    return false;
  }
}

/** Seals an answer for the merchant: encrypted to its key, signed by the sandbox (or a foreign key). */
export async function sealForMerchant(
  ctx: SandboxContext,
  m: MerchantState,
  xml: string,
  wrongSignature = false,
): Promise<string> {
  const signWith: KeyObject = wrongSignature ? ctx.keys.foreignKey() : ctx.keys.privateKey;
  return sealPaymentAction(xml, { signWith, encryptTo: m.merchant.merchantPublicKey });
}
