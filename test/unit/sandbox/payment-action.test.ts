// PaymentAction over HTTP: envelope checks, then inquiry, void, settle, refund and refund status with 2C2P's codes.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { formatMoney } from '../../../src/domain/money.js';
import { signJws } from '../../../src/gateway/envelopes/jws.js';
import { sealPaymentAction } from '../../../src/gateway/envelopes/payment-action-envelope.js';
import { startSandboxHarness, xmlOf, type SandboxHarness } from '../../support/sandbox-harness.js';

const DAY = 86_400_000;

describe('sandbox PaymentAction', () => {
  let h: SandboxHarness;
  before(async () => {
    h = await startSandboxHarness({ settlementDelayMs: DAY });
  });
  after(() => h.close());

  const act = (processType: string, invoiceNo: string, extra: Record<string, string> = {}) =>
    h.action(
      xmlOf('PaymentProcessRequest', {
        version: '3.8',
        timeStamp: '150125090000',
        merchantID: h.merchant.merchantId,
        invoiceNo,
        ...extra,
        processType,
      }),
    );
  const code = async (p: Promise<{ fields?: Record<string, unknown> }>) => (await p).fields?.['respCode'];

  it('when the body is not a JWS over a JWE for the sandbox, then HTTP 400 plain text', async () => {
    assert.equal((await h.post('/2C2PFrontend/PaymentAction/2.0/action', 'garbage')).status, 400);
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const sealedForOther = await sealPaymentAction('<PaymentProcessRequest/>', {
      signWith: h.merchant.privateKey,
      encryptTo: otherKey,
    });
    const res = await h.post('/2C2PFrontend/PaymentAction/2.0/action', sealedForOther);
    assert.equal(res.status, 400);
    assert.match(res.contentType, /^text\/plain/);
    const jwsOnly = await signJws('<PaymentProcessRequest/>', h.merchant.privateKey, { alg: 'PS256', typ: 'JWT' });
    assert.equal((await h.post('/2C2PFrontend/PaymentAction/2.0/action', jwsOnly)).status, 400);
  });

  it('when the merchantID is unknown, then HTTP 400', async () => {
    const res = await h.action(
      xmlOf('PaymentProcessRequest', { version: '3.8', merchantID: 'NOPE', invoiceNo: 'X', processType: 'I' }),
    );
    assert.equal(res.status, 400);
  });

  it('when the request is signed by a key other than the merchant registered, then a sealed answer with 96', async () => {
    const { invoiceNo } = await h.paid();
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const res = await h.action(
      xmlOf('PaymentProcessRequest', {
        version: '3.8',
        merchantID: h.merchant.merchantId,
        invoiceNo,
        processType: 'I',
      }),
      stranger,
    );
    assert.equal(res.status, 200);
    assert.equal(res.fields?.['respCode'], '96');
  });

  it('when an authorised payment is inquired, then 00 with status A and the response echoes version and timeStamp', async () => {
    const { invoiceNo } = await h.paid({ amount: 105 });
    const res = await act('I', invoiceNo);
    assert.equal(res.fields?.['respCode'], '00');
    assert.equal(res.fields?.['status'], 'A');
    assert.equal(res.fields?.['amount'], '105.00');
    assert.equal(res.fields?.['version'], '3.8');
    assert.equal(res.fields?.['timeStamp'], '150125090000');
    assert.equal(res.fields?.['maskedPan'], '411111XXXXXX1111');
  });

  it('when fields are missing, the type is unknown or the invoice does not exist, then 10, 17 and 16', async () => {
    assert.equal(
      await code(
        h.action(
          xmlOf('PaymentProcessRequest', { version: '3.8', merchantID: h.merchant.merchantId, processType: 'I' }),
        ),
      ),
      '10',
    );
    assert.equal(await code(act('X', 'ANY')), '17');
    assert.equal(await code(act('I', 'NOSUCHINVOICE')), '16');
  });

  it('when a payment is voided before settlement, then V; again 29; and it never settles', async () => {
    const { invoiceNo } = await h.paid({ amount: 25 });
    assert.equal(await code(act('V', invoiceNo, { actionAmount: '24.00' })), '18');
    const res = await act('V', invoiceNo, { actionAmount: '25.00' });
    assert.equal(res.fields?.['status'], 'V');
    assert.equal(await code(act('V', invoiceNo, { actionAmount: '25.00' })), '29');
    await h.sandbox.clock.advance(2 * DAY);
    assert.equal((await act('I', invoiceNo)).fields?.['status'], 'V');
    assert.equal(await code(act('R', invoiceNo, { actionAmount: '25.00' })), '12');
  });

  it('when a payment is settled explicitly, then RS, then 32, then S at the settlement time', async () => {
    const { invoiceNo } = await h.paid();
    assert.equal((await act('S', invoiceNo)).fields?.['status'], 'RS');
    assert.equal(await code(act('S', invoiceNo)), '32');
    await h.sandbox.clock.advance(DAY);
    assert.equal((await act('I', invoiceNo)).fields?.['status'], 'S');
    assert.equal(await code(act('V', invoiceNo, { actionAmount: '10.50' })), '21');
  });

  it('when refunds are requested, then only after settlement, partially, never beyond the amount', async () => {
    const { invoiceNo } = await h.paid({ amount: 100 });
    assert.equal(await code(act('R', invoiceNo, { actionAmount: '10.00' })), '12');
    await h.sandbox.clock.advance(DAY);
    assert.equal(await code(act('R', invoiceNo)), '10');
    assert.equal(await code(act('R', invoiceNo, { actionAmount: '10.001' })), '18');
    assert.equal(await code(act('R', invoiceNo, { actionAmount: '100.01' })), '40');
    const first = await act('R', invoiceNo, { actionAmount: '60.00' });
    assert.equal(first.fields?.['respCode'], '00');
    assert.equal(first.fields?.['status'], 'RF');
    assert.equal(first.fields?.['amount'], '60.00');
    assert.match(String(first.fields?.['refundReferenceNo']), /^\d+$/);
    assert.equal(await code(act('R', invoiceNo, { actionAmount: '40.01' })), '30');
    assert.equal(await code(act('R', invoiceNo, { actionAmount: '40.00' })), '00');
    const status = await act('RS', invoiceNo);
    assert.equal(status.fields?.['status'], 'S');
    assert.match(status.text, /<refund [^>]*amount="60.00"[^>]*status="RF"/);
    const tx = h.sandbox.ledger().transactions.find((t) => t.invoiceNo === invoiceNo);
    assert.deepEqual(tx?.refundedAmount, { minor: 10000, currency: 'SGD' });
    assert.deepEqual(tx?.settledAmount, { minor: 10000, currency: 'SGD' });
  });

  it('when a refund repeats its idempotencyID, then the original answer returns and only one refund exists', async () => {
    const { invoiceNo } = await h.paid({ amount: 50 });
    await h.sandbox.clock.advance(DAY);
    const first = await act('R', invoiceNo, { actionAmount: '20.00', idempotencyID: `idem-${invoiceNo}` });
    const again = await act('R', invoiceNo, { actionAmount: '20.00', idempotencyID: `idem-${invoiceNo}` });
    assert.equal(again.fields?.['refundReferenceNo'], first.fields?.['refundReferenceNo']);
    assert.equal(h.sandbox.ledger().refunds.filter((r) => r.invoiceNo === invoiceNo).length, 1);
  });

  it('when the balance cannot cover a refund, then 46', async () => {
    const { invoiceNo } = await h.paid({ amount: 30 });
    await h.sandbox.clock.advance(DAY);
    const balance = h.sandbox.ledger().merchants[0]!.balance;
    h.sandbox.withdraw(h.merchant.merchantId, { minor: balance.minor - 1000, currency: 'SGD' });
    assert.equal(await code(act('R', invoiceNo, { actionAmount: '10.01' })), '46');
    assert.equal(await code(act('R', invoiceNo, { actionAmount: '10.00' })), '00');
  });

  it('when refunds are faulted to pending, then 42 with status RP, and RF after the next clock advance', async () => {
    const { invoiceNo } = await h.paid({ amount: 15 });
    await h.sandbox.clock.advance(DAY);
    h.sandbox.faults.refundPending();
    const res = await act('R', invoiceNo, { actionAmount: '15.00' });
    assert.equal(res.fields?.['respCode'], '42');
    assert.equal(res.fields?.['status'], 'RP');
    assert.match((await act('RS', invoiceNo)).text, /status="RP"/);
    await h.sandbox.clock.advance(0);
    assert.match((await act('RS', invoiceNo)).text, /status="RF"/);
  });

  it('when the balance is inquired, then it is signed with kid default and counts settled minus refunded', async () => {
    const res = await h.balance({ merchantID: h.merchant.merchantId, version: '1.0' });
    assert.equal(res.json?.['respCode'], '00');
    assert.equal(res.json?.['currency'], 'SGD');
    const header = JSON.parse(Buffer.from(res.text.split('.')[0]!, 'base64url').toString('utf8'));
    assert.deepEqual(header, { alg: 'PS256', kid: 'default' });
    const expected = h.sandbox.ledger().merchants[0]!.balance;
    assert.equal(res.json?.['availableBalance'], formatMoney(expected));
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    assert.equal(
      (await h.balance({ merchantID: h.merchant.merchantId, version: '1.0' }, stranger)).json?.['respCode'],
      '96',
    );
    assert.equal((await h.balance({ merchantID: 'NOPE', version: '1.0' })).status, 400);
  });
});
