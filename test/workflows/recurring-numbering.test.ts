// Recurring charges are matched by the plan (recurringUniqueID + recurringSequenceNo), not by a guessed
// invoice number: the engine runs against each way the sandbox can number a plan's charges, with a lost
// notification reconciled by inquiry, and its ledger equals the sandbox's.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cancelUpdate, paymentNotificationSignal, stateQuery } from '../../src/workflows/definitions.js';
import { toPaymentNotification } from '../../src/workflows/payment-notification.js';
import type { RecurringInvoiceNumbering } from '../../src/sandbox/types.js';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { eventually } from '../support/eventually.js';
import { ledgerOf } from '../support/ledger-comparison.js';
import { activeSubscription, assertNoFailedWorkflowTask, dueAt, HOUR, reaches } from '../support/subscription-steps.js';

async function threeCharges(harness: EngineHarness, options: { dropSecond: boolean }) {
  const input = await harness.input({ plan: { ...(await harness.input()).plan, recurringCount: 3 } });
  const { handle, checkout } = await harness.start(input);
  await harness.sandbox.approvePayment(checkout.paymentToken);
  await reaches(handle, 'active');
  for (const sequence of [1, 2, 3]) {
    if (sequence === 2 && options.dropSecond) harness.sandbox.faults.dropNextNotification(1);
    await harness.advanceTo(dueAt(input, sequence) + 7 * HOUR); // past the grace period: reconciled if lost
  }
  return { input, handle };
}

for (const numbering of ['from-00001', 'from-00000', 'sequence-only'] as RecurringInvoiceNumbering[]) {
  describe(`recurring charges numbered ${numbering}`, () => {
    let harness: EngineHarness;
    before(async () => {
      harness = await startEngineHarness({ recurringInvoices: numbering });
    });
    after(async () => {
      await harness?.stop();
    });

    it(`when the sandbox numbers charges ${numbering} and one notification is lost, then every charge is recorded under the invoice 2C2P used`, async () => {
      // With no invoice number to ask about, a lost charge of a sequence-only plan waits for its notification.
      const { handle } = await threeCharges(harness, { dropSecond: numbering !== 'sequence-only' });
      const final = await handle.result();
      assert.equal(final.status, 'completed');
      const atSandbox = harness.sandbox
        .ledger()
        .transactions.filter((t) => t.recurringUniqueID === final.recurringUniqueID && t.recurringSequenceNo)
        .map((t) => [t.recurringSequenceNo, t.invoiceNo]);
      assert.equal(atSandbox.length, 3);
      assert.deepEqual(
        final.charges.filter((c) => c.kind === 'recurring').map((c) => [c.sequence, c.invoiceNo]),
        atSandbox,
      );
      const ledger = await ledgerOf(harness, final);
      assert.deepEqual(ledger.database.charges, ledger.sandbox.charges);
      assert.deepEqual(ledger.workflow.charges, ledger.sandbox.charges);
      await assertNoFailedWorkflowTask(handle);
    });

    if (numbering === 'sequence-only') {
      it('when a sequence-only charge is lost, then the subscription needs attention until its notification arrives, and then records it', async () => {
        const { input, handle } = await activeSubscription(harness);
        harness.sandbox.faults.dropNextNotification(1);
        await harness.advanceTo(dueAt(input, 1) + HOUR); // charged at 2C2P; its notification is lost
        await harness.advanceTo(dueAt(input, 1) + 7 * HOUR); // the grace period passes: nothing matches
        const stuck = await reaches(handle, 'needs_attention');
        assert.equal(stuck.attention?.failureType, 'UnmatchedCharge');
        // 2C2P retries its notification: the one the sandbox dropped arrives late.
        const dropped = harness.sandbox
          .ledger()
          .notifications.find((n) => n.dropped && n.recurringUniqueID === stuck.recurringUniqueID);
        assert.ok(dropped);
        await handle.signal(paymentNotificationSignal, toPaymentNotification(dropped.content));
        await eventually(async () => {
          const view = await handle.query(stateQuery);
          assert.equal(view.status, 'active');
          assert.equal(view.nextSequence, 2);
        });
        await handle.executeUpdate(cancelUpdate, { args: [{ refundPolicy: 'none' }] });
        await handle.result();
        await assertNoFailedWorkflowTask(handle);
      });
    }
  });
}
