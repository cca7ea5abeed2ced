// Steps shared by the workflow scenario tests: a paid subscription, waiting for a status, and the checks
// every scenario ends with (no workflow task ever failed; the database and the sandbox agree).
import assert from 'node:assert/strict';
import type { WorkflowHandle } from '@temporalio/client';
import { chargeDate } from '../../src/domain/billing-schedule.js';
import { toEpochMs } from '../../src/domain/calendar-date.js';
import { stateQuery, type SubscriptionInput, type SubscriptionView } from '../../src/workflows/definitions.js';
import type { subscriptionWorkflow } from '../../src/workflows/subscription.js';
import type { EngineHarness } from './engine-harness.js';
import { eventually } from './eventually.js';

export type SubscriptionHandle = WorkflowHandle<typeof subscriptionWorkflow>;
export const DAY = 86_400_000;
export const HOUR = 3_600_000;

/** Waits until the workflow reports `status` and returns its view. */
export async function reaches(
  handle: SubscriptionHandle,
  status: SubscriptionView['status'],
): Promise<SubscriptionView> {
  return eventually(async () => {
    const view = await handle.query(stateQuery);
    assert.equal(view.status, status);
    return view;
  });
}

/** Due instant of recurring charge `sequence` of the input's plan (before any change). */
export function dueAt(input: SubscriptionInput, sequence: number): number {
  return toEpochMs(chargeDate(input.plan.firstChargeDate, input.plan.interval, sequence));
}

/** A subscription whose first payment is made: active, its first recurring charge still ahead. */
export async function activeSubscription(
  harness: EngineHarness,
  overrides: Partial<SubscriptionInput> = {},
): Promise<{ input: SubscriptionInput; handle: SubscriptionHandle; view: SubscriptionView }> {
  const input = await harness.input(overrides);
  const { handle, checkout } = await harness.start(input);
  await harness.sandbox.approvePayment(checkout.paymentToken);
  return { input, handle, view: await reaches(handle, 'active') };
}

/** A subscription whose first payment is made and first recurring charge taken, `daysIn` days into its period. */
export async function paidSubscription(
  harness: EngineHarness,
  overrides: Partial<SubscriptionInput> = {},
  daysIn = 10,
): Promise<{ input: SubscriptionInput; handle: SubscriptionHandle }> {
  const { input, handle } = await activeSubscription(harness, overrides);
  await harness.advanceTo(dueAt(input, 1) + HOUR);
  await eventually(async () => assert.equal((await handle.query(stateQuery)).nextSequence, 2));
  await harness.advanceTo(dueAt(input, 1) + daysIn * DAY);
  return { input, handle };
}

/** The run never failed a workflow task: no stuck or crashing code path was taken. */
export async function assertNoFailedWorkflowTask(handle: SubscriptionHandle): Promise<void> {
  const history = await handle.fetchHistory();
  const failed = (history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes);
  assert.deepEqual(
    failed.map((e) => e.workflowTaskFailedEventAttributes?.failure?.message),
    [],
    'no workflow task failed',
  );
}

/** The failure type of a refused update (WorkflowUpdateFailedError → ApplicationFailure.type). */
export function refusalType(error: unknown): string | undefined {
  return (error as { cause?: { type?: string } }).cause?.type;
}

/** A subscription whose charge 1 the sandbox declined: past_due, its dunning link offered. */
export async function pastDueSubscription(harness: EngineHarness): Promise<{
  input: SubscriptionInput;
  handle: SubscriptionHandle;
  link: NonNullable<SubscriptionView['pendingPaymentLink']>;
}> {
  const { input, handle, view } = await activeSubscription(harness);
  harness.sandbox.faults.declineNextCharge({ recurringUniqueID: view.recurringUniqueID });
  await harness.advanceTo(dueAt(input, 1) + HOUR);
  const link = await eventually(async () => {
    const state = await handle.query(stateQuery);
    assert.equal(state.status, 'past_due');
    assert.ok(state.pendingPaymentLink, 'dunning offers a payment link');
    return state.pendingPaymentLink;
  });
  return { input, handle, link };
}
