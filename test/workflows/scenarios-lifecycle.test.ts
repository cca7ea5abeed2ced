// Lifecycle bugs of issue 8 on the real engine: a run that froze after an interval change in dunning,
// pending codes taken as declines, a pending first payment abandoned at its link's expiry, a run that
// completed while past_due, and an ended subscription that still showed a next charge.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chargeDate } from '../../src/domain/billing-schedule.js';
import { addDays } from '../../src/domain/calendar-date.js';
import { getSubscription, listCharges } from '../../src/db/index.js';
import {
  cancelUpdate,
  changePlanUpdate,
  paymentNotificationSignal,
  stateQuery,
  TERMINAL_STATUSES,
  type SubscriptionInput,
  type SubscriptionView,
} from '../../src/workflows/definitions.js';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { eventually } from '../support/eventually.js';
import {
  assertNoFailedWorkflowTask,
  dueAt,
  DAY,
  HOUR,
  reaches,
  type SubscriptionHandle,
} from '../support/subscription-steps.js';

describe('subscription lifecycle scenarios on the real engine', () => {
  let harness: EngineHarness;
  before(async () => {
    harness = await startEngineHarness();
  });
  after(async () => {
    await harness?.stop();
  });

  /** The default input with some plan fields replaced. */
  async function inputWith(plan: Partial<SubscriptionInput['plan']>): Promise<SubscriptionInput> {
    const input = await harness.input();
    return { ...input, plan: { ...input.plan, ...plan } };
  }

  /** Waits for the run to end and checks it ended well: a terminal status, no failed workflow task. */
  async function ended(handle: SubscriptionHandle): Promise<SubscriptionView> {
    const final = await handle.result();
    assert.ok(TERMINAL_STATUSES.includes(final.status), `the run ended in ${final.status}`);
    await assertNoFailedWorkflowTask(handle);
    return final;
  }

  const planAtSandbox = (recurringUniqueID: string | undefined) =>
    harness.sandbox.ledger().plans.find((p) => p.recurringUniqueID === recurringUniqueID);

  it('when the interval changes while past_due and the customer then pays the dunning link, then the subscription is active again, the overdue charge keeps its old period and later charges follow the new interval', async () => {
    const input = await harness.input();
    const { handle, checkout } = await harness.start(input);
    await harness.sandbox.approvePayment(checkout.paymentToken);
    await reaches(handle, 'active');
    harness.sandbox.faults.declineNextCharge();
    await harness.advanceTo(dueAt(input, 1) + HOUR);
    const link = await eventually(async () => {
      const view = await handle.query(stateQuery);
      assert.equal(view.status, 'past_due');
      assert.ok(view.pendingPaymentLink, 'dunning offers a payment link');
      return view.pendingPaymentLink;
    });

    const interval = { kind: 'days', days: 14 } as const;
    const secondDue = chargeDate(input.plan.firstChargeDate, input.plan.interval, 2);
    const change = await handle.executeUpdate(changePlanUpdate, { args: [{ interval }] });
    assert.equal(change.nextChargeDate, secondDue, 'the new interval starts at the next charge');

    await harness.advanceTo((await harness.now()) + 2 * DAY);
    await harness.sandbox.approvePayment(link.paymentToken);
    const paid = await reaches(handle, 'active');
    assert.equal(paid.pendingPaymentLink, undefined);
    const overdue = paid.charges.filter((c) => c.kind === 'dunning');
    assert.deepEqual(
      overdue.map((c) => [c.sequence, c.status, c.period]),
      [[1, 'succeeded', { start: input.plan.firstChargeDate, end: secondDue }]],
      'the overdue charge pays for the period of the schedule it was due under',
    );
    assert.equal(paid.nextChargeDate, secondDue);

    await harness.advanceTo(dueAt(input, 2) + HOUR);
    const afterSecond = await eventually(async () => {
      const view = await handle.query(stateQuery);
      assert.equal(view.nextSequence, 3);
      return view;
    });
    const thirdDue = addDays(secondDue, 14);
    assert.deepEqual(
      afterSecond.charges.filter((c) => c.sequence === 2).map((c) => [c.kind, c.status, c.period]),
      [['recurring', 'succeeded', { start: secondDue, end: thirdDue }]],
    );
    assert.equal(afterSecond.status, 'active');
    assert.equal(afterSecond.nextChargeDate, thirdDue, 'the next charge is 14 days on, not a month');
    assert.equal(planAtSandbox(afterSecond.recurringUniqueID)?.chargeNextDate, thirdDue);

    await handle.executeUpdate(cancelUpdate, { args: [{ refundPolicy: 'none' }] });
    assert.equal((await ended(handle)).status, 'canceled');
  });

  it('when the first payment is reported pending (2001, then 1001 by notification and inquiry) and then approved, then the subscription becomes active, not incomplete, and its plan is live at 2C2P', async () => {
    const input = await harness.input();
    const { handle, checkout } = await harness.start(input);
    const invoiceNo = (await handle.query(stateQuery)).checkout?.invoiceNo ?? '';
    // Notifications reach the workflow verified; a pending one may be signalled as the receiver would.
    await handle.signal(paymentNotificationSignal, { invoiceNo, respCode: '2001', respDesc: 'pending' });
    await harness.sandbox.holdPayment(checkout.paymentToken, '1001');
    assert.ok(harness.received.some((n) => n.invoiceNo === invoiceNo && n.respCode === '1001'));
    await harness.advanceTo((await harness.now()) + 20 * 60_000); // quiet checks ask Payment Inquiry: 1001
    assert.equal((await handle.query(stateQuery)).status, 'pending_payment');

    await harness.sandbox.approvePayment(checkout.paymentToken);
    const view = await reaches(handle, 'active');
    assert.deepEqual(
      view.charges.map((c) => [c.invoiceNo, c.status]),
      [[invoiceNo, 'succeeded']],
    );
    assert.equal(planAtSandbox(view.recurringUniqueID)?.recurringStatus, 'Y');
    await handle.executeUpdate(cancelUpdate, { args: [{ refundPolicy: 'none' }] });
    await ended(handle);
  });

  it('when a recurring charge is reported pending (2001) and then 0000, then it is recorded succeeded once and no dunning starts', async () => {
    const input = await harness.input();
    const { handle, checkout } = await harness.start(input);
    await harness.sandbox.approvePayment(checkout.paymentToken);
    const { invoicePrefix } = await reaches(handle, 'active');
    const invoiceNo = `${invoicePrefix}00001`;
    await harness.env.sleep(dueAt(input, 1) - HOUR - (await harness.now()));
    await handle.signal(paymentNotificationSignal, { invoiceNo, respCode: '2001', respDesc: 'pending' });
    await harness.advanceTo(dueAt(input, 1) + HOUR);

    const view = await eventually(async () => {
      const v = await handle.query(stateQuery);
      assert.equal(v.nextSequence, 2);
      return v;
    });
    assert.equal(view.status, 'active');
    assert.deepEqual(
      view.charges.filter((c) => c.kind !== 'initial').map((c) => [c.invoiceNo, c.status]),
      [[invoiceNo, 'succeeded']],
      'one charge, succeeded, and no dunning charge',
    );
    assert.equal(view.pendingPaymentLink, undefined, 'no dunning link');
    const stored = (await listCharges(harness.pool, input.subscriptionId)).filter((c) => c.invoiceNo === invoiceNo);
    assert.deepEqual(
      stored.map((c) => c.status),
      ['succeeded'],
    );
    assert.equal(
      harness.sandbox.ledger().paymentTokens.filter((t) => t.invoiceNo.startsWith(invoicePrefix)).length,
      1,
      'the only payment page is the first payment',
    );
    await handle.executeUpdate(cancelUpdate, { args: [{ refundPolicy: 'none' }] });
    await ended(handle);
  });

  it('when a first payment is still pending when its link expires, then the subscription keeps following it, and once approved it is active with its plan live', async () => {
    const input = await harness.input();
    const { handle, checkout } = await harness.start(input);
    await harness.sandbox.holdPayment(checkout.paymentToken);
    assert.ok(
      harness.received.some((n) => n.respCode === '2001'),
      'the pending notification was delivered',
    );
    await harness.advanceTo(Date.parse(checkout.expiresAt) + 3 * HOUR);
    const waiting = await handle.query(stateQuery);
    assert.equal(waiting.status, 'pending_payment', 'a pending payment is not abandoned at expiry');
    assert.deepEqual(waiting.charges, []);

    await harness.sandbox.approvePayment(checkout.paymentToken);
    const view = await reaches(handle, 'active');
    assert.equal(view.charges[0]?.status, 'succeeded');
    assert.equal(view.nextChargeDate, input.plan.firstChargeDate);
    assert.equal(planAtSandbox(view.recurringUniqueID)?.recurringStatus, 'Y');
    await handle.executeUpdate(cancelUpdate, { args: [{ refundPolicy: 'none' }] });
    await ended(handle);
  });

  it('when the last charge of the plan is declined with allowAccumulate, then the run ends unpaid with its reason', async () => {
    const input = await inputWith({ recurringCount: 1, allowAccumulate: true, maxAccumulateMinor: 6000 });
    const { handle, checkout } = await harness.start(input);
    await harness.sandbox.approvePayment(checkout.paymentToken);
    await reaches(handle, 'active');
    harness.sandbox.faults.declineNextCharge();
    await harness.advanceTo(dueAt(input, 1) + HOUR);

    const final = await ended(handle);
    assert.equal(final.status, 'unpaid');
    assert.match(final.endedReason ?? '', /last charge/);
    assert.equal(final.nextChargeDate, undefined);
    assert.equal(final.charges.at(-1)?.status, 'declined');
    const row = await getSubscription(harness.pool, input.subscriptionId);
    assert.equal(row?.status, 'unpaid');
  });

  it('when the first payment is declined, then the subscription ends incomplete and shows no next charge, in the workflow and in the database', async () => {
    const input = await harness.input();
    const { handle, checkout } = await harness.start(input);
    await harness.sandbox.declinePayment(checkout.paymentToken);

    const final = await ended(handle);
    assert.equal(final.status, 'incomplete');
    assert.equal(final.nextChargeDate, undefined);
    assert.equal((await handle.query(stateQuery)).nextChargeDate, undefined);
    const row = await getSubscription(harness.pool, input.subscriptionId);
    assert.equal(row?.status, 'incomplete');
    assert.equal(row?.nextChargeDate, null);
  });
});
