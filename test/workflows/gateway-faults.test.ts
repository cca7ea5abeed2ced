// Answers the workflow cannot act on never end or freeze a subscription: a badly signed Payment Inquiry
// or refund answer opens `needs_attention` with the reason, is retried on a slow schedule or at once by the
// operator's retry, and a plan 2C2P cannot bill is refused at the start with its reason.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import {
  cancelUpdate,
  refundUpdate,
  retryUpdate,
  stateQuery,
  subscriptionWorkflowId,
} from '../../src/workflows/definitions.js';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { eventually } from '../support/eventually.js';
import { recordHistory } from '../support/histories.js';
import {
  activeSubscription,
  assertNoFailedWorkflowTask,
  paidSubscription,
  reaches,
  refusalType,
} from '../support/subscription-steps.js';

const MINUTE = 60_000;

describe('gateway answers the workflow cannot act on', () => {
  let harness: EngineHarness;
  before(async () => {
    harness = await startEngineHarness();
  });
  after(async () => {
    await harness?.stop();
  });

  it('when the Payment Inquiry answer is badly signed, then the subscription needs attention, and the operator retry completes it', async () => {
    const input = await harness.input();
    const { handle, checkout } = await harness.start(input);
    harness.sandbox.faults.dropNextNotification(1);
    await harness.sandbox.approvePayment(checkout.paymentToken); // paid; the notification is lost
    harness.sandbox.faults.wrongSignature({ operation: 'paymentInquiry', count: 1 });
    await harness.advanceTo((await harness.now()) + 3 * MINUTE); // the workflow asks Payment Inquiry

    const stuck = await reaches(handle, 'needs_attention');
    assert.equal(stuck.attention?.failureType, 'ERR_GATEWAY_PROTOCOL');
    assert.equal(stuck.attention?.resumeStatus, 'pending_payment');
    assert.match(stuck.attention?.operation ?? '', /^Payment inquiry R/);
    const row = await harness.pool.query<{ status: string }>('SELECT status FROM subscriptions WHERE id = $1', [
      input.subscriptionId,
    ]);
    assert.equal(row.rows[0]?.status, 'needs_attention', 'the projection shows it too');
    const description = await handle.describe();
    assert.equal(description.status.name, 'RUNNING', 'the run did not fail');

    const retried = await handle.executeUpdate(retryUpdate, { args: [{}] });
    assert.equal(retried.attention, 0);
    const active = await reaches(handle, 'active');
    assert.equal(active.attention, undefined);
    assert.equal(active.charges[0]?.status, 'succeeded');

    await handle.executeUpdate(cancelUpdate, { args: [{ refundPolicy: 'none' }] });
    assert.equal((await handle.result()).status, 'canceled');
    await assertNoFailedWorkflowTask(handle);
    await recordHistory(harness, handle, 'needs-attention-retry');
  });

  it('when a refund answer is badly signed, then the refund waits in needs attention and is retried on its own until it succeeds, once', async () => {
    const { handle } = await paidSubscription(harness);
    const view = await handle.query(stateQuery);
    const charge = view.charges.find((c) => c.sequence === 1)!;
    harness.sandbox.faults.wrongSignature({ operation: 'refund', count: 1 });
    await handle.executeUpdate(refundUpdate, { args: [{ invoiceNo: charge.invoiceNo, amountMinor: 500 }] });

    const stuck = await reaches(handle, 'needs_attention');
    assert.equal(stuck.attention?.resumeStatus, 'active');
    assert.match(stuck.attention?.operation ?? '', /refund/);
    // No operator: the slow schedule (15 minutes first) retries it; refunds are idempotent at 2C2P.
    await harness.advanceTo((await harness.now()) + 20 * MINUTE);
    const done = await eventually(async () => {
      const state = await handle.query(stateQuery);
      assert.equal(state.refunds[0]?.status, 'succeeded');
      return state;
    });
    assert.equal(done.status, 'active');
    const atSandbox = harness.sandbox.ledger().refunds.filter((r) => r.invoiceNo === charge.invoiceNo);
    assert.deepEqual(
      atSandbox.map((r) => r.amount.minor),
      [500],
      'the refund 2C2P applied before its answer was garbled is not made again',
    );
    await handle.executeUpdate(cancelUpdate, { args: [{ refundPolicy: 'none' }] });
    await handle.result();
    await assertNoFailedWorkflowTask(handle);
  });

  it('when nothing needs attention, then the retry update is refused as InvalidState', async () => {
    const { handle } = await activeSubscription(harness);
    await assert.rejects(
      handle.executeUpdate(retryUpdate, { args: [{}] }),
      (error: unknown) => error instanceof WorkflowUpdateFailedError && refusalType(error) === 'InvalidState',
    );
    await handle.executeUpdate(cancelUpdate, { args: [{ refundPolicy: 'none' }] });
    await handle.result();
  });

  it('when a plan is in a 3-decimal currency, then the start is refused with the reason and the run ends incomplete, with nothing sent to 2C2P', async () => {
    const input = await harness.input({
      plan: { ...(await harness.input()).plan, currency: 'KWD', amountMinor: 12_345 },
    });
    const tokensBefore = harness.sandbox.ledger().paymentTokens.length;
    await assert.rejects(harness.start(input), (error: unknown) => {
      assert.ok(error instanceof WorkflowUpdateFailedError);
      assert.equal(refusalType(error), 'CheckoutFailed');
      assert.match(String((error as { cause?: Error }).cause?.message), /currency.*KWD has 3 decimals/);
      return true;
    });
    const handle = harness.env.client.workflow.getHandle(
      subscriptionWorkflowId(input.merchantId, input.subscriptionId),
    );
    const final = (await handle.result()) as { status: string; endedReason?: string; nextChargeDate?: string };
    assert.equal(final.status, 'incomplete');
    assert.match(final.endedReason ?? '', /KWD/);
    assert.equal(final.nextChargeDate, undefined);
    assert.equal(harness.sandbox.ledger().paymentTokens.length, tokensBefore);
  });
});
