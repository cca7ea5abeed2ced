// Held payments: a payment whose result is pending (2001, 1001, …) is reported as pending by inquiry and
// notification, and a later approve or decline completes it, even after the token's expiry.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { notificationClaims, startSandboxHarness, type SandboxHarness } from '../../support/sandbox-harness.js';

describe('sandbox pending payments', () => {
  let h: SandboxHarness;
  before(async () => {
    h = await startSandboxHarness();
  });
  after(() => h.close());

  const inquiry = async (invoiceNo: string) => (await h.pgw('paymentInquiry', { invoiceNo })).claims ?? {};
  const lastNotification = () => notificationClaims(h.receiver.received.at(-1)!.body, h.merchant.secret);
  const transaction = (invoiceNo: string) => h.sandbox.ledger().transactions.find((t) => t.invoiceNo === invoiceNo);
  const tokenState = (paymentToken: string) =>
    h.sandbox.ledger().paymentTokens.find((t) => t.paymentToken === paymentToken)?.state;

  it('when a payment is held, then the notification and the inquiry carry the pending code and nothing settles', async () => {
    const { paymentToken, invoiceNo } = await h.token();
    await h.sandbox.holdPayment(paymentToken);
    const note = await lastNotification();
    assert.equal(note['invoiceNo'], invoiceNo);
    assert.equal(note['respCode'], '2001');
    assert.equal(note['respDesc'], 'Transaction in progress');
    assert.equal((await inquiry(invoiceNo))['respCode'], '2001');
    assert.equal(tokenState(paymentToken), 'pending');
    await h.sandbox.clock.advance(2 * 86_400_000);
    assert.equal(transaction(invoiceNo)?.status, 'AP', 'a pending payment is neither authorised nor settled');
  });

  it('when a held payment is approved after the token expired, then it completes as one approved transaction', async () => {
    const { paymentToken, invoiceNo } = await h.token();
    await h.sandbox.holdPayment(paymentToken, '1001');
    const pending = await inquiry(invoiceNo);
    assert.equal(pending['respCode'], '1001');
    await h.sandbox.clock.advance(60 * 60_000); // the token's 30 minutes are long gone
    await h.sandbox.approvePayment(paymentToken);
    const note = await lastNotification();
    assert.equal(note['respCode'], '0000');
    assert.equal(note['referenceNo'], pending['referenceNo'], 'the same payment, completed');
    assert.equal((await inquiry(invoiceNo))['respCode'], '0000');
    assert.deepEqual(
      transaction(invoiceNo)?.history.map((e) => e.status),
      ['AP', 'A'],
    );
    assert.equal(tokenState(paymentToken), 'paid');
    await assert.rejects(h.sandbox.approvePayment(paymentToken), { code: 'ERR_SANDBOX_TOKEN_USED' });
  });

  it('when a held payment is declined, then the inquiry answers the decline code', async () => {
    const { paymentToken, invoiceNo } = await h.token();
    await h.sandbox.holdPayment(paymentToken);
    await h.sandbox.declinePayment(paymentToken, '4005');
    assert.equal((await lastNotification())['respCode'], '4005');
    assert.equal((await inquiry(invoiceNo))['respCode'], '4005');
    assert.equal(transaction(invoiceNo)?.status, 'PF');
  });

  it('when a hold names a code that is not pending, or the token expired unpaid, then it is refused', async () => {
    const { paymentToken } = await h.token();
    await assert.rejects(h.sandbox.holdPayment(paymentToken, '4051'), RangeError);
    await assert.rejects(h.sandbox.holdPayment(paymentToken, '0000'), RangeError);
    await assert.rejects(h.sandbox.declinePayment(paymentToken, '2001'), RangeError);
    await h.sandbox.clock.advance(31 * 60_000);
    await assert.rejects(h.sandbox.holdPayment(paymentToken), { code: 'ERR_SANDBOX_TOKEN_EXPIRED' });
  });

  it('when a payment is held over the control API, then it answers pending', async () => {
    const { paymentToken, invoiceNo } = await h.token();
    const res = await fetch(`${h.baseUrl}/_sandbox/payments/${encodeURIComponent(paymentToken)}/hold`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ respCode: '2001' }),
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { paymentToken, result: 'pending' });
    assert.equal((await inquiry(invoiceNo))['respCode'], '2001');
  });
});
