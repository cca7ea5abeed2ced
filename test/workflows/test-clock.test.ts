// Test clocks move the workflows too: with Temporal's own time standing still, moving the subscription's
// clock (the sandbox's clock, then testClockSignal) makes the due charge happen, a refund's settlement wait
// pass and a dunning window run out, within seconds.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { refundUpdate, stateQuery, testClockSignal } from '../../src/workflows/definitions.js';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { eventually } from '../support/eventually.js';
import {
  activeSubscription,
  assertNoFailedWorkflowTask,
  DAY,
  dueAt,
  HOUR,
  reaches,
  type SubscriptionHandle,
} from '../support/subscription-steps.js';

describe('test clocks on the real engine', () => {
  let harness: EngineHarness;
  before(async () => {
    harness = await startEngineHarness();
  });
  after(async () => {
    await harness?.stop();
  });

  /** What `POST /v1/test-clock/advance` does: the sandbox's clock first, then every workflow's. */
  async function moveTestClock(handle: SubscriptionHandle, to: number): Promise<void> {
    await harness.sandbox.clock.advanceTo(new Date(to));
    await handle.signal(testClockSignal, { nowMs: to });
  }

  it('when a test clock signal is older than the clock, then nothing moves back', async () => {
    const { input, handle } = await activeSubscription(harness);
    await moveTestClock(handle, dueAt(input, 1) + HOUR);
    await eventually(async () => assert.equal((await handle.query(stateQuery)).nextSequence, 2));
    await handle.signal(testClockSignal, { nowMs: dueAt(input, 1) - 10 * DAY });
    const view = await handle.query(stateQuery);
    assert.equal(view.nextSequence, 2);
    assert.equal(view.status, 'active');
    await assertNoFailedWorkflowTask(handle);
  });
  it('when the test clock moves past a due date, a settlement and a dunning window, then the charge, the refund and the ending happen without Temporal time passing', async () => {
    const { input, handle } = await activeSubscription(harness);
    const temporalStart = await harness.now();

    await moveTestClock(handle, dueAt(input, 1) + HOUR);
    const charged = await eventually(async () => {
      const view = await handle.query(stateQuery);
      assert.equal(view.nextSequence, 2);
      return view;
    });
    const charge = charged.charges.find((c) => c.sequence === 1)!;
    assert.equal(charge.status, 'succeeded');

    // A refund waits for settlement on a 6-hour poll; two days on the test clock settle and refund it.
    await handle.executeUpdate(refundUpdate, { args: [{ invoiceNo: charge.invoiceNo, amountMinor: 700 }] });
    await moveTestClock(handle, dueAt(input, 1) + 2 * DAY);
    await eventually(async () => assert.equal((await handle.query(stateQuery)).refunds[0]?.status, 'succeeded'));

    // The next charge is declined; the 7-day dunning window passes on the test clock: unpaid.
    harness.sandbox.faults.declineNextCharge({ recurringUniqueID: charged.recurringUniqueID });
    await moveTestClock(handle, dueAt(input, 2) + HOUR);
    await reaches(handle, 'past_due');
    await eventually(async () =>
      assert.ok((await handle.query(stateQuery)).pendingPaymentLink, 'the dunning link is out'),
    );
    await moveTestClock(handle, dueAt(input, 2) + 8 * DAY);
    const ended = await reaches(handle, 'unpaid');
    assert.match(ended.endedReason ?? '', /not paid within 7 days/);
    const plan = harness.sandbox.ledger().plans.find((p) => p.recurringUniqueID === ended.recurringUniqueID);
    assert.equal(plan?.recurringStatus, 'N', 'the plan is cancelled at 2C2P');

    assert.ok((await harness.now()) - temporalStart < HOUR, "Temporal's own clock barely moved");
    await assertNoFailedWorkflowTask(handle);
  });
});

describe('the operator view of a run in the Temporal UI', () => {
  let harness: EngineHarness;
  before(async () => {
    harness = await startEngineHarness();
  });
  after(async () => {
    await harness?.stop();
  });

  /** The summaries the run's timers carry (what the UI's timeline shows for each wait). */
  async function timerSummaries(handle: SubscriptionHandle): Promise<string[]> {
    const history = await handle.fetchHistory();
    return (history.events ?? [])
      .filter((event) => event.timerStartedEventAttributes)
      .map((event) => {
        const summary = event.userMetadata?.summary;
        return summary ? defaultPayloadConverter.fromPayload<string>(summary) : '';
      });
  }

  it('when a subscription waits for its charge, then the timer names the charge and its due date, and the current details say what comes next', async () => {
    const { input, handle } = await activeSubscription(harness);
    const due = new Date(dueAt(input, 1)).toISOString().slice(0, 10);
    await eventually(async () => {
      const summaries = await timerSummaries(handle);
      assert.ok(
        summaries.some((s) => s.startsWith(`wait for charge 1 due ${due}; inquiry at `)),
        `no timer names charge 1: ${JSON.stringify(summaries)}`,
      );
    });
    const summaries = await timerSummaries(handle);
    assert.deepEqual(
      summaries.filter((s) => s === ''),
      [],
      'every timer carries a summary',
    );

    // The UI reads current details through the built-in metadata query.
    const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    assert.match(metadata.currentDetails ?? '', /^\*\*active\*\*/);
    assert.match(metadata.currentDetails ?? '', new RegExp(`next: charge 1 due ${due}`));
    await assertNoFailedWorkflowTask(handle);
  });
});
