// Bugs the chaos run (npm run chaos) found, each replayed here on the real engine with the smallest steps
// that show it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listCharges, listRefunds } from '../../src/db/index.js';
import { Worker } from '@temporalio/worker';
import { changePlanUpdate, stateQuery, type SubscriptionView } from '../../src/workflows/definitions.js';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { eventually } from '../support/eventually.js';
import { recordHistory } from '../support/histories.js';
import { historyBreakdown } from '../support/plain-year.js';
import {
  assertNoFailedWorkflowTask,
  dueAt,
  DAY,
  HOUR,
  paidSubscription,
  pastDueSubscription,
  reaches,
} from '../support/subscription-steps.js';

describe('chaos regressions on the real engine', () => {
  let harness: EngineHarness;
  before(async () => {
    harness = await startEngineHarness();
  });
  after(async () => {
    await harness?.stop();
  });

  it('when 2C2P answers the payment token with a garbled body once, then the checkout is tried again and hands out a page, not an incomplete subscription', async () => {
    const input = await harness.input();
    harness.sandbox.faults.garbage({ operation: 'paymentToken', applied: true });
    const { handle, checkout } = await harness.start(input);
    assert.ok(checkout.webPaymentUrl, 'the checkout has its payment page');
    assert.deepEqual(harness.sandbox.faults.snapshot().requests, [], 'the garbled answer was given');
    await harness.sandbox.approvePayment(checkout.paymentToken);
    await reaches(handle, 'active');
    await assertNoFailedWorkflowTask(handle);
  });

  it('when dunning for charge 1 is still open when charge 2 falls due and 2C2P takes it, then the run ends unpaid with charge 2 recorded and refunded in full, not lost', async () => {
    const { input, handle, link } = await pastDueSubscription(harness);

    // The customer's payment on the link stays pending at 2C2P past the window, so the workflow keeps
    // following it; charge 2 falls due meanwhile and 2C2P, the plan still live there, takes it. Then the
    // held payment is declined: the window is over, the subscription ends unpaid.
    await harness.sandbox.holdPayment(link.paymentToken);
    await harness.advanceTo(dueAt(input, 2) + HOUR);
    await harness.sandbox.declinePayment(link.paymentToken);
    await harness.advanceTo(dueAt(input, 2) + 3 * HOUR);
    await reaches(handle, 'unpaid');
    await harness.advanceTo((await harness.now()) + 3 * DAY);
    const final: SubscriptionView = await handle.result();
    assert.equal(final.status, 'unpaid');

    const taken = harness.sandbox
      .ledger()
      .transactions.filter((t) => t.recurringUniqueID === final.recurringUniqueID && t.recurringSequenceNo === 2);
    assert.equal(taken.length, 1, '2C2P took charge 2');
    const invoiceNo = taken[0]!.invoiceNo;
    const charges = await listCharges(harness.pool, input.subscriptionId);
    assert.deepEqual(
      charges.filter((c) => c.invoiceNo === invoiceNo).map((c) => [c.kind, c.sequence, c.status]),
      [['recurring', 2, 'succeeded']],
      'charge 2 has its ledger row',
    );
    const refunds = await listRefunds(harness.pool, input.subscriptionId);
    assert.deepEqual(
      refunds.filter((r) => r.invoiceNo === invoiceNo).map((r) => [r.reason, r.amountMinor, r.status]),
      [['payment_after_end', taken[0]!.amount.minor, 'succeeded']],
      'charge 2 went back in full',
    );
    // The held payment stayed pending some 23 days past the window: asked after hourly at first, then at most
    // daily (hourly throughout, it was about 550 inquiries, 6,600 history events).
    const { activities } = historyBreakdown((await handle.fetchHistory()).events ?? []);
    const inquiries = activities['inquirePayment'] ?? 0;
    assert.ok(inquiries > 20 && inquiries <= 45, `${inquiries} payment inquiries: still followed, and backed off`);
    await recordHistory(harness, handle, 'charge-taken-while-dunning');
    await assertNoFailedWorkflowTask(handle);
  });

  it("when 2C2P takes charge 2 before the workflow's clock reaches its due date and dunning then ends unpaid, then charge 2 is recorded and refunded in full, not lost", async () => {
    const { input, handle, link } = await pastDueSubscription(harness);

    // 2C2P's clock runs ahead (as a test clock's sandbox does, or a retried cancel lands late): it takes
    // charge 2 and reports it while the workflow still counts the days of charge 1's dunning window.
    await harness.sandbox.clock.advanceTo(new Date(dueAt(input, 2) + HOUR));
    const view = await handle.query(stateQuery);
    const taken = await eventually(() => {
      const charges = harness.sandbox
        .ledger()
        .transactions.filter((t) => t.recurringUniqueID === view.recurringUniqueID && t.recurringSequenceNo === 2);
      assert.equal(charges.length, 1, '2C2P took charge 2');
      return charges[0]!;
    });
    // The window closes unpaid long before charge 2's due date on the workflow's clock.
    await harness.advanceTo(Date.parse(link.expiresAt) + 2 * HOUR);
    await reaches(handle, 'unpaid');
    assert.ok(Date.parse(link.expiresAt) + 2 * HOUR < dueAt(input, 2), 'it ended before charge 2 fell due');
    // The refund waits for 2C2P to settle charge 2: both clocks move on past that.
    await harness.advanceTo(dueAt(input, 2) + 3 * DAY);
    const final: SubscriptionView = await handle.result();
    assert.equal(final.status, 'unpaid');

    const charges = await listCharges(harness.pool, input.subscriptionId);
    assert.deepEqual(
      charges.filter((c) => c.invoiceNo === taken.invoiceNo).map((c) => [c.kind, c.sequence, c.status]),
      [['recurring', 2, 'succeeded']],
      'charge 2 has its ledger row',
    );
    const refunds = await listRefunds(harness.pool, input.subscriptionId);
    assert.deepEqual(
      refunds.filter((r) => r.invoiceNo === taken.invoiceNo).map((r) => [r.reason, r.amountMinor, r.status]),
      [['payment_after_end', taken.amount.minor, 'succeeded']],
      'charge 2 went back in full',
    );
    await recordHistory(harness, handle, 'charge-reported-after-end');
    await assertNoFailedWorkflowTask(handle);
  });

  it("when 2C2P answers a dunning link's last inquiry busy (0999) and then says it expired (5009), then the run ends unpaid instead of asking hourly for ever", async () => {
    const { handle, link } = await pastDueSubscription(harness);

    // Every gateway call answers busy while the window closes: the inquiry at the deadline says 0999.
    const chaos = (method: string, body?: unknown) =>
      fetch(`${harness.sandbox.endpoints().baseUrl}/_sandbox/chaos`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { injected: Record<string, number> } }));
    assert.equal(
      (await chaos('POST', { seed: 1, requestFaultRate: 1, requestFaultKinds: ['transientCode'] })).status,
      200,
    );
    await harness.advanceTo(Date.parse(link.expiresAt) + 10 * 60_000);
    const busy = await chaos('DELETE');
    assert.ok((busy.body.injected.transientCode ?? 0) >= 1, JSON.stringify(busy.body));

    // Now 2C2P answers that the link expired unpaid: the window is over, the subscription ends.
    await harness.advanceTo(Date.parse(link.expiresAt) + 2 * HOUR);
    await reaches(handle, 'unpaid');
    await recordHistory(harness, handle, 'dunning-link-busy-then-expired');
    await assertNoFailedWorkflowTask(handle);
  });

  it('when 2C2P answers busy (0999) about a charge followed after the end, then says it never made it, then the run ends instead of asking daily for ever', async () => {
    const { input, handle, link } = await pastDueSubscription(harness);

    // The customer's payment on the link is held at 2C2P, so the workflow follows it past the window. Only
    // the workflow's clock moves on past charge 2's due date (a cancel retried late, as in the chaos run):
    // 2C2P never takes charge 2.
    await harness.sandbox.holdPayment(link.paymentToken);
    await harness.env.sleep(dueAt(input, 2) + HOUR - (await harness.now()));
    // The held payment is declined: the subscription ends unpaid after charge 2 fell due, so charge 2 is
    // looked for one grace period more. 2C2P's first answer about it is busy, then "Transaction not found".
    harness.sandbox.faults.busy({ operation: 'paymentInquiry' });
    // Neither clock moves until the plan is cancelled at 2C2P.
    await harness.sandbox.declinePayment(link.paymentToken);
    await reaches(handle, 'unpaid');

    await harness.advanceTo((await harness.now()) + 5 * DAY);
    assert.deepEqual(harness.sandbox.faults.snapshot().requests, [], 'the busy answer was given');
    const ended = await eventually(async () => {
      const { status } = await handle.describe();
      assert.equal(status.name, 'COMPLETED', 'the run has ended (before the patch it asked daily for ever)');
      return (await handle.result()) as SubscriptionView;
    });
    assert.equal(ended.status, 'unpaid');
    const taken = harness.sandbox
      .ledger()
      .transactions.filter((t) => t.recurringUniqueID === ended.recurringUniqueID && t.recurringSequenceNo === 2);
    assert.deepEqual(taken, [], '2C2P never took charge 2');
    const charges = await listCharges(harness.pool, input.subscriptionId);
    assert.deepEqual(
      charges.filter((c) => c.kind === 'recurring').map((c) => [c.sequence, c.status]),
      [[1, 'declined']],
      'charge 1 declined, no charge 2',
    );
    await recordHistory(harness, handle, 'charge-after-end-busy-then-not-found');
    await assertNoFailedWorkflowTask(handle);
  });

  it('when a decline reaches the workflow before the test clock does, then its dunning window runs from the decline and the customer can still pay', async () => {
    const input = await harness.input();
    const { handle, checkout } = await harness.start(input);
    await harness.sandbox.approvePayment(checkout.paymentToken);
    const active = await reaches(handle, 'active');
    harness.sandbox.faults.declineNextCharge({ recurringUniqueID: active.recurringUniqueID });
    // The sandbox moves first (as POST /v1/test-clock/advance does): the decline arrives while the
    // workflow's clock still reads the day of the first payment, a month before.
    await harness.sandbox.clock.advanceTo(new Date(dueAt(input, 1) + HOUR));
    await eventually(async () => assert.equal((await handle.query(stateQuery)).status, 'past_due'));
    await harness.advanceTo(dueAt(input, 1) + 2 * DAY);
    const view = await handle.query(stateQuery);
    assert.equal(view.status, 'past_due', 'two days after the decline, the 7-day window is still open');
    assert.ok(view.pendingPaymentLink, 'the dunning link is offered');
    await harness.sandbox.approvePayment(view.pendingPaymentLink.paymentToken);
    await reaches(handle, 'active');
    await recordHistory(harness, handle, 'decline-before-the-clock');
    await assertNoFailedWorkflowTask(handle);
  });
});

describe('chaos regressions on the real engine, with the refund record written slowly', () => {
  let harness: EngineHarness;
  before(async () => {
    // The refund's first write finishes after the projection write scheduled after it, as it did in the run.
    harness = await startEngineHarness({ slowActivities: { saveRefund: 300 } });
  });
  after(async () => {
    await harness?.stop();
  });

  it("when a prorated downgrade's refund is recorded after its projection write while a second plan change waits, then the history replays", async () => {
    const { handle } = await paidSubscription(harness);
    const change = (amountMinor: number) =>
      handle.executeUpdate(changePlanUpdate, { args: [{ amountMinor, prorate: true }] });
    const results = await Promise.all([change(2000), change(1500)]);
    assert.deepEqual(results.map((r) => r.plan.amountMinor).sort(), [1500, 2000]);
    await eventually(async () => {
      const view = await handle.query(stateQuery);
      assert.ok(view.refunds.length >= 1 && view.refunds.every((r) => r.status !== 'requested'));
    });
    // A worker that lost its cache replays the run from its history: it must take the same steps.
    const history = await handle.fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: harness.workflowBundle }, history, handle.workflowId);
    await recordHistory(harness, handle, 'refund-record-after-projection-write');
    await assertNoFailedWorkflowTask(handle);
  });
});
