// The PGW v4.3 envelope: `{"payload": HS256 JWT}` in and out; envelope failures answer bare JSON codes.
import { randomBytes } from 'node:crypto';
import { signHs256Payload, verifyHs256Payload } from '../../gateway/envelopes/hs256.js';
import { pgwDescription } from '../codes.js';
import type { SandboxContext } from '../context.js';
import { jsonResult, type RouteResult } from '../http-io.js';
import type { MerchantState } from '../model.js';

/** A verified PGW request, or the bare error answer to send instead. */
export type PgwRequest =
  | { readonly ok: true; readonly m: MerchantState; readonly claims: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly result: RouteResult };

/** The merchant's HS256 secret as the bytes of its text (how 2C2P's SHA key is used). */
export function secretBytes(m: MerchantState): Uint8Array {
  return new TextEncoder().encode(m.merchant.secretKey);
}

/** A bare `{"respCode","respDesc"}` answer (no payload), as 2C2P gives for envelope and validation failures. */
export function pgwError(code: string, field?: string): RouteResult {
  const respDesc = field && code === '9004' ? `${field} value not valid` : pgwDescription(code);
  return jsonResult(200, { respCode: code, respDesc });
}

function decodeSegment(segment: string | undefined): unknown {
  if (segment === undefined || !/^[A-Za-z0-9_-]+$/.test(segment)) return undefined;
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Opens a PGW request: 6101 body not JSON, 6102 no payload, 6103 not an HS256 JWT, 9007 unknown
 * merchantID, 9042 signature does not verify with that merchant's secret.
 */
export async function openPgwRequest(ctx: SandboxContext, body: string): Promise<PgwRequest> {
  let envelope: unknown;
  try {
    envelope = JSON.parse(body);
  } catch {
    return { ok: false, result: pgwError('6101') };
  }
  const payload = (envelope as { payload?: unknown } | null)?.payload;
  if (typeof payload !== 'string' || payload === '') return { ok: false, result: pgwError('6102') };
  const parts = payload.split('.');
  const header = decodeSegment(parts[0]) as { alg?: unknown } | undefined;
  const unverified = decodeSegment(parts[1]) as { merchantID?: unknown } | undefined;
  if (parts.length !== 3 || header?.alg !== 'HS256' || typeof unverified !== 'object' || unverified === null) {
    return { ok: false, result: pgwError('6103') };
  }
  const m = ctx.state.merchant(unverified.merchantID);
  if (!m) return { ok: false, result: pgwError('9007') };
  try {
    const claims = await verifyHs256Payload(payload, secretBytes(m));
    return { ok: true, m, claims };
  } catch {
    return { ok: false, result: pgwError('9042') };
  }
}

/** A signed `{"payload": JWT}` answer; with `wrongSignature` it is signed with a secret the merchant does not know. */
export async function pgwAnswer(
  m: MerchantState,
  content: Readonly<Record<string, unknown>>,
  wrongSignature = false,
): Promise<RouteResult> {
  const secret = wrongSignature ? new Uint8Array(randomBytes(32)) : secretBytes(m);
  return jsonResult(200, { payload: await signHs256Payload(JSON.stringify(content), secret) });
}
