// The real gateway client against the sandbox over HTTP: every operation round-trips, a year of
// recurring charges arrives as verified notifications, and injected faults surface as the client's typed errors.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { money } from '../../src/domain/money.js';
import { createGatewayClient, type GatewayClient } from '../../src/gateway/client.js';
import { GatewayDeclinedError, GatewayError } from '../../src/gateway/errors.js';
import { planTermsFromInquiry, withPlanChanges } from '../../src/gateway/recurring-plan.js';
import { generateKeyPair, importPrivateKey, importPublicKey, type GatewayKeys } from '../../src/gateway/keys.js';
import { createSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { notificationClaims } from '../support/sandbox-harness.js';
import { startNotificationReceiver, type NotificationReceiver } from '../support/notification-receiver.js';

const DAY = 86_400_000;
const SGD = (minor: number) => money(minor, 'SGD');

describe('gateway client against the sandbox', () => {
  let sandbox: Sandbox;
  let receiver: NotificationReceiver;
  let keys: GatewayKeys;
  let client: GatewayClient;
  let clientFor: (timeoutMs: number) => GatewayClient;
  let invoiceSeq = 0;
  const invoice = (prefix = 'CLI') => `${prefix}${Date.now().toString(36)}${(invoiceSeq += 1)}`;

  before(async () => {
    const merchant = generateKeyPair(2048);
    const secretKey = randomBytes(32).toString('hex');
    receiver = await startNotificationReceiver();
    sandbox = createSandbox({
      merchants: [
        {
          merchantId: 'JT01',
          secretKey,
          merchantPublicKey: importPublicKey(merchant.publicKeyPem),
          currency: 'SGD',
          backendReturnUrl: receiver.url,
        },
      ],
      startAt: new Date('2025-01-15T09:00:00Z'),
      settlementDelayMs: DAY,
      notifications: { attempts: 2, timeoutMs: 1000, retryDelayMs: 5 },
    });
    await sandbox.listen();
    keys = {
      merchantPrivateKey: importPrivateKey(merchant.privateKeyPem),
      merchantPublicKey: importPublicKey(merchant.publicKeyPem),
      gatewayPublicKey: importPublicKey(sandbox.publicKeyPem),
      secretKey: new TextEncoder().encode(secretKey),
    };
    const { paymentActionBase, pgwBase } = sandbox.endpoints();
    clientFor = (timeoutMs) =>
      createGatewayClient({
        merchantId: 'JT01',
        keys,
        endpoints: { paymentActionBase, pgwBase },
        timeoutMs,
        now: () => sandbox.clock.now(),
      });
    client = clientFor(5000);
  });
  after(async () => {
    await sandbox.close();
    await receiver.close();
  });

  async function paidInvoice(amountMinor: number): Promise<string> {
    const invoiceNo = invoice();
    const token = await client.paymentToken({ invoiceNo, description: 'item', amount: SGD(amountMinor) });
    await sandbox.approvePayment(token.paymentToken);
    return invoiceNo;
  }

  const declined = (respCode: string) => (e: unknown) => {
    assert.ok(e instanceof GatewayDeclinedError, String(e));
    assert.equal(e.respCode, respCode);
    return true;
  };
  const failsWith = (code: string) => (e: unknown) => {
    assert.ok(e instanceof GatewayError, String(e));
    assert.equal(e.code, code);
    return true;
  };

  it('when the balance is inquired, then it answers 00 in the merchant currency', async () => {
    const balance = await client.balanceInquiry();
    assert.equal(balance.respCode, '00');
    assert.equal(balance.currency, 'SGD');
  });

  it('when a payment is made and managed, then token, inquiry, payment inquiry, settle, refund and refund status round-trip', async () => {
    const invoiceNo = invoice();
    const token = await client.paymentToken({ invoiceNo, description: 'item 1', amount: SGD(10_000) });
    assert.equal(token.respCode, '0000');
    assert.equal((await client.paymentInquiry({ paymentToken: token.paymentToken })).respCode, '0001');
    await sandbox.approvePayment(token.paymentToken);
    const paid = await client.paymentInquiry({ invoiceNo });
    assert.equal(paid.respCode, '0000');
    assert.equal((await client.inquiry({ invoiceNo })).status, 'A');
    await assert.rejects(client.refund({ invoiceNo, amount: SGD(1000) }), declined('12'));
    assert.equal((await client.settle({ invoiceNo })).status, 'RS');
    await sandbox.clock.advance(DAY);
    const refund = await client.refund({ invoiceNo, amount: SGD(2500), idempotencyID: `r-${invoiceNo}` });
    assert.equal(refund.status, 'RF');
    const again = await client.refund({ invoiceNo, amount: SGD(2500), idempotencyID: `r-${invoiceNo}` });
    assert.equal(
      again.refundReferenceNo,
      refund.refundReferenceNo,
      'the same idempotencyID returns the original answer',
    );
    await assert.rejects(client.refund({ invoiceNo, amount: SGD(7501) }), declined('30'));
    const status = await client.refundStatus({ invoiceNo });
    assert.equal(status.refundList?.length, 1);
    assert.equal(sandbox.ledger().refunds.filter((r) => r.invoiceNo === invoiceNo).length, 1);
  });

  it('when a payment is voided before settlement, then V, and after settlement a void is refused with 21', async () => {
    const early = await paidInvoice(2000);
    assert.equal((await client.void({ invoiceNo: early, amount: SGD(2000) })).status, 'V');
    const late = await paidInvoice(2000);
    await sandbox.clock.advance(DAY);
    await assert.rejects(client.void({ invoiceNo: late, amount: SGD(2000) }), declined('21'));
  });

  it('when a recurring token is paid, then a 12-charge monthly plan charges prefix+00001..00012 with one accumulated decline, notified and verified', async () => {
    const start = sandbox.clock.now();
    const first = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 10));
    const prefix = `P${randomBytes(4).toString('hex')}`;
    const from = receiver.received.length;
    const token = await client.paymentToken({
      invoiceNo: invoice('RPP'),
      description: 'monthly plan',
      amount: SGD(3000),
      recurring: {
        invoicePrefix: prefix,
        amount: SGD(3000),
        allowAccumulate: true,
        maxAccumulateAmount: SGD(6000),
        chargeOnDate: { day: 10, month: first.getUTCMonth() + 1 },
        count: 12,
        chargeNextDate: first,
      },
    });
    await sandbox.approvePayment(token.paymentToken);
    const initial = await notificationClaims(receiver.received[from]!.body, keys.secretKey);
    const recurringUniqueID = initial['recurringUniqueID'] as string;
    assert.match(recurringUniqueID, /^\d+$/);
    await sandbox.clock.advanceTo(new Date(first.getTime() + 40 * DAY));
    sandbox.faults.declineNextCharge({ recurringUniqueID });
    await sandbox.clock.advanceTo(new Date(first.getTime() + 400 * DAY));
    const notes = await Promise.all(
      receiver.received.slice(from + 1).map((r) => notificationClaims(r.body, keys.secretKey)),
    );
    const mine = notes.filter((n) => n['recurringUniqueID'] === recurringUniqueID);
    assert.deepEqual(
      mine.map((n) => n['invoiceNo']),
      Array.from({ length: 12 }, (_, i) => `${prefix}${String(i + 1).padStart(5, '0')}`),
    );
    assert.deepEqual(
      mine.map((n) => n['amount']),
      ['30.00', '30.00', '30.00', '60.00', ...Array(8).fill('30.00')],
    );
    assert.equal(mine[2]?.['respCode'], '4051');
    const plan = await client.recurringInquiry({ recurringUniqueID });
    assert.equal(plan.recurringStatus, 'N');
    assert.equal(plan.currentCount, '12');
  });

  it('when a plan is inquired, updated and cancelled, then each answer round-trips and an unknown plan is refused with 16', async () => {
    const prefix = `U${randomBytes(4).toString('hex')}`;
    const from = receiver.received.length;
    const token = await client.paymentToken({
      invoiceNo: invoice('RPP'),
      description: 'plan',
      amount: SGD(990),
      recurring: {
        invoicePrefix: prefix,
        amount: SGD(990),
        allowAccumulate: false,
        maxAccumulateAmount: SGD(0),
        intervalDays: 30,
        count: 0,
        chargeNextDate: new Date(sandbox.clock.now().getTime() + 30 * DAY),
      },
    });
    await sandbox.approvePayment(token.paymentToken);
    const recurringUniqueID = (await notificationClaims(receiver.received[from]!.body, keys.secretKey))[
      'recurringUniqueID'
    ] as string;
    const inquiry = await client.recurringInquiry({ recurringUniqueID });
    assert.equal(inquiry.respReason, 'Inquiry Successful');
    assert.equal(inquiry.amount, '000000000990');
    const current = planTermsFromInquiry(recurringUniqueID, inquiry);
    assert.equal(current.count, 0);
    const update = await client.recurringUpdate(withPlanChanges(current, { amount: SGD(1990), intervalDays: 15 }));
    assert.equal(update.respReason, 'Update Successful');
    const updated = await client.recurringInquiry({ recurringUniqueID });
    assert.deepEqual([updated.recurringInterval, updated.amount], ['15', '000000001990']);
    await assert.rejects(
      client.recurringUpdate({ ...current, intervalDays: 366 }),
      (e: unknown) => e instanceof RangeError || declined('11')(e),
    );
    const cancel = await client.recurringCancel(planTermsFromInquiry(recurringUniqueID, updated));
    assert.equal(cancel.respReason, 'Cancel Successful');
    assert.equal((await client.recurringInquiry({ recurringUniqueID })).recurringStatus, 'N');
    await assert.rejects(client.recurringInquiry({ recurringUniqueID: '99999999' }), declined('16'));
  });

  it('when a stored card is offered (customer token), then the payment is charged to it', async () => {
    const from = receiver.received.length;
    const first = await client.paymentToken({
      invoiceNo: invoice(),
      description: 'store card',
      amount: SGD(100),
      tokenize: true,
    });
    await sandbox.approvePayment(first.paymentToken);
    const customerToken = (await notificationClaims(receiver.received[from]!.body, keys.secretKey))[
      'customerToken'
    ] as string;
    const invoiceNo = invoice();
    const second = await client.paymentToken({
      invoiceNo,
      description: 'stored',
      amount: SGD(100_000),
      customerToken: [customerToken],
    });
    await sandbox.approvePayment(second.paymentToken, { customerToken });
    const result = await client.paymentInquiry({ invoiceNo });
    assert.equal(result.respCode, '0000');
    assert.equal(result.customerToken, customerToken);
  });

  it('when a request is signed by the wrong key, tampered with or carries a guessed secret, then 2C2P codes (96, 9042) or an unreadable answer', async () => {
    const { paymentActionBase, pgwBase } = sandbox.endpoints();
    const endpoints = { paymentActionBase, pgwBase };
    // The signature segment is corrupted in flight: the merchant can still read the sealed 96 answer.
    const tampering: typeof fetch = async (url, init) => {
      const body = String(init?.body ?? '');
      const parts = body.split('.');
      const signature = parts.length === 3 ? Buffer.from(parts[2]!, 'base64url') : undefined;
      if (signature) signature[0] = signature[0]! ^ 0xff;
      const forgedBody = signature ? `${parts[0]}.${parts[1]}.${signature.toString('base64url')}` : body;
      return fetch(url, { ...init, body: forgedBody });
    };
    const tampered = createGatewayClient({ merchantId: 'JT01', keys, endpoints, fetch: tampering });
    await assert.rejects(tampered.inquiry({ invoiceNo: 'ANY' }), declined('96'));
    await assert.rejects(tampered.recurringInquiry({ recurringUniqueID: '1' }), declined('96'));
    // A wholly different merchant key: the balance answer is only signed, so 96 is readable; the sealed
    // PaymentAction answer is encrypted to the registered key, which this client cannot open.
    const stranger = generateKeyPair(2048);
    const wrongKey = createGatewayClient({
      merchantId: 'JT01',
      keys: { ...keys, merchantPrivateKey: importPrivateKey(stranger.privateKeyPem) },
      endpoints,
    });
    await assert.rejects(wrongKey.balanceInquiry(), declined('96'));
    await assert.rejects(wrongKey.inquiry({ invoiceNo: 'ANY' }), failsWith('ERR_GATEWAY_PROTOCOL'));
    const guessed = createGatewayClient({
      merchantId: 'JT01',
      keys: { ...keys, secretKey: new TextEncoder().encode('guessed') },
      endpoints,
    });
    await assert.rejects(
      guessed.paymentToken({ invoiceNo: invoice(), description: 'x', amount: SGD(100) }),
      declined('9042'),
    );
  });

  it('when faults are injected, then 5xx, garbage, a wrong signature and a held connection give unavailable, unavailable, protocol and timeout', async () => {
    sandbox.faults.http5xx({ operation: 'balanceInquiry' });
    await assert.rejects(client.balanceInquiry(), failsWith('ERR_GATEWAY_UNAVAILABLE'));
    sandbox.faults.garbage({ operation: 'inquiry' });
    await assert.rejects(client.inquiry({ invoiceNo: 'ANY' }), failsWith('ERR_GATEWAY_UNAVAILABLE'));
    sandbox.faults.wrongSignature({ operation: 'inquiry' });
    await assert.rejects(client.inquiry({ invoiceNo: 'ANY' }), failsWith('ERR_GATEWAY_PROTOCOL'));
    sandbox.faults.wrongSignature({ operation: 'paymentInquiry' });
    await assert.rejects(client.paymentInquiry({ invoiceNo: 'ANY' }), failsWith('ERR_GATEWAY_PROTOCOL'));
    sandbox.faults.wrongSignature({ operation: 'balanceInquiry' });
    await assert.rejects(client.balanceInquiry(), failsWith('ERR_GATEWAY_PROTOCOL'));
    sandbox.faults.timeout({ operation: 'recurringInquiry' });
    await assert.rejects(clientFor(300).recurringInquiry({ recurringUniqueID: '1' }), failsWith('ERR_GATEWAY_TIMEOUT'));
    assert.deepEqual(sandbox.faults.snapshot().requests, []);
  });

  it("when a busy answer is armed, then the request gets 2C2P's signed busy code, retryable, and the next one its real answer", async () => {
    sandbox.faults.busy({ operation: 'paymentInquiry' });
    assert.equal((await client.paymentInquiry({ invoiceNo: 'NEVERMADE1' })).respCode, '0999');
    assert.equal((await client.paymentInquiry({ invoiceNo: 'NEVERMADE1' })).respCode, '2002');
    sandbox.faults.busy({ operation: 'balanceInquiry', count: 2 });
    for (let i = 0; i < 2; i += 1) {
      await assert.rejects(
        client.balanceInquiry(),
        (error: unknown) => error instanceof GatewayDeclinedError && error.respCode === '99' && error.retryable,
      );
    }
    assert.equal((await client.balanceInquiry()).respCode, '00');
    assert.deepEqual(sandbox.faults.snapshot().requests, []);
  });
});
