// The /_sandbox control API: clock, faults, chaos, ledger, completing payments and the public key, all JSON.
import { parseChaosConfig } from './chaos-config.js';
import type { SandboxContext } from './context.js';
import { SandboxError } from './errors.js';
import { applyFaultSpec } from './fault-spec.js';
import { jsonResult, type RouteResult } from './http-io.js';
import type { Route, SandboxRequest } from './server.js';
import { decimalToMoney } from './wire-amounts.js';

function jsonError(status: number, code: string, message: string): RouteResult {
  return jsonResult(status, { error: { code, message } });
}

function parseJson(body: string): Record<string, unknown> {
  if (body.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new TypeError('the body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null) throw new TypeError('the body must be a JSON object or array');
  return value as Record<string, unknown>;
}

function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string`);
  return value;
}

async function advance(ctx: SandboxContext, body: Record<string, unknown>): Promise<RouteResult> {
  if (typeof body['ms'] === 'number') await ctx.clock.advance(body['ms']);
  else if (typeof body['to'] === 'string') {
    const to = new Date(body['to']);
    if (Number.isNaN(to.getTime())) throw new TypeError('to must be an ISO 8601 date-time');
    await ctx.clock.advanceTo(to);
  } else throw new TypeError('give {"ms": number} or {"to": ISO date-time}');
  return jsonResult(200, { now: ctx.clock.now().toISOString() });
}

const PAYMENTS_PREFIX = '/_sandbox/payments/';
const PAYMENT_ACTIONS = new Set(['approve', 'decline', 'hold']);

/**
 * The token and action of `/_sandbox/payments/<token>/<action>`. The token is everything between the prefix
 * and the last segment, so a raw one works as well as a percent-encoded one: base64 tokens hold `+`, `=`
 * and `/`, and a `/` inside the path would otherwise split the token into segments.
 */
export function paymentControlTarget(path: string): { token: string; action: string } | undefined {
  if (!path.toLowerCase().startsWith(PAYMENTS_PREFIX)) return undefined;
  const rest = path.slice(PAYMENTS_PREFIX.length);
  const slash = rest.lastIndexOf('/');
  const action = rest.slice(slash + 1).toLowerCase();
  const encoded = rest.slice(0, Math.max(slash, 0));
  if (slash <= 0 || !PAYMENT_ACTIONS.has(action)) return undefined;
  // decodeURIComponent leaves a raw `+` as it is (it is not form decoding); a stray `%` is a URIError (400).
  return { token: decodeURIComponent(encoded), action };
}

async function payments(r: SandboxRequest, ctx: SandboxContext): Promise<RouteResult | undefined> {
  const target = paymentControlTarget(r.path);
  if (!target || r.method !== 'POST') return undefined;
  const { token, action } = target;
  const body = parseJson(r.body);
  if (action === 'approve') {
    const customerToken = optionalString(body, 'customerToken');
    const cardNumber = optionalString(body, 'cardNumber');
    await ctx.approvePayment(token, {
      ...(customerToken === undefined ? {} : { customerToken }),
      ...(cardNumber === undefined ? {} : { cardNumber }),
    });
    return jsonResult(200, { paymentToken: token, result: 'approved' });
  }
  if (action === 'decline') {
    await ctx.declinePayment(token, optionalString(body, 'respCode'));
    return jsonResult(200, { paymentToken: token, result: 'declined' });
  }
  await ctx.holdPayment(token, optionalString(body, 'respCode'));
  return jsonResult(200, { paymentToken: token, result: 'pending' });
}

async function withdraw(r: SandboxRequest, ctx: SandboxContext, segments: string[]): Promise<RouteResult | undefined> {
  const [merchantId, action] = segments;
  if (segments.length !== 2 || merchantId === undefined || action !== 'withdraw' || r.method !== 'POST')
    return undefined;
  const m = ctx.state.merchant(decodeURIComponent(merchantId));
  if (!m) throw new SandboxError({ message: 'unknown merchant', code: 'ERR_SANDBOX_NOT_FOUND' });
  const amount = optionalString(parseJson(r.body), 'amount');
  if (amount === undefined) throw new TypeError('give {"amount": "10.00"} in the merchant currency');
  ctx.withdraw(m.merchant.merchantId, decimalToMoney(amount, m.merchant.currency));
  const balance = ctx.ledger().merchants.find((x) => x.merchantId === m.merchant.merchantId)?.balance;
  return jsonResult(200, { merchantId: m.merchant.merchantId, balance });
}

async function dispatch(r: SandboxRequest, ctx: SandboxContext): Promise<RouteResult | undefined> {
  const segments = r.path
    .split('/')
    .filter((s) => s !== '')
    .slice(1);
  const key = `${r.method} /${segments.map((s) => s.toLowerCase()).join('/')}`;
  switch (key) {
    case 'GET /':
      return jsonResult(200, {
        routes: [
          'GET /_sandbox/clock',
          'POST /_sandbox/clock/advance {"ms"} | {"to"}',
          'GET|POST|DELETE /_sandbox/faults',
          'GET /_sandbox/chaos',
          'POST /_sandbox/chaos {"seed", "requestFaultRate"?, "requestFaultKinds"?, "appliedShare"?, "timeoutHoldMs"?, "declineRate"?, "refundPendingRate"?, "notifications"?: {"duplicateRate"?, "reorderRate"?, "delayRate"?, "dropRate"?, "delayMs"?}}',
          'DELETE /_sandbox/chaos (turns chaos off, sends held notifications)',
          'GET /_sandbox/ledger',
          'POST /_sandbox/payments/{paymentToken}/approve {"customerToken"?, "cardNumber"?} (token raw or percent-encoded)',
          'POST /_sandbox/payments/{paymentToken}/decline {"respCode"?}',
          'POST /_sandbox/payments/{paymentToken}/hold {"respCode"?}',
          'GET /_sandbox/keys/public.pem',
          'POST /_sandbox/merchants/{merchantId}/withdraw {"amount": "10.00"}',
        ],
      });
    case 'GET /clock':
      return jsonResult(200, { now: ctx.clock.now().toISOString() });
    case 'POST /clock/advance':
      return advance(ctx, parseJson(r.body));
    case 'GET /faults':
      return jsonResult(200, ctx.faults.snapshot());
    case 'POST /faults':
      applyFaultSpec(ctx.faults, parseJson(r.body));
      return jsonResult(200, ctx.faults.snapshot());
    case 'DELETE /faults':
      ctx.faults.clear();
      return jsonResult(200, ctx.faults.snapshot());
    case 'GET /chaos':
      return jsonResult(200, ctx.faults.chaos.snapshot());
    case 'POST /chaos':
      // Parsed whole before anything changes, so a bad body arms nothing.
      ctx.faults.chaos.configure(parseChaosConfig(parseJson(r.body)));
      return jsonResult(200, ctx.faults.chaos.snapshot());
    case 'DELETE /chaos':
      ctx.faults.chaos.off();
      await ctx.releaseHeldNotifications();
      return jsonResult(200, ctx.faults.chaos.snapshot());
    case 'GET /ledger':
      return jsonResult(200, ctx.ledger());
    case 'GET /keys/public.pem':
      return { status: 200, contentType: 'application/x-pem-file', body: ctx.keys.publicKeyPem };
    default:
      if (segments[0]?.toLowerCase() === 'merchants') return withdraw(r, ctx, segments.slice(1));
      return segments[0]?.toLowerCase() === 'payments' ? payments(r, ctx) : undefined;
  }
}

/** Handles every /_sandbox/* request; failures answer `{"error":{"code","message"}}`. */
export const controlRoute: Route = async (r, ctx) => {
  try {
    return (
      (await dispatch(r, ctx)) ?? jsonError(404, 'ERR_SANDBOX_NOT_FOUND', `no control route ${r.method} ${r.path}`)
    );
  } catch (error) {
    if (error instanceof SandboxError) {
      return jsonResult(error.httpStatus, {
        error: { code: error.code, message: error.message, respCode: error.respCode },
      });
    }
    if (error instanceof TypeError || error instanceof RangeError || error instanceof URIError) {
      return jsonError(400, 'ERR_SANDBOX_BAD_REQUEST', error.message);
    }
    return jsonError(500, 'ERR_SANDBOX_INTERNAL', 'internal error');
  }
};
