// Completing payments: approve/decline, token expiry and single use, stored cards (seed 003), payment inquiry.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { formatPaymentExpiry } from '../../../src/domain/wire-dates.js';
import { SandboxError } from '../../../src/sandbox/index.js';
import {
  nextInvoiceNo,
  notificationClaims,
  startSandboxHarness,
  type SandboxHarness,
} from '../../support/sandbox-harness.js';

describe('sandbox payments and payment inquiry', () => {
  let h: SandboxHarness;
  before(async () => {
    h = await startSandboxHarness();
  });
  after(() => h.close());

  const inquiry = (claims: Record<string, unknown>) => h.pgw('paymentInquiry', claims);
  const lastNotification = () => notificationClaims(h.receiver.received.at(-1)!.body, h.merchant.secret);

  it('when a token is approved, then the notification is delivered first and the inquiry shows the payment', async () => {
    const { paymentToken, invoiceNo } = await h.token({ amount: 230.87 });
    assert.equal((await inquiry({ paymentToken })).claims?.['respCode'], '0001');
    const before = h.receiver.received.length;
    await h.sandbox.approvePayment(paymentToken);
    assert.equal(h.receiver.received.length, before + 1);
    const note = await lastNotification();
    assert.equal(note['invoiceNo'], invoiceNo);
    assert.equal(note['amount'], '230.87');
    assert.equal(note['accountNo'], '411111XXXXXX1111');
    assert.equal(note['respCode'], '0000');
    assert.match(note['transactionDateTime'] as string, /^20250115090000$/);
    const byInvoice = await inquiry({ invoiceNo });
    assert.equal(byInvoice.claims?.['respCode'], '0000');
    assert.equal(byInvoice.claims?.['referenceNo'], note['referenceNo']);
    assert.equal(byInvoice.claims?.['currencyCode'], 'SGD');
  });

  it('when a token was paid, then paying it again is refused with 9041', async () => {
    const { paymentToken } = await h.paid();
    await assert.rejects(h.sandbox.approvePayment(paymentToken), (e: unknown) => {
      assert.ok(e instanceof SandboxError);
      assert.equal(e.code, 'ERR_SANDBOX_TOKEN_USED');
      assert.equal(e.respCode, '9041');
      return true;
    });
  });

  it('when a token is declined, then the notification and the inquiry carry the decline code', async () => {
    const { paymentToken, invoiceNo } = await h.token();
    await h.sandbox.declinePayment(paymentToken, '4005');
    assert.equal((await lastNotification())['respCode'], '4005');
    const reply = await inquiry({ invoiceNo });
    assert.equal(reply.claims?.['respCode'], '4005');
    assert.equal(h.sandbox.ledger().transactions.find((t) => t.invoiceNo === invoiceNo)?.status, 'PF');
  });

  it('when the next payment is faulted to decline, then approving it declines it', async () => {
    const { paymentToken } = await h.token();
    h.sandbox.faults.declineNextPayment({ respCode: '4051' });
    await h.sandbox.approvePayment(paymentToken);
    assert.equal((await lastNotification())['respCode'], '4051');
  });

  it('when the payment expiry passes, then the token cannot be paid and the inquiry says 5009', async () => {
    const expiry = formatPaymentExpiry(new Date(h.sandbox.clock.now().getTime() + 10 * 60_000), 'Asia/Bangkok');
    const { paymentToken } = await h.token({ paymentExpiry: expiry });
    await h.sandbox.clock.advance(10 * 60_000);
    await assert.rejects(h.sandbox.approvePayment(paymentToken), { code: 'ERR_SANDBOX_TOKEN_EXPIRED' });
    assert.equal((await inquiry({ paymentToken })).claims?.['respCode'], '5009');
  });

  it('when no expiry is given, then the token expires after 30 minutes', async () => {
    const { paymentToken } = await h.token();
    await h.sandbox.clock.advance(29 * 60_000);
    assert.equal((await inquiry({ paymentToken })).claims?.['respCode'], '0001');
    await h.sandbox.clock.advance(60_000);
    assert.equal(h.sandbox.ledger().paymentTokens.find((t) => t.paymentToken === paymentToken)?.state, 'expired');
  });

  it('when nothing matches, then the inquiry answers 2002, and without keys it is a bare 9005', async () => {
    assert.equal((await inquiry({ invoiceNo: 'NOSUCHINVOICE' })).claims?.['respCode'], '2002');
    assert.equal((await inquiry({})).body['respCode'], '9005');
  });

  it('when a tokenized card is offered again (seed 003), then the payment charges the stored card and names its token', async () => {
    const { invoiceNo } = await h.paid({ tokenize: true });
    const first = await lastNotification();
    const customerToken = first['customerToken'] as string;
    assert.match(customerToken, /^\d{20}$/);
    assert.equal(first['invoiceNo'], invoiceNo);
    const second = await h.token({ customerToken: [customerToken], customerTokenOnly: true, amount: 1000.0 });
    await h.sandbox.approvePayment(second.paymentToken, { customerToken });
    const note = await lastNotification();
    assert.equal(note['customerToken'], customerToken);
    assert.equal(note['accountNo'], first['accountNo']);
    assert.equal(note['amount'], '1000.00');
  });

  it('when a stored card is not offered by the token, then approval is refused with 9202', async () => {
    const { paymentToken } = await h.token();
    await assert.rejects(h.sandbox.approvePayment(paymentToken, { customerToken: '12345678901234567890' }), {
      respCode: '9202',
    });
  });

  it('when a test card number is given, then only its masked form is kept', async () => {
    const { paymentToken, invoiceNo } = await h.token();
    await h.sandbox.approvePayment(paymentToken, { cardNumber: '5555555555554444' });
    const tx = h.sandbox.ledger().transactions.find((t) => t.invoiceNo === invoiceNo);
    assert.equal(tx?.maskedPan, '555555XXXXXX4444');
    assert.doesNotMatch(JSON.stringify(h.sandbox.ledger()), /5555555555554444/);
    await assert.rejects(
      h.sandbox.approvePayment((await h.token()).paymentToken, { cardNumber: '4111111111111112' }),
      RangeError,
    );
  });

  it('when a payment is approved, then an unknown token is refused with ERR_SANDBOX_NOT_FOUND', async () => {
    await assert.rejects(h.sandbox.approvePayment('nope'), { code: 'ERR_SANDBOX_NOT_FOUND' });
    await assert.rejects(h.sandbox.declinePayment(nextInvoiceNo(), '0000'), RangeError);
  });
});
