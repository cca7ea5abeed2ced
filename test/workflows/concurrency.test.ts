// Races that used to refund twice or undo a cancel: concurrent cancels and downgrades while 2C2P answers
// slowly, a cancel while a charge is being reconciled or dunned, and a plan change while a charge is due.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { toCalendarDate, toEpochMs } from '../../src/domain/calendar-date.js';
import { proratedAmount } from '../../src/domain/proration.js';
import { cancelUpdate, changePlanUpdate, stateQuery } from '../../src/workflows/definitions.js';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { eventually } from '../support/eventually.js';
import { recordHistory } from '../support/histories.js';
import { ledgerOf } from '../support/ledger-comparison.js';
import {
  activeSubscription,
  assertNoFailedWorkflowTask,
  dueAt,
  DAY,
  HOUR,
  paidSubscription,
  reaches,
  refusalType,
} from '../support/subscription-steps.js';

/** Real milliseconds each sandbox answer takes while a race is opened. */
const SLOW_MS = 1_500;

describe('concurrent updates and faults on the real engine', () => {
  let harness: EngineHarness;
  before(async () => {
    harness = await startEngineHarness();
  });
  after(async () => {
    await harness?.stop();
  });

  async function slowly<T>(run: () => Promise<T>): Promise<T> {
    harness.sandbox.faults.setLatency(SLOW_MS);
    try {
      return await run();
    } finally {
      harness.sandbox.faults.setLatency(0);
    }
  }

  const refundsAtSandbox = (invoiceNo: string) =>
    harness.sandbox.ledger().refunds.filter((r) => r.invoiceNo === invoiceNo);

  it('when two prorated cancels race while 2C2P is slow, then one cancels and refunds the unused part once, the other is refused', async () => {
    const { handle } = await paidSubscription(harness);
    const today = toCalendarDate(await harness.now());
    const outcomes = await slowly(() =>
      Promise.allSettled([
        handle.executeUpdate(cancelUpdate, { args: [{ refundPolicy: 'prorated' }] }),
        handle.executeUpdate(cancelUpdate, { args: [{ refundPolicy: 'prorated' }] }),
      ]),
    );
    const fulfilled = outcomes.filter((o) => o.status === 'fulfilled');
    const rejected = outcomes.filter((o) => o.status === 'rejected');
    assert.equal(fulfilled.length, 1, 'exactly one cancel succeeds');
    assert.equal(rejected.length, 1);
    assert.ok(rejected[0]?.reason instanceof WorkflowUpdateFailedError);
    assert.equal(refusalType(rejected[0]?.reason), 'InvalidState');

    const final = await handle.result();
    assert.equal(final.status, 'canceled');
    const charge = final.charges.find((c) => c.sequence === 1);
    assert.ok(charge?.period);
    assert.deepEqual(
      final.refunds.map((r) => [r.invoiceNo, r.amountMinor, r.status]),
      [[charge.invoiceNo, proratedAmount(charge.amountMinor, charge.period, today), 'succeeded']],
    );
    assert.equal(refundsAtSandbox(charge.invoiceNo).length, 1, 'one refund reached 2C2P');
    await assertNoFailedWorkflowTask(handle);
    await recordHistory(harness, handle, 'concurrent-cancels');
  });

  it('when a cancel is sent again with the same update id (a client retry), then it gets the first answer and nothing moves twice', async () => {
    const { handle } = await paidSubscription(harness);
    const updateId = 'cancel-retried-after-a-timeout';
    const cancel = () => handle.executeUpdate(cancelUpdate, { args: [{ refundPolicy: 'full_last_charge' }], updateId });
    const [first, concurrent] = await slowly(() => Promise.all([cancel(), cancel()]));
    const later = await cancel();
    assert.deepEqual(concurrent, first);
    assert.deepEqual(later, first);
    assert.equal(first.status, 'canceled');
    const final = await handle.result();
    assert.equal(final.refunds.length, 1);
    assert.equal(refundsAtSandbox(final.refunds[0]!.invoiceNo).length, 1);
    await assertNoFailedWorkflowTask(handle);
  });

  it('when two prorated downgrades race while 2C2P is slow, then the difference is refunded once', async () => {
    const { handle } = await paidSubscription(harness);
    const today = toCalendarDate(await harness.now());
    const change = () => handle.executeUpdate(changePlanUpdate, { args: [{ amountMinor: 2000, prorate: true }] });
    const results = await slowly(() => Promise.all([change(), change()]));
    assert.deepEqual(
      results.map((r) => r.plan.amountMinor),
      [2000, 2000],
    );
    const view = await handle.query(stateQuery);
    const charge = view.charges.find((c) => c.sequence === 1);
    assert.ok(charge?.period);
    assert.deepEqual(
      view.refunds.map((r) => [r.reason, r.amountMinor]),
      [['downgrade_prorated', proratedAmount(3000 - 2000, charge.period, today)]],
    );
    await handle.executeUpdate(cancelUpdate, { args: [{ refundPolicy: 'none' }] });
    const final = await handle.result();
    assert.equal(final.refunds.length, 1);
    await assertNoFailedWorkflowTask(handle);
  });

  it('when a cancel lands while a charge whose notification was lost is being reconciled, then the cancel holds and the plan is cancelled at 2C2P', async () => {
    const { input, handle } = await activeSubscription(harness);
    harness.sandbox.faults.dropNextNotification(1);
    const due = dueAt(input, 1);
    await harness.advanceTo(due + HOUR); // the sandbox charges; its notification is lost
    // The workflow's grace timer fires and it reconciles by Payment Inquiry, slowly; the cancel races it.
    const result = await slowly(async () => {
      await harness.advanceTo(due + 6 * HOUR + 60_000);
      return handle.executeUpdate(cancelUpdate, { args: [{ refundPolicy: 'prorated' }] });
    });
    assert.equal(result.status, 'canceled');
    await harness.advanceTo(due + 3 * DAY); // the charge settles, so any refund of it can be made
    const final = await handle.result();
    assert.equal(final.status, 'canceled', 'the cancel is never undone');
    assert.equal(final.endedReason, 'cancelled by the merchant');
    assert.equal(final.nextChargeDate, undefined);
    const plan = harness.sandbox.ledger().plans.find((p) => p.recurringUniqueID === final.recurringUniqueID);
    assert.equal(plan?.recurringStatus, 'N');
    // The charge 2C2P took is recorded, and no more is refunded than was charged.
    const charged = final.charges.filter((c) => c.status === 'succeeded').reduce((s, c) => s + c.amountMinor, 0);
    const refunded = final.refunds.reduce((s, r) => s + r.amountMinor, 0);
    assert.ok(final.charges.some((c) => c.sequence === 1 && c.status === 'succeeded'));
    assert.ok(refunded <= charged);
    const ledger = await ledgerOf(harness, final);
    assert.deepEqual(ledger.database.charges, ledger.workflow.charges);
    await assertNoFailedWorkflowTask(handle);
  });

  it('when a cancel comes after 2C2P took a charge whose notification was lost, then the charge is still recorded and, the subscription having ended, refunded in full', async () => {
    const { input, handle } = await activeSubscription(harness);
    harness.sandbox.faults.dropNextNotification(1);
    const due = dueAt(input, 1);
    await harness.advanceTo(due + 2 * HOUR); // charged at 2C2P; the workflow has heard nothing yet
    await handle.executeUpdate(cancelUpdate, { args: [{ refundPolicy: 'none' }] });
    await harness.advanceTo(due + 3 * DAY); // the charge settles, so its refund can be made
    const final = await handle.result();
    assert.equal(final.status, 'canceled');
    const charge = final.charges.find((c) => c.sequence === 1);
    assert.equal(charge?.status, 'succeeded', 'the charge 2C2P took is recorded');
    assert.equal(charge?.source, 'inquiry');
    assert.deepEqual(
      final.refunds.map((r) => [r.invoiceNo, r.amountMinor, r.reason, r.status]),
      [[charge.invoiceNo, charge.amountMinor, 'payment_after_end', 'succeeded']],
    );
    const ledger = await ledgerOf(harness, final);
    assert.deepEqual(ledger.database.charges, ledger.sandbox.charges);
    await assertNoFailedWorkflowTask(handle);
  });

  it('when a subscription in dunning is cancelled, then the end of the dunning window leaves it canceled, not unpaid', async () => {
    const { input, handle, view: active } = await activeSubscription(harness);
    harness.sandbox.faults.declineNextCharge({ recurringUniqueID: active.recurringUniqueID });
    await harness.advanceTo(dueAt(input, 1) + HOUR);
    await reaches(handle, 'past_due');
    await harness.advanceTo(dueAt(input, 1) + 2 * DAY);
    await handle.executeUpdate(cancelUpdate, { args: [{ refundPolicy: 'none' }] });
    await harness.advanceTo(dueAt(input, 1) + 9 * DAY); // the 7-day window has passed
    const final = await handle.result();
    assert.equal(final.status, 'canceled');
    assert.equal(final.endedReason, 'cancelled by the merchant');
    assert.equal(final.pendingPaymentLink, undefined);
    await assertNoFailedWorkflowTask(handle);
  });

  it('when a plan change comes while a charge is due and not reconciled, then it is refused; once the charge is recorded, 2C2P gets the next future date', async () => {
    const { input, handle } = await activeSubscription(harness);
    harness.sandbox.faults.dropNextNotification(1);
    const due = dueAt(input, 1);
    await harness.advanceTo(due + HOUR);
    await assert.rejects(
      handle.executeUpdate(changePlanUpdate, { args: [{ amountMinor: 3500 }] }),
      (error: unknown) => error instanceof WorkflowUpdateFailedError && refusalType(error) === 'InvalidState',
    );
    await harness.advanceTo(due + 7 * HOUR); // reconciled by inquiry after the grace period
    await eventually(async () => assert.equal((await handle.query(stateQuery)).nextSequence, 2));
    const changed = await handle.executeUpdate(changePlanUpdate, { args: [{ amountMinor: 3500 }] });
    const view = await handle.query(stateQuery);
    assert.equal(changed.nextChargeDate, view.nextChargeDate);
    assert.ok(toEpochMs(view.nextChargeDate!) > (await harness.now()), 'the next charge date is in the future');
    const plan = harness.sandbox.ledger().plans.find((p) => p.recurringUniqueID === view.recurringUniqueID);
    assert.equal(plan?.chargeNextDate, view.nextChargeDate, '2C2P and the workflow agree on the next charge');
    assert.equal(plan?.amount.minor, 3500);
    await handle.executeUpdate(cancelUpdate, { args: [{ refundPolicy: 'none' }] });
    await handle.result();
    await assertNoFailedWorkflowTask(handle);
  });
});
