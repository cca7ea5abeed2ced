// Cancellation with each refund policy, refunds that must wait for settlement, and refunds that are too big.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { chargeDate } from '../../src/domain/billing-schedule.js';
import { toCalendarDate, toEpochMs } from '../../src/domain/calendar-date.js';
import { proratedAmount } from '../../src/domain/proration.js';
import {
  cancelUpdate,
  refundUpdate,
  stateQuery,
  type RefundPolicy,
  type SubscriptionView,
} from '../../src/workflows/definitions.js';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { eventually } from '../support/eventually.js';
import { recordHistory } from '../support/histories.js';
import { ledgerOf } from '../support/ledger-comparison.js';
import { activeSubscription, HOUR, reaches } from '../support/subscription-steps.js';

const DAY = 86_400_000;

describe('cancellation and refunds on the real engine', () => {
  let harness: EngineHarness;
  before(async () => {
    harness = await startEngineHarness();
  });
  after(async () => {
    await harness?.stop();
  });

  /** A subscription whose first payment is made and first recurring charge taken, 10 days into its period. */
  async function paidSubscription() {
    const input = await harness.input();
    const { handle, checkout } = await harness.start(input);
    await harness.sandbox.approvePayment(checkout.paymentToken);
    await active(handle);
    const firstDue = toEpochMs(chargeDate(input.plan.firstChargeDate, input.plan.interval, 1));
    await harness.advanceTo(firstDue + 3_600_000);
    await eventually(async () => assert.equal((await handle.query(stateQuery)).nextSequence, 2));
    await harness.advanceTo(firstDue + 10 * DAY);
    return { input, handle };
  }

  for (const policy of ['none', 'prorated', 'full_last_charge'] as RefundPolicy[]) {
    it(`when a subscription is cancelled with refund policy ${policy}, then the plan stops and the refund matches the policy`, async () => {
      const { handle } = await paidSubscription();
      const today = toCalendarDate(await harness.now());
      const result = await handle.executeUpdate(cancelUpdate, { args: [{ refundPolicy: policy }] });
      assert.equal(result.status, 'canceled');
      const final = await handle.result();
      assert.equal(final.status, 'canceled');
      const charge = final.charges.find((c) => c.sequence === 1);
      assert.ok(charge?.period);
      const expected = { none: 0, prorated: proratedAmount(3000, charge.period, today), full_last_charge: 3000 }[
        policy
      ];
      assert.deepEqual(
        final.refunds.map((r) => [r.amountMinor, r.status]),
        expected ? [[expected, 'succeeded']] : [],
      );
      const plan = harness.sandbox.ledger().plans.find((p) => p.recurringUniqueID === final.recurringUniqueID);
      assert.equal(plan?.recurringStatus, 'N', 'the RPP is cancelled at 2C2P');
      await assertLedgersAgree(final);
      if (policy === 'prorated') await recordHistory(harness, handle, 'cancel-prorated');
    });
  }

  it("when a cancel names no refund policy, then the subscription's own policy (full last charge) applies", async () => {
    const input = { ...(await harness.input()), refundPolicy: 'full_last_charge' as const };
    const { handle, checkout } = await harness.start(input);
    await harness.sandbox.approvePayment(checkout.paymentToken);
    await active(handle);
    await harness.advanceTo((await harness.now()) + 2 * DAY); // settled
    const result = await handle.executeUpdate(cancelUpdate, { args: [{}] });
    assert.equal(result.refund?.reason, 'cancel_full');
    const final = await handle.result();
    assert.deepEqual(
      final.refunds.map((r) => [r.amountMinor, r.status]),
      [[input.plan.amountMinor, 'succeeded']],
    );
    await assertLedgersAgree(final);
  });

  it('when a refund is asked before the charge settles, then it waits for settlement and is made exactly once', async () => {
    const input = await harness.input();
    const { handle, checkout } = await harness.start(input);
    await harness.sandbox.approvePayment(checkout.paymentToken);
    const view = await active(handle);
    const invoiceNo = view.charges[0]?.invoiceNo ?? '';

    const refund = await handle.executeUpdate(refundUpdate, { args: [{ invoiceNo, amountMinor: 1000 }] });
    assert.equal(refund.status, 'requested');
    await eventually(async () =>
      assert.equal((await handle.query(stateQuery)).refunds[0]?.status, 'waiting_settlement'),
    );
    assert.equal(refundsAt2c2p(harness, invoiceNo), 0, 'nothing refunded before settlement');

    await harness.advanceTo((await harness.now()) + 2 * DAY); // the sandbox settles after one day
    const done = await eventually(async () => {
      const state = await handle.query(stateQuery);
      assert.equal(state.refunds[0]?.status, 'succeeded');
      return state;
    });
    assert.equal(refundsAt2c2p(harness, invoiceNo), 1);
    await handle.executeUpdate(cancelUpdate, { args: [{ refundPolicy: 'none' }] });
    const final = await handle.result();
    assert.deepEqual(final.refunds, done.refunds);
    await assertLedgersAgree(final);
    await recordHistory(harness, handle, 'refund-before-settlement');
  });

  it('when a refund exceeds what is left refundable, then the update is refused and nothing changes', async () => {
    const input = await harness.input();
    const { handle, checkout } = await harness.start(input);
    await harness.sandbox.approvePayment(checkout.paymentToken);
    const view = await active(handle);
    const invoiceNo = view.charges[0]?.invoiceNo ?? '';
    await assert.rejects(
      handle.executeUpdate(refundUpdate, { args: [{ invoiceNo, amountMinor: 3001 }] }),
      (error: unknown) =>
        error instanceof WorkflowUpdateFailedError &&
        /exceeds the 3000 left refundable/.test(String(error.cause?.message)),
    );
    await assert.rejects(
      handle.executeUpdate(refundUpdate, { args: [{ invoiceNo: 'NO-SUCH-INVOICE' }] }),
      WorkflowUpdateFailedError,
    );
    const after = await handle.query(stateQuery);
    assert.deepEqual(after.refunds, []);
    assert.equal(after.version, view.version, 'a refused update leaves no trace in the state');
    await handle.executeUpdate(cancelUpdate, { args: [{ refundPolicy: 'none' }] });
    await handle.result();
  });

  async function active(handle: {
    query: (q: typeof stateQuery) => Promise<SubscriptionView>;
  }): Promise<SubscriptionView> {
    return eventually(async () => {
      const state = await handle.query(stateQuery);
      assert.equal(state.status, 'active');
      return state;
    });
  }

  async function assertLedgersAgree(final: SubscriptionView): Promise<void> {
    const ledgers = await eventually(async () => {
      const l = await ledgerOf(harness, final);
      assert.deepEqual(l.database.refunds, l.workflow.refunds);
      return l;
    });
    assert.deepEqual(ledgers.database.charges, ledgers.workflow.charges);
    assert.deepEqual(ledgers.sandbox.charges, ledgers.workflow.charges);
    assert.deepEqual(ledgers.sandbox.refunds, ledgers.workflow.refunds);
  }
});

describe('a refund on a charge 2C2P settles late, on the real engine', () => {
  let harness: EngineHarness;
  before(async () => {
    harness = await startEngineHarness({ settlementDelayMs: 10 * DAY });
  });
  after(async () => {
    await harness?.stop();
  });

  it('when 2C2P has not settled the charge a week after the refund was asked, then the subscription needs attention, and when it settles the refund is made and the attention closes', async () => {
    const { handle, view } = await activeSubscription(harness);
    const invoiceNo = view.charges[0]?.invoiceNo ?? '';
    await handle.executeUpdate(refundUpdate, { args: [{ invoiceNo, amountMinor: 1000 }] });
    const askedAt = await harness.now();

    await harness.advanceTo(askedAt + 7 * DAY + HOUR);
    const stuck = await reaches(handle, 'needs_attention');
    assert.equal(stuck.attention?.failureType, 'ChargeNotSettled');
    assert.match(stuck.attention?.reason ?? '', new RegExp(`has not settled ${invoiceNo}`));
    assert.equal(stuck.refunds[0]?.status, 'waiting_settlement', 'the refund still waits');
    assert.equal(refundsAt2c2p(harness, invoiceNo), 0, 'nothing refunded before settlement');

    await harness.advanceTo(askedAt + 11 * DAY); // the sandbox settles 10 days after the payment
    const done = await eventually(async () => {
      const state = await handle.query(stateQuery);
      assert.equal(state.refunds[0]?.status, 'succeeded');
      return state;
    });
    assert.equal(done.status, 'active');
    assert.equal(done.attention, undefined, 'the attention closed');
    assert.equal(refundsAt2c2p(harness, invoiceNo), 1);
    await recordHistory(harness, handle, 'refund-settles-after-attention');
  });
});

/** How many refunds 2C2P (the sandbox) holds on `invoiceNo`. */
function refundsAt2c2p(harness: EngineHarness, invoiceNo: string): number {
  return harness.sandbox.ledger().refunds.filter((r) => r.invoiceNo === invoiceNo).length;
}
