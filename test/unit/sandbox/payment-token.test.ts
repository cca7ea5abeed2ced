// Payment Token API over HTTP: envelope checks, field validation with 2C2P's codes, idempotency, the hosted page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signHs256Payload } from '../../../src/gateway/envelopes/hs256.js';
import { nextInvoiceNo, startSandboxHarness, type SandboxHarness } from '../../support/sandbox-harness.js';

const recurring = {
  recurring: true,
  invoicePrefix: 'PLAN0001',
  recurringAmount: 10,
  allowAccumulate: true,
  maxAccumulateAmount: 30,
  recurringInterval: 30,
  recurringCount: 12,
  chargeNextDate: '14022025',
};

describe('sandbox payment token API', () => {
  let h: SandboxHarness;
  before(async () => {
    h = await startSandboxHarness();
  });
  after(() => h.close());

  const request = (claims: Record<string, unknown> = {}) =>
    h.pgw('paymentToken', {
      invoiceNo: nextInvoiceNo(),
      description: 'item 1',
      amount: 1000.0,
      currencyCode: 'SGD',
      ...claims,
    });

  it('when a token is requested, then it answers 0000 with a token and a hosted page URL that encodes it', async () => {
    const reply = await request();
    assert.equal(reply.status, 200);
    assert.equal(reply.claims?.['respCode'], '0000');
    const token = reply.claims?.['paymentToken'] as string;
    assert.match(token, /^[A-Za-z0-9+/]+=*$/);
    assert.equal(reply.claims?.['webPaymentUrl'], `${h.baseUrl}/payment/4.3/pay/${encodeURIComponent(token)}`);
    const page = await fetch(reply.claims?.['webPaymentUrl'] as string);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /1000\.00 SGD/);
  });

  it('when the HS256 payload is tampered with, then the answer is a bare 9042 Hash value mismatch', async () => {
    const token = await signHs256Payload(
      JSON.stringify({ merchantID: h.merchant.merchantId, invoiceNo: 'A1', description: 'x', amount: 1 }),
      h.merchant.secret,
    );
    const [head, , sig] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ merchantID: h.merchant.merchantId, invoiceNo: 'A1', description: 'x', amount: 9999 }),
    ).toString('base64url');
    const res = await h.post(
      '/payment/4.3/paymentToken',
      JSON.stringify({ payload: `${head}.${forged}.${sig}` }),
      'application/json',
    );
    assert.deepEqual(JSON.parse(res.text), { respCode: '9042', respDesc: 'Hash value mismatch' });
    const other = await h.pgw(
      'paymentToken',
      { invoiceNo: nextInvoiceNo(), description: 'x', amount: 1 },
      new TextEncoder().encode('not-the-secret'),
    );
    assert.deepEqual(other.body, { respCode: '9042', respDesc: 'Hash value mismatch' });
  });

  it('when the envelope is malformed or the merchant unknown, then bare 6101, 6102, 6103 or 9007', async () => {
    const code = async (body: string) =>
      JSON.parse((await h.post('/payment/4.3/paymentToken', body, 'application/json')).text).respCode;
    assert.equal(await code('not json'), '6101');
    assert.equal(await code('{"nopayload":1}'), '6102');
    assert.equal(await code('{"payload":"a.b"}'), '6103');
    const other = await signHs256Payload(JSON.stringify({ merchantID: 'NOPE', invoiceNo: 'X' }), h.merchant.secret);
    assert.equal(await code(JSON.stringify({ payload: other })), '9007');
  });

  const table: [string, Record<string, unknown>, string][] = [
    ['description missing', { description: undefined }, '9005'],
    ['amount missing', { amount: undefined }, '9005'],
    ['three decimals', { amount: 10.005 }, '9009'],
    ['negative amount', { amount: -1 }, '9009'],
    ['not a number', { amount: 'abc' }, '9009'],
    ['another currency', { currencyCode: 'THB' }, '9010'],
    ['expiry in the past', { paymentExpiry: '2025-01-15 08:00:00' }, '9008'],
    ['malformed expiry', { paymentExpiry: '15/01/2025' }, '9008'],
    ['unknown customer token', { customerToken: ['28052010234224845229'] }, '9202'],
    ['invoice with markup', { invoiceNo: '<x>' }, '9004'],
    ['recurring without prefix', { ...recurring, invoicePrefix: undefined }, '9901'],
    ['recurring prefix too long', { ...recurring, invoicePrefix: 'P'.repeat(16) }, '9901'],
    ['recurring without allowAccumulate', { ...recurring, allowAccumulate: undefined }, '9902'],
    ['recurring without maxAccumulateAmount', { ...recurring, maxAccumulateAmount: undefined }, '9903'],
    ['recurring with neither interval nor chargeOnDate', { ...recurring, recurringInterval: undefined }, '9904'],
    ['recurring without count', { ...recurring, recurringCount: undefined }, '9905'],
    ['recurring with interval and chargeOnDate', { ...recurring, chargeOnDate: '1402' }, '9906'],
    ['recurring interval above 365', { ...recurring, recurringInterval: 366 }, '9906'],
    ['recurring chargeNextDate in the past', { ...recurring, chargeNextDate: '14012025' }, '9907'],
    ['recurring chargeNextDate impossible', { ...recurring, chargeNextDate: '31022025' }, '9907'],
    ['recurring chargeOnDate impossible', { ...recurring, recurringInterval: undefined, chargeOnDate: '3102' }, '9908'],
    ['recurring without chargeNextDate', { ...recurring, chargeNextDate: undefined }, '9909'],
  ];
  for (const [name, claims, expected] of table) {
    it(`when the request has ${name}, then it is refused with ${expected}`, async () => {
      const reply = await request(claims);
      assert.equal(reply.claims, undefined, 'a refusal is bare JSON, not a payload');
      assert.equal(reply.body['respCode'], expected);
      assert.equal(typeof reply.body['respDesc'], 'string');
    });
  }

  it('when an invoice number is used twice, then the second request gets 9015', async () => {
    const invoiceNo = nextInvoiceNo();
    assert.equal((await request({ invoiceNo })).claims?.['respCode'], '0000');
    assert.equal((await request({ invoiceNo })).body['respCode'], '9015');
  });

  it('when a request repeats its idempotencyID, then it gets the original token and no second token exists', async () => {
    const claims = { invoiceNo: nextInvoiceNo(), idempotencyID: `idem-${nextInvoiceNo()}` };
    const first = await request(claims);
    const second = await request(claims);
    assert.equal(second.claims?.['paymentToken'], first.claims?.['paymentToken']);
    assert.equal(h.sandbox.ledger().paymentTokens.filter((t) => t.invoiceNo === claims.invoiceNo).length, 1);
  });

  it('when a valid recurring request arrives, then a token is issued and no plan exists before payment', async () => {
    const reply = await request({ ...recurring, invoicePrefix: 'PLANTOKEN1' });
    assert.equal(reply.claims?.['respCode'], '0000');
    assert.equal(
      h.sandbox.ledger().plans.some((p) => p.invoicePrefix === 'PLANTOKEN1'),
      false,
    );
  });
});
