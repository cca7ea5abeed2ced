// The sandbox state file: what one sandbox leaves behind, another restores exactly; bad files are refused.
import { RECURRING_REQUEST_ORDER } from '../../../src/gateway/codecs/recurring-maintenance.js';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSandbox, SandboxError, type SandboxLedger } from '../../../src/sandbox/index.js';
import {
  generateMerchant,
  notificationClaims,
  startSandboxHarness,
  xmlOf,
  type SandboxHarness,
} from '../../support/sandbox-harness.js';

const DAY = 86_400_000;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'recur-sandbox-state-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** RPP inquiry and Payment Inquiry answers (decoded), for comparing two sandboxes. */
async function answers(h: SandboxHarness, recurringUniqueID: string, invoiceNos: string[]) {
  const fields: Record<string, string> = {
    version: '2.4',
    timeStamp: '150125090000',
    merchantID: h.merchant.merchantId,
    recurringUniqueID,
    processType: 'I',
  };
  const rpp = await h.action(
    xmlOf('RecurringMaintenanceRequest', Object.fromEntries(RECURRING_REQUEST_ORDER.map((k) => [k, fields[k] ?? '']))),
  );
  const inquiries = [];
  for (const invoiceNo of invoiceNos) inquiries.push((await h.pgw('paymentInquiry', { invoiceNo })).claims);
  return { rpp: rpp.fields, inquiries };
}

describe('sandbox state file', () => {
  it('when a sandbox with a plan, a charge, a refund and a held payment is closed and reopened from its file, then the ledger and the inquiries answer the same', async () => {
    const stateFile = join(dir, 'round-trip', 'state.json');
    const merchant = generateMerchant();
    const first = await startSandboxHarness({ merchant, stateFile, settlementDelayMs: DAY });
    const from = first.receiver.received.length;
    const plan = await first.paid({
      amount: 10,
      recurring: true,
      invoicePrefix: 'KEEP000001',
      recurringAmount: 10,
      allowAccumulate: true,
      maxAccumulateAmount: 30,
      recurringCount: 12,
      recurringInterval: 30,
      chargeNextDate: '01022025',
    });
    const paidNote = await notificationClaims(first.receiver.received[from]!.body, merchant.secret);
    const recurringUniqueID = paidNote['recurringUniqueID'] as string;
    await first.sandbox.clock.advanceTo(new Date('2025-02-03T00:00:00Z'));
    const refund = await first.action(
      xmlOf('PaymentProcessRequest', {
        version: '3.8',
        timeStamp: '030225000000',
        merchantID: merchant.merchantId,
        invoiceNo: plan.invoiceNo,
        actionAmount: '4.00',
        processType: 'R',
        idempotencyID: 'refund-keep-1',
      }),
    );
    assert.equal(refund.fields?.['respCode'], '00');
    const held = await first.token({ amount: 7.25 });
    await first.sandbox.holdPayment(held.paymentToken);
    const before = first.sandbox.ledger();
    assert.equal(before.transactions.length, 3, 'first payment, one recurring charge, the held payment');
    assert.equal(before.refunds.length, 1);
    assert.ok(before.notifications.some((n) => n.respCode === '2001' && n.invoiceNo === held.invoiceNo));
    const invoices = before.transactions.map((t) => t.invoiceNo);
    const answered = await answers(first, recurringUniqueID, invoices);
    await first.close();

    const text = readFileSync(stateFile, 'utf8');
    assert.ok(
      !text.includes(merchant.secretKey) && !text.includes('PRIVATE KEY') && !text.includes('4111111111111111'),
    );

    const second = await startSandboxHarness({ merchant, stateFile, settlementDelayMs: DAY });
    try {
      const restored: SandboxLedger = second.sandbox.ledger();
      assert.deepEqual(restored, before);
      assert.deepEqual(await answers(second, recurringUniqueID, invoices), answered);
      assert.equal(answered.rpp?.['respCode'], '00');
      // The counters resumed: a new payment gets a reference number the first sandbox never issued.
      const next = await second.paid({ amount: 1 });
      const issued = second.sandbox.ledger().transactions.find((t) => t.invoiceNo === next.invoiceNo);
      assert.ok(!before.transactions.some((t) => t.referenceNo === issued?.referenceNo));
    } finally {
      await second.close();
    }
  });

  const merchantOf = (m = generateMerchant()) => ({
    merchantId: m.merchantId,
    secretKey: m.secretKey,
    merchantPublicKey: m.publicKey,
    currency: 'SGD',
  });

  for (const [what, content] of [
    ['damaged JSON', '{"format": "recur-sandbox-state", "version": 1, "clock": '],
    ['a future format version', JSON.stringify({ format: 'recur-sandbox-state', version: 2 })],
    ['another kind of file', JSON.stringify({ hello: 'world' })],
  ] as const) {
    it(`when the state file holds ${what}, then createSandbox refuses it naming the file and --reset`, () => {
      const stateFile = join(dir, `bad-${what.replace(/\W+/g, '-')}.json`);
      writeFileSync(stateFile, content);
      assert.throws(
        () => createSandbox({ merchants: [merchantOf()], stateFile }),
        (error: unknown) =>
          error instanceof SandboxError &&
          error.code === 'ERR_SANDBOX_STATE_FILE' &&
          error.message.includes(stateFile) &&
          error.message.includes('--reset'),
      );
      assert.equal(readFileSync(stateFile, 'utf8'), content, 'a refused file is left as it was');
    });
  }

  it('when the registered merchant changed currency since the file was written, then the file is refused', async () => {
    const stateFile = join(dir, 'currency', 'state.json');
    const m = merchantOf();
    const sandbox = createSandbox({ merchants: [m], stateFile });
    await sandbox.close();
    assert.throws(
      () => createSandbox({ merchants: [{ ...m, currency: 'THB' }], stateFile }),
      (error: unknown) => error instanceof SandboxError && error.code === 'ERR_SANDBOX_STATE_FILE',
    );
  });

  it('when another setup sharing the file registers another merchant, then each keeps its own records', async () => {
    const stateFile = join(dir, 'shared', 'state.json');
    const dev = { ...merchantOf(generateMerchant('DEVMERCHANT')), initialBalance: { minor: 10_000, currency: 'SGD' } };
    const sandbox = createSandbox({ merchants: [dev], stateFile });
    sandbox.withdraw('DEVMERCHANT', { minor: 2_500, currency: 'SGD' });
    await sandbox.close();
    const other = createSandbox({ merchants: [merchantOf(generateMerchant('OTHER'))], stateFile });
    await other.close();
    const again = createSandbox({ merchants: [dev], stateFile });
    await again.close();
    assert.deepEqual(again.ledger().merchants[0]?.balance, { minor: 7_500, currency: 'SGD' });
    const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as { merchants: { merchantId: string }[] };
    assert.deepEqual(
      saved.merchants.map((m) => m.merchantId),
      ['DEVMERCHANT', 'OTHER'],
    );
  });

  it('when a real-time sandbox reopens its file, then its clock resumes at the later of the saved time and now', async () => {
    const m = merchantOf();
    for (const [name, savedAt] of [
      ['past', new Date('2020-03-01T00:00:00Z')],
      ['future', new Date('2099-03-01T00:00:00Z')],
    ] as const) {
      const stateFile = join(dir, `clock-${name}.json`);
      await createSandbox({ merchants: [m], stateFile, startAt: savedAt }).close();
      const reopened = createSandbox({ merchants: [m], stateFile, realTime: true });
      const resumedAt = reopened.clock.now().getTime() - savedAt.getTime();
      assert.ok(resumedAt >= 0 && resumedAt < 2_000, `${name}: resumes from the saved time (+${resumedAt} ms)`);
      await reopened.listen();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const now = reopened.clock.now().getTime();
      await reopened.close();
      const expected = Math.max(savedAt.getTime(), Date.now());
      assert.ok(Math.abs(now - expected) < 2_000, `${name}: clock at ${new Date(now).toISOString()}`);
    }
  });

  it('when a sandbox whose clock a test clock moved ahead was down for an hour, then it resumes an hour later, keeping its lead', async () => {
    const m = merchantOf();
    const stateFile = join(dir, 'clock-lead.json');
    const ahead = new Date(Date.now() + 30 * 86_400_000);
    await createSandbox({ merchants: [m], stateFile, startAt: ahead }).close();
    const file = JSON.parse(readFileSync(stateFile, 'utf8')) as { savedAt: string };
    file.savedAt = new Date(Date.parse(file.savedAt) - 3_600_000).toISOString(); // written an hour ago
    writeFileSync(stateFile, JSON.stringify(file));
    const reopened = createSandbox({ merchants: [m], stateFile, realTime: true });
    const lead = reopened.clock.now().getTime() - ahead.getTime();
    await reopened.close();
    assert.ok(Math.abs(lead - 3_600_000) < 5_000, `moved on by the downtime (${lead} ms)`);
  });
});
