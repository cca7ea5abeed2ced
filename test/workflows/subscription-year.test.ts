// A subscription-year on the real engine: 12 monthly payments through the sandbox over HTTP, with a
// decline recovered by dunning, a prorated downgrade, duplicate, out-of-order and missing notifications.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chargeDate } from '../../src/domain/billing-schedule.js';
import { toEpochMs } from '../../src/domain/calendar-date.js';
import { stateQuery, changePlanUpdate, type SubscriptionView } from '../../src/workflows/definitions.js';
import type { RecurringInvoiceNumbering } from '../../src/sandbox/types.js';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { eventually } from '../support/eventually.js';
import { recordHistory } from '../support/histories.js';
import { ledgerOf } from '../support/ledger-comparison.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// The same year against each way the sandbox can number a plan's charges (src/sandbox/types.ts), and with
// the local date-times 2C2P reads and writes in a zone other than Bangkok's, across daylight saving time.
const VARIANTS: Array<{ numbering: RecurringInvoiceNumbering; timeZone?: string }> = [
  { numbering: 'from-00001' },
  { numbering: 'from-00000' },
  { numbering: 'sequence-only' },
  { numbering: 'from-00001', timeZone: 'America/New_York' },
];
for (const { numbering, timeZone } of VARIANTS)
  describe(`a 12-payment monthly subscription on the real engine (charges numbered ${numbering}${timeZone ? `, local time ${timeZone}` : ''})`, () => {
    let harness: EngineHarness;
    // A lost sequence-only charge has no invoice number to ask about: it waits for its notification instead.
    const dropsOne = numbering !== 'sequence-only';
    before(async () => {
      harness = await startEngineHarness({ recurringInvoices: numbering, timeZone });
    });
    after(async () => {
      await harness?.stop();
    });

    it('when a year of charges runs with faults, then workflow, database and sandbox agree one for one', async () => {
      const startedWall = Date.now();
      const input = await harness.input({ plan: { ...(await harness.input()).plan, recurringCount: 11 } });
      const { handle, checkout } = await harness.start(input);
      assert.match(checkout.webPaymentUrl, /\/payment\/4\.3\/pay\//);

      // Starting the same subscription again returns the same page: one plan, never two.
      const again = await harness.start(input);
      assert.equal(again.checkout.paymentToken, checkout.paymentToken);

      await harness.sandbox.approvePayment(checkout.paymentToken);
      let view = await eventually(async () => {
        const v = await handle.query(stateQuery);
        assert.equal(v.status, 'active');
        return v;
      });
      assert.ok(view.recurringUniqueID, 'the first payment carries the plan id');

      const due = (v: SubscriptionView) => toEpochMs(v.nextChargeDate ?? '');
      for (let sequence = 1; sequence <= 11; sequence += 1) {
        const cycle = sequence + 1; // cycle 1 was the first payment
        if (cycle === 2) harness.sandbox.faults.duplicateNotifications(true);
        if (cycle === 3) harness.sandbox.faults.duplicateNotifications(false);
        if (cycle === 4) harness.sandbox.faults.declineNextCharge({ respCode: '4051' });
        if (cycle === 9 && dropsOne) harness.sandbox.faults.dropNextNotification();

        if (cycle === 7) {
          // Two charges in one jump, notifications reversed: 8 arrives before 7.
          harness.sandbox.faults.outOfOrderNotifications(true);
          await harness.advanceTo(
            toEpochMs(chargeDate(input.plan.firstChargeDate, input.plan.interval, sequence + 1)) + HOUR,
          );
          harness.sandbox.faults.outOfOrderNotifications(false);
          view = await settle(handle, (v) => v.nextSequence === sequence + 2);
          sequence += 1;
          continue;
        }
        await harness.advanceTo(due(view) + HOUR);
        if (cycle === 9) await harness.advanceTo(due(view) + 8 * HOUR); // past the grace period: reconcile
        view = await settle(
          handle,
          (v) => v.nextSequence === sequence + 1 || v.status === 'past_due' || v.status === 'completed',
        );

        if (cycle === 4) {
          assert.equal(view.status, 'past_due');
          const link = await eventually(async () => {
            const v = await handle.query(stateQuery);
            assert.ok(v.pendingPaymentLink);
            return v.pendingPaymentLink;
          });
          await harness.advanceTo((await harness.now()) + 2 * DAY);
          await harness.sandbox.approvePayment(link.paymentToken);
          view = await settle(handle, (v) => v.status === 'active');
          assert.equal(view.pendingPaymentLink, undefined);
        }
        if (cycle === 6) {
          await harness.advanceTo((await harness.now()) + 10 * DAY);
          const result = await handle.executeUpdate(changePlanUpdate, { args: [{ amountMinor: 2000, prorate: true }] });
          assert.equal(result.plan.amountMinor, 2000);
          assert.ok(result.refund, 'a downgrade mid-cycle refunds the unused part');
          view = await handle.query(stateQuery);
        }
      }
      const final = await handle.result();
      assert.equal(final.status, 'completed');

      const recurring = final.charges.filter((c) => c.kind === 'recurring');
      const atSandbox = harness.sandbox
        .ledger()
        .transactions.filter((t) => t.recurringUniqueID === final.recurringUniqueID && t.recurringSequenceNo)
        .sort((a, b) => (a.recurringSequenceNo ?? 0) - (b.recurringSequenceNo ?? 0))
        .map((t) => t.invoiceNo);
      assert.equal(atSandbox.length, 11);
      assert.deepEqual(
        recurring.map((c) => c.invoiceNo),
        atSandbox,
        'each charge once, in order, under the invoice number 2C2P used, whatever the notifications did',
      );
      assert.equal(recurring.find((c) => c.sequence === 3)?.status, 'declined');
      assert.equal(final.charges.filter((c) => c.kind === 'dunning' && c.status === 'succeeded').length, 1);
      if (dropsOne) {
        assert.equal(
          recurring.find((c) => c.sequence === 8)?.source,
          'inquiry',
          'the dropped notification was reconciled',
        );
      }
      assert.deepEqual(
        recurring.filter((c) => c.sequence !== null && c.sequence >= 6).map((c) => c.amountMinor),
        [2000, 2000, 2000, 2000, 2000, 2000],
      );
      assert.equal(final.refunds.length, 1);
      assert.equal(final.refunds[0]?.status, 'succeeded');

      const ledgers = await ledgerOf(harness, final);
      assert.deepEqual(ledgers.database.charges, ledgers.workflow.charges);
      assert.deepEqual(ledgers.sandbox.charges, ledgers.workflow.charges);
      assert.deepEqual(ledgers.database.refunds, ledgers.workflow.refunds);
      assert.deepEqual(ledgers.sandbox.refunds, ledgers.workflow.refunds);

      const events =
        numbering === 'from-00001' && !timeZone ? await recordHistory(harness, handle, 'subscription-year') : 0;
      console.log(`# 12-payment year: ${Date.now() - startedWall} ms wall time, ${events} history events in one run`);
    });
  });

async function settle(
  handle: { query: (q: typeof stateQuery) => Promise<SubscriptionView> },
  done: (view: SubscriptionView) => boolean,
): Promise<SubscriptionView> {
  return eventually(async () => {
    const view = await handle.query(stateQuery);
    assert.ok(done(view), `still waiting: status ${view.status}, next sequence ${view.nextSequence}`);
    return view;
  });
}
