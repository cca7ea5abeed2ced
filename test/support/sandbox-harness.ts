// A sandbox on 127.0.0.1:0 with one generated merchant, a notification receiver, and raw request helpers
// (built from the gateway envelopes, not the client) for tests that speak the wire protocol directly.
import { createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { decodePaymentProcessResponse } from '../../src/gateway/codecs/payment-process.js';
import { decodeRecurringMaintenanceResponse } from '../../src/gateway/codecs/recurring-maintenance.js';
import { signHs256Payload, verifyHs256Payload } from '../../src/gateway/envelopes/hs256.js';
import { signJws, verifyJws } from '../../src/gateway/envelopes/jws.js';
import { openPaymentAction, sealPaymentAction } from '../../src/gateway/envelopes/payment-action-envelope.js';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { startNotificationReceiver, type NotificationReceiver } from './notification-receiver.js';

/** The merchant a harness registers: its key pair and HS256 secret. */
export interface HarnessMerchant {
  merchantId: string;
  secretKey: string;
  secret: Uint8Array;
  privateKey: KeyObject;
  publicKey: KeyObject;
  privateKeyPem: string;
  publicKeyPem: string;
}

/** What a PGW call returned: HTTP status, the raw JSON body, and the verified payload claims if any. */
export interface PgwReply {
  status: number;
  body: Record<string, unknown>;
  claims?: Record<string, unknown>;
}

/** A running sandbox with its merchant, receiver and raw wire helpers. */
export interface SandboxHarness {
  sandbox: Sandbox;
  baseUrl: string;
  merchant: HarnessMerchant;
  gatewayPublicKey: KeyObject;
  receiver: NotificationReceiver;
  /** POSTs `{"payload": HS256(claims)}` to /payment/4.3/{op}; `secret` overrides the merchant's. */
  pgw(op: 'paymentToken' | 'paymentInquiry', claims: Record<string, unknown>, secret?: Uint8Array): Promise<PgwReply>;
  /** POSTs a sealed PaymentAction XML; answers the decoded response (`fields`) or the raw text. */
  action(
    xml: string,
    signWith?: KeyObject,
  ): Promise<{ status: number; text: string; fields?: Record<string, unknown> }>;
  /** POSTs a raw body to a path and returns status and text. */
  post(
    path: string,
    body: string,
    contentType?: string,
  ): Promise<{ status: number; text: string; contentType: string }>;
  /** Creates a payment token (asserting respCode 0000) for a fresh invoice; returns token and invoice. */
  token(claims?: Record<string, unknown>): Promise<{ paymentToken: string; invoiceNo: string; webPaymentUrl: string }>;
  /** Creates and approves a payment; returns its invoice number. */
  paid(claims?: Record<string, unknown>): Promise<{ invoiceNo: string; paymentToken: string }>;
  /** Signs a balance inquiry JSON payload with `signWith` (default: the merchant key) and posts it. */
  balance(
    payload: Record<string, unknown>,
    signWith?: KeyObject,
  ): Promise<{ status: number; text: string; json?: Record<string, unknown> }>;
  close(): Promise<void>;
}

let sequence = 0;

/** A fresh invoice number, unique within the test process. */
export function nextInvoiceNo(prefix = 'INV'): string {
  sequence += 1;
  return `${prefix}${Date.now().toString(36)}${sequence}`;
}

/** Generates a merchant (RSA-2048 keys, random hex secret). */
export function generateMerchant(merchantId = 'JT01'): HarnessMerchant {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const secretKey = randomBytes(32).toString('hex');
  return {
    merchantId,
    secretKey,
    secret: new TextEncoder().encode(secretKey),
    privateKey,
    publicKey,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

const xmlEscape = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Builds `<root><k>v</k>…</root>` in the given order (values escaped). */
export function xmlOf(root: string, fields: Record<string, string>): string {
  const body = Object.entries(fields)
    .map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
    .join('');
  return `<${root}>${body}</${root}>`;
}

/** Starts a sandbox (startAt 2025-01-15T09:00Z unless given) with one merchant and a receiver as its backend URL. */
export async function startSandboxHarness(
  options: Partial<SandboxOptions> & { merchant?: HarnessMerchant } = {},
): Promise<SandboxHarness> {
  const merchant = options.merchant ?? generateMerchant();
  const receiver = await startNotificationReceiver();
  const sandbox = createSandbox({
    startAt: new Date('2025-01-15T09:00:00Z'),
    notifications: { attempts: 3, timeoutMs: 1000, retryDelayMs: 5 },
    ...options,
    merchants: options.merchants ?? [
      {
        merchantId: merchant.merchantId,
        secretKey: merchant.secretKey,
        merchantPublicKey: merchant.publicKey,
        currency: 'SGD',
        backendReturnUrl: receiver.url,
      },
    ],
  });
  const { baseUrl } = await sandbox.listen();
  const gatewayPublicKey = createPublicKey(sandbox.publicKeyPem);
  const post: SandboxHarness['post'] = async (path, body, contentType = 'text/plain') => {
    const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });
    return { status: res.status, text: await res.text(), contentType: res.headers.get('content-type') ?? '' };
  };
  const harness: SandboxHarness = {
    sandbox,
    baseUrl,
    merchant,
    gatewayPublicKey,
    receiver,
    post,
    async pgw(op, claims, secret = merchant.secret) {
      const payload = await signHs256Payload(JSON.stringify({ merchantID: merchant.merchantId, ...claims }), secret);
      const res = await post(`/payment/4.3/${op}`, JSON.stringify({ payload }), 'application/json');
      const body = JSON.parse(res.text) as Record<string, unknown>;
      const reply: PgwReply = { status: res.status, body };
      if (typeof body['payload'] === 'string')
        reply.claims = await verifyHs256Payload(body['payload'], merchant.secret);
      return reply;
    },
    async action(xml, signWith = merchant.privateKey) {
      const token = await sealPaymentAction(xml, { signWith, encryptTo: gatewayPublicKey });
      const res = await post('/2C2PFrontend/PaymentAction/2.0/action', token);
      if (res.status !== 200) return { status: res.status, text: res.text };
      const plain = await openPaymentAction(res.text, {
        verifyWith: gatewayPublicKey,
        decryptWith: merchant.privateKey,
      });
      const fields = plain.includes('<RecurringMaintenanceResponse')
        ? decodeRecurringMaintenanceResponse(plain)
        : decodePaymentProcessResponse(plain);
      return { status: res.status, text: plain, fields: fields as unknown as Record<string, unknown> };
    },
    async token(claims = {}) {
      const invoiceNo = nextInvoiceNo();
      const reply = await harness.pgw('paymentToken', {
        invoiceNo,
        description: 'test payment',
        amount: 10.5,
        currencyCode: 'SGD',
        ...claims,
      });
      if (reply.claims?.['respCode'] !== '0000') throw new Error(`paymentToken failed: ${JSON.stringify(reply.body)}`);
      return {
        paymentToken: reply.claims['paymentToken'] as string,
        webPaymentUrl: reply.claims['webPaymentUrl'] as string,
        invoiceNo: (claims['invoiceNo'] as string | undefined) ?? invoiceNo,
      };
    },
    async paid(claims = {}) {
      const { paymentToken, invoiceNo } = await harness.token(claims);
      await sandbox.approvePayment(paymentToken);
      return { invoiceNo, paymentToken };
    },
    async balance(payload, signWith = merchant.privateKey) {
      const token = await signJws(JSON.stringify(payload), signWith, { alg: 'PS256', typ: 'JWT' });
      const res = await post('/2c2pfrontend/paymentaction/2.0/balanceInquiry', token);
      if (res.status !== 200) return { status: res.status, text: res.text };
      const verified = await verifyJws(res.text, gatewayPublicKey);
      return { status: res.status, text: res.text, json: JSON.parse(new TextDecoder().decode(verified.payload)) };
    },
    async close() {
      await sandbox.close();
      await receiver.close();
    },
  };
  return harness;
}

/** Decodes a received backend notification body and verifies it with the merchant secret. */
export async function notificationClaims(body: string, secret: Uint8Array): Promise<Record<string, unknown>> {
  const parsed = JSON.parse(body) as { payload: string };
  return verifyHs256Payload(parsed.payload, secret);
}

/** Payment Token claims of a small daily recurring plan (3 charges of 5.00) for invoice prefix `prefix`. */
export function dailyPlanClaims(prefix: string): Record<string, unknown> {
  return {
    recurring: true,
    invoicePrefix: prefix,
    recurringAmount: 5,
    allowAccumulate: false,
    maxAccumulateAmount: 0,
    recurringInterval: 1,
    recurringCount: 3,
    chargeNextDate: '16012025',
  };
}

/** Calls a sandbox at `baseUrl` with an optional JSON (or raw string) body; answers status, text and JSON. */
export async function callSandboxAt(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; type: string; text: string; json: any }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : {
          body: typeof body === 'string' ? body : JSON.stringify(body),
          headers: { 'content-type': 'application/json' },
        }),
  });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, type, text, json: type.includes('json') ? JSON.parse(text) : undefined };
}
