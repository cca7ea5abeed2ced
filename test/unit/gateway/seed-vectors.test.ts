// The sample tokens, XML and JSON of 2C2P's own documents (test/fixtures/seeds) against our envelopes and
// codecs: tokens decode to the headers and payloads the documents show, documents survive decode → encode.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { decodeBackendNotification } from '../../../src/gateway/codecs/backend-notification.js';
import {
  decodeBalanceInquiryRequest,
  decodeBalanceInquiryResponse,
  encodeBalanceInquiryRequest,
  encodeBalanceInquiryResponse,
} from '../../../src/gateway/codecs/balance-inquiry.js';
import {
  decodePaymentProcessRequest,
  decodePaymentProcessResponse,
  encodePaymentProcessRequest,
  encodePaymentProcessResponse,
} from '../../../src/gateway/codecs/payment-process.js';
import {
  decodePaymentTokenRequest,
  decodePaymentTokenResponse,
  encodePaymentTokenRequest,
  encodePaymentTokenResponse,
} from '../../../src/gateway/codecs/payment-token.js';
import {
  decodeRecurringMaintenanceRequest,
  decodeRecurringMaintenanceResponse,
  encodeRecurringMaintenanceRequest,
  encodeRecurringMaintenanceResponse,
  RECURRING_REQUEST_ORDER,
} from '../../../src/gateway/codecs/recurring-maintenance.js';
import { innerJweOf } from '../../../src/gateway/envelopes/payment-action-envelope.js';

const seed = (name: string) => readFileSync(`test/fixtures/seeds/${name}`, 'utf8');
const BALANCE = seed('000_cbc91f2148bc2446.txt');
const PAYMENT_ACTION = seed('001_b91edb2286d94faa.txt');
const RECURRING = seed('002_b73b3a5fc924b3b7.txt');
const CUSTOMER_TOKEN = seed('003_b3a9156592d7617d.txt');

const tokensIn = (text: string) => [...new Set(text.match(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g) ?? [])];
const xmlBlocks = (text: string, root: string) => text.match(new RegExp(`<${root}>[\\s\\S]*?</${root}>`, 'g')) ?? [];
/** The JSON objects of a document, in order (its `//` remarks removed). */
const jsonBlocks = (text: string) =>
  (text.match(/^\{[\s\S]*?^\}/gm) ?? []).map((block) => block.replace(/\s+\/\/[^"\n]*$/gm, ''));
const b64json = (part: string) =>
  JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
const headerBytes = (token: string) => Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8');

/** An XML document's fields as written (strings), empty elements counted as absent: the encoder writes all 13. */
function xmlFields(xml: string): unknown {
  const withoutEmpty = (node: unknown): unknown => {
    if (node === null || typeof node !== 'object') return node;
    if (Array.isArray(node)) return node.map(withoutEmpty);
    const kept = Object.entries(node as Record<string, unknown>).filter(([, v]) => v !== '');
    return Object.fromEntries(kept.map(([k, v]) => [k, withoutEmpty(v)]));
  };
  return withoutEmpty(new XMLParser({ parseTagValue: false, trimValues: true }).parse(xml));
}

describe('seed vectors: balance inquiry (JWS PS256)', () => {
  const [request, response] = tokensIn(BALANCE);
  const [requestJson, responseJson] = jsonBlocks(BALANCE);

  it('when the sample request token is decoded, then header and payload are what the document shows', () => {
    assert.equal(headerBytes(request ?? ''), '{"alg":"PS256","typ":"JWT"}');
    const payload = b64json(request?.split('.')[1] ?? '');
    assert.deepEqual(payload, JSON.parse(requestJson ?? ''));
    const decoded = decodeBalanceInquiryRequest(JSON.stringify(payload));
    assert.deepEqual(JSON.parse(encodeBalanceInquiryRequest(decoded)), payload);
  });

  it('when the sample response token is decoded, then its kid header is there and the balance keeps all four decimals', () => {
    assert.deepEqual(JSON.parse(headerBytes(response ?? '')), { alg: 'PS256', kid: 'default' });
    const payload = b64json(response?.split('.')[1] ?? '');
    assert.deepEqual(payload, JSON.parse(responseJson ?? ''));
    const decoded = decodeBalanceInquiryResponse(JSON.stringify(payload));
    assert.equal(decoded.availableBalance, '795904449.7206');
    assert.deepEqual(JSON.parse(encodeBalanceInquiryResponse(decoded)), payload);
  });
});

describe('seed vectors: PaymentAction tokens (JWE inside JWS)', () => {
  const tokens = [...tokensIn(PAYMENT_ACTION), ...tokensIn(RECURRING)];

  it('when every sample token is opened one layer, then a PS256 JWS carries a compact RSA-OAEP + A256GCM JWE', () => {
    assert.ok(tokens.length >= 5, `only ${tokens.length} tokens found`);
    for (const token of tokens) {
      assert.equal(headerBytes(token), '{"alg":"PS256","typ":"JWT"}');
      const jwe = innerJweOf(token);
      const parts = jwe.split('.');
      assert.equal(parts.length, 5, 'the JWS payload is a 5-part compact JWE');
      assert.deepEqual(b64json(parts[0] ?? ''), { alg: 'RSA-OAEP', enc: 'A256GCM' });
      const rsaBytes = [256, 512]; // 2048- or 4096-bit keys: the samples use both
      assert.ok(rsaBytes.includes(Buffer.from(parts[1] ?? '', 'base64url').length), 'CEK wrapped by an RSA key');
      assert.equal(Buffer.from(parts[2] ?? '', 'base64url').length, 12, '96-bit GCM IV');
      assert.equal(Buffer.from(parts[4] ?? '', 'base64url').length, 16, '128-bit GCM tag');
      assert.ok(
        rsaBytes.includes(Buffer.from(token.split('.')[2] ?? '', 'base64url').length),
        'PS256 signature of an RSA key',
      );
    }
  });
});

describe('seed vectors: XML documents', () => {
  const cases = [
    {
      root: 'PaymentProcessRequest',
      text: PAYMENT_ACTION,
      roundTrip: (x: string) => encodePaymentProcessRequest(decodePaymentProcessRequest(x)),
    },
    {
      root: 'PaymentProcessResponse',
      text: PAYMENT_ACTION,
      roundTrip: (x: string) => encodePaymentProcessResponse(decodePaymentProcessResponse(x)),
    },
    {
      root: 'RecurringMaintenanceRequest',
      text: RECURRING,
      roundTrip: (x: string) => encodeRecurringMaintenanceRequest(decodeRecurringMaintenanceRequest(x)),
    },
    {
      root: 'RecurringMaintenanceResponse',
      text: RECURRING,
      roundTrip: (x: string) => encodeRecurringMaintenanceResponse(decodeRecurringMaintenanceResponse(x)),
    },
  ];
  for (const { root, text, roundTrip } of cases) {
    it(`when each sample ${root} is decoded and encoded again, then every field comes back unchanged`, () => {
      const samples = xmlBlocks(text, root);
      assert.ok(samples.length > 0, `no ${root} in the seed`);
      for (const sample of samples) assert.deepEqual(xmlFields(roundTrip(sample)), xmlFields(sample));
    });
  }

  it('when a RecurringMaintenanceRequest is encoded, then its elements keep the documented order', () => {
    for (const sample of xmlBlocks(RECURRING, 'RecurringMaintenanceRequest')) {
      const encoded = encodeRecurringMaintenanceRequest(decodeRecurringMaintenanceRequest(sample));
      const order = [...encoded.matchAll(/<(\w+)>/g)]
        .map((m) => m[1])
        .filter((n) => n !== 'RecurringMaintenanceRequest');
      const documented = RECURRING_REQUEST_ORDER.filter((name) => order.includes(name));
      assert.deepEqual(order, documented);
      const sampleOrder = [...sample.matchAll(/<(\w+)>/g)]
        .map((m) => m[1])
        .filter((n) => n !== 'RecurringMaintenanceRequest');
      assert.deepEqual(
        sampleOrder,
        RECURRING_REQUEST_ORDER.filter((name) => sampleOrder.includes(name)),
        'the seed follows the same order',
      );
    }
    assert.equal(RECURRING_REQUEST_ORDER.length, 13);
  });

  it('when the RPP samples are encoded with all 13 elements, then I is byte-exact and each is as long as its ciphertext less the same 63 bytes', () => {
    const requests = xmlBlocks(RECURRING, 'RecurringMaintenanceRequest');
    const ciphertextBytes = (token: string) => Buffer.from(innerJweOf(token).split('.')[3] ?? '', 'base64url').length;
    const requestTokens = tokensIn(RECURRING).filter((_, i) => i % 2 === 0); // request, response, request, …
    assert.equal(requests.length, 3);
    const encoded = requests.map((x) => encodeRecurringMaintenanceRequest(decodeRecurringMaintenanceRequest(x)));
    assert.equal(encoded[0], requests[0]?.replace(/>\s+</g, '><'), 'the I sample shows all 13 elements');
    // AES-GCM keeps the length: U and C were sent with every element (empty where the page shows none).
    assert.deepEqual(
      requestTokens.map((token, i) => ciphertextBytes(token) - (encoded[i]?.length ?? 0)),
      [63, 63, 63],
    );
  });
});

describe('seed vectors: payment with customer token (PGW v4.3 JSON)', () => {
  const [requestJson, responseJson, notificationJson] = jsonBlocks(CUSTOMER_TOKEN);

  it('when the sample payment token request is decoded and encoded, then the stored cards and the amount survive', () => {
    const decoded = decodePaymentTokenRequest(requestJson ?? '');
    assert.deepEqual(decoded.customerToken, ['28052010234224845229', '7305201872122484776']);
    const encoded = encodePaymentTokenRequest(decoded);
    assert.deepEqual(JSON.parse(encoded), JSON.parse(requestJson ?? ''));
    // JSON.parse reads 1000.00 as 1000; what we send is written with the currency's two decimals.
    assert.match(encodePaymentTokenRequest({ ...decoded, amount: '1000.00' }), /"amount":1000\.00[,}]/);
  });

  it('when the sample response and the accountNo notification are decoded, then every documented field is read', () => {
    const response = decodePaymentTokenResponse(responseJson ?? '');
    assert.deepEqual(JSON.parse(encodePaymentTokenResponse(response)), JSON.parse(responseJson ?? ''));
    const notification = decodeBackendNotification(JSON.parse(notificationJson ?? '') as Record<string, unknown>);
    assert.equal(notification.invoiceNo, '280520075921');
    assert.equal(notification.customerToken, '28052010234224845229');
    assert.equal(notification.respCode, '0000');
    assert.match(JSON.stringify(notification), /411111XXXXXX1111/, 'accountNo is accepted as the masked card');
  });
});
