// Money and plan-change bugs of issue 8 on the real engine: a payment after the end is refunded in full,
// a downgrade refunds from what was paid (not from an unpaid upgrade), and plan changes that creation
// would refuse never reach 2C2P.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { toCalendarDate } from '../../src/domain/calendar-date.js';
import { proratedAmount } from '../../src/domain/proration.js';
import {
  cancelUpdate,
  changePlanUpdate,
  stateQuery,
  TERMINAL_STATUSES,
  type PlanChange,
  type SubscriptionInput,
  type SubscriptionView,
} from '../../src/workflows/definitions.js';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { eventually } from '../support/eventually.js';
import { ledgerOf } from '../support/ledger-comparison.js';
import {
  assertNoFailedWorkflowTask,
  DAY,
  paidSubscription,
  reaches,
  refusalType,
  type SubscriptionHandle,
} from '../support/subscription-steps.js';

describe('money and plan-change scenarios on the real engine', () => {
  let harness: EngineHarness;
  before(async () => {
    harness = await startEngineHarness();
  });
  after(async () => {
    await harness?.stop();
  });

  /** Waits for the run to end and checks it ended well: a terminal status, no failed workflow task. */
  async function ended(handle: SubscriptionHandle): Promise<SubscriptionView> {
    const final = await handle.result();
    assert.ok(TERMINAL_STATUSES.includes(final.status), `the run ended in ${final.status}`);
    await assertNoFailedWorkflowTask(handle);
    return final;
  }

  const planAtSandbox = (recurringUniqueID: string | undefined) =>
    harness.sandbox.ledger().plans.find((p) => p.recurringUniqueID === recurringUniqueID);

  async function assertLedgersAgree(final: SubscriptionView): Promise<void> {
    const ledgers = await ledgerOf(harness, final);
    assert.deepEqual(ledgers.database.charges, ledgers.workflow.charges);
    assert.deepEqual(ledgers.sandbox.charges, ledgers.workflow.charges);
    assert.deepEqual(ledgers.database.refunds, ledgers.workflow.refunds);
    assert.deepEqual(ledgers.sandbox.refunds, ledgers.workflow.refunds);
  }

  it('when the customer pays after the subscription was cancelled, then it stays canceled, the plan this created is cancelled at 2C2P and the payment is refunded in full', async () => {
    const input = await harness.input();
    const { handle, checkout } = await harness.start(input);
    const cancelled = await handle.executeUpdate(cancelUpdate, { args: [{ refundPolicy: 'none' }] });
    assert.equal(cancelled.status, 'canceled');

    await harness.sandbox.approvePayment(checkout.paymentToken);
    const view = await eventually(async () => {
      const v = await handle.query(stateQuery);
      assert.equal(v.refunds.length, 1);
      return v;
    });
    assert.equal(view.status, 'canceled');
    assert.equal(planAtSandbox(view.recurringUniqueID)?.recurringStatus, 'N', 'the RPP is cancelled at 2C2P');
    await harness.advanceTo((await harness.now()) + 2 * DAY); // the payment settles, so it can be refunded

    const final = await ended(handle);
    assert.equal(final.status, 'canceled');
    assert.equal(final.nextChargeDate, undefined);
    const paid = final.charges.find((c) => c.kind === 'initial');
    assert.equal(paid?.status, 'succeeded');
    assert.deepEqual(
      final.refunds.map((r) => [r.invoiceNo, r.amountMinor, r.reason, r.status]),
      [[paid.invoiceNo, input.plan.amountMinor, 'payment_after_end', 'succeeded']],
    );
    await assertLedgersAgree(final);
  });

  it('when an unprorated upgrade is followed by a prorated downgrade, then the refund comes from what was paid, and a later prorated cancel from the new price', async () => {
    const base = await harness.input();
    const { handle } = await paidSubscription(harness, { plan: { ...base.plan, amountMinor: 2990 } });
    const paidView = await handle.query(stateQuery);
    const charge = paidView.charges.find((c) => c.sequence === 1);
    assert.ok(charge?.period);
    assert.equal(charge.amountMinor, 2990);

    const upgrade = await handle.executeUpdate(changePlanUpdate, { args: [{ amountMinor: 3990 }] });
    assert.equal(upgrade.refund, undefined);
    assert.equal(planAtSandbox(paidView.recurringUniqueID)?.amount.minor, 3990);

    const today = toCalendarDate(await harness.now());
    const downgrade = await handle.executeUpdate(changePlanUpdate, { args: [{ amountMinor: 1990, prorate: true }] });
    const expected = proratedAmount(2990 - 1990, charge.period, today);
    assert.ok(expected > 0);
    assert.deepEqual(
      [downgrade.refund?.invoiceNo, downgrade.refund?.amountMinor, downgrade.refund?.reason],
      [charge.invoiceNo, expected, 'downgrade_prorated'],
      'the refund is what was paid above the new price, not what the upgrade would have charged',
    );

    await harness.advanceTo((await harness.now()) + 5 * DAY);
    const later = toCalendarDate(await harness.now());
    const cancel = await handle.executeUpdate(cancelUpdate, { args: [{ refundPolicy: 'prorated' }] });
    assert.equal(cancel.refund?.amountMinor, proratedAmount(1990, charge.period, later));

    const final = await ended(handle);
    assert.deepEqual(
      final.refunds.map((r) => [r.reason, r.amountMinor, r.status]),
      [
        ['downgrade_prorated', expected, 'succeeded'],
        ['cancel_prorated', proratedAmount(1990, charge.period, later), 'succeeded'],
      ],
    );
    assert.ok(final.refunds.reduce((sum, r) => sum + r.amountMinor, 0) <= 2990);
    assert.equal(
      harness.sandbox.ledger().transactions.filter((t) => t.invoiceNo.startsWith(final.invoicePrefix)).length,
      2,
      'the upgrade charged nothing extra',
    );
    await assertLedgersAgree(final);
  });

  it('when a plan change asks for what creation refuses (an interval no longer than the dunning window, accumulation without a limit), then it is refused as InvalidRequest and 2C2P is not asked', async () => {
    const input: SubscriptionInput = { ...(await harness.input()), dunning: { windowDays: 7, reminders: 2 } };
    const { handle, checkout } = await harness.start(input);
    await harness.sandbox.approvePayment(checkout.paymentToken);
    const before = await reaches(handle, 'active');
    const planBefore = planAtSandbox(before.recurringUniqueID);
    assert.ok(planBefore);

    const refused: [PlanChange, string][] = [
      [{ interval: { kind: 'days', days: 7 } }, 'interval'],
      [{ allowAccumulate: true }, 'maxAccumulateMinor'],
    ];
    for (const [change, field] of refused) {
      await assert.rejects(handle.executeUpdate(changePlanUpdate, { args: [change] }), (error: unknown) => {
        assert.ok(error instanceof WorkflowUpdateFailedError);
        assert.equal(refusalType(error), 'InvalidRequest');
        assert.deepEqual((error.cause as { details?: unknown[] } | undefined)?.details, [{ field }]);
        return true;
      });
    }

    const after = await handle.query(stateQuery);
    assert.deepEqual(after.plan, before.plan);
    assert.equal(after.version, before.version, 'a refused change leaves no trace in the state');
    assert.deepEqual(planAtSandbox(before.recurringUniqueID), planBefore, 'no RPP update reached 2C2P');
    await handle.executeUpdate(cancelUpdate, { args: [{ refundPolicy: 'none' }] });
    await ended(handle);
  });
});
