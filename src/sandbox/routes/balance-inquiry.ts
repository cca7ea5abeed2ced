// POST /2c2pfrontend/paymentaction/2.0/balanceInquiry: JWS PS256 JSON in, JWS {"alg":"PS256","kid":"default"} out.
import { formatMoney, money } from '../../domain/money.js';
import { signJws, verifyJws } from '../../gateway/envelopes/jws.js';
import { ACTION_CODES } from '../codes.js';
import type { SandboxContext } from '../context.js';
import { textResult, type RouteResult } from '../http-io.js';
import type { MerchantState } from '../model.js';
import { withRequestFault } from '../request-faults.js';
import type { Route } from '../server.js';

function unverifiedPayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  const payload = parts[1];
  if (parts.length !== 3 || payload === undefined || !/^[A-Za-z0-9_-]+$/.test(payload)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

async function signed(
  ctx: SandboxContext,
  content: Record<string, string>,
  wrongSignature: boolean,
): Promise<RouteResult> {
  const key = wrongSignature ? ctx.keys.foreignKey() : ctx.keys.privateKey;
  // The official response header is exactly {"alg":"PS256","kid":"default"}: no typ (undefined drops signJws's default).
  const body = await signJws(JSON.stringify(content), key, { kid: 'default', typ: undefined });
  return { status: 200, contentType: 'text/plain', body };
}

function balance(ctx: SandboxContext, m: MerchantState, version: string): Record<string, string> {
  const available = money(ctx.state.balanceMinor(m), m.merchant.currency);
  return {
    version,
    respCode: '00',
    respDesc: 'Success',
    availableBalance: formatMoney(available),
    currency: available.currency,
  };
}

/** Answers the merchant's available balance (initial + settled − refunded) in its currency. */
export const balanceInquiryRoute: Route = async (r, ctx) => {
  const token = r.body.trim();
  const request = unverifiedPayload(token);
  if (!request) return textResult(400, 'Bad Request');
  const m = ctx.state.merchant(request['merchantID']);
  if (!m) return textResult(400, 'Bad Request: invalid merchant');
  const version = typeof request['version'] === 'string' ? request['version'] : '1.0';
  const verified = await verifyJws(token, m.merchant.merchantPublicKey).then(
    () => true,
    () => false,
  );
  if (!verified) return signed(ctx, { version, respCode: '96', respDesc: ACTION_CODES['96'] }, false);
  return withRequestFault(
    ctx,
    'balanceInquiry',
    ({ wrongSignature }) => signed(ctx, balance(ctx, m, version), wrongSignature),
    {
      key: m.merchant.merchantId,
      busy: () => signed(ctx, { version, respCode: '99', respDesc: ACTION_CODES['99'] }, false),
    },
  );
};
