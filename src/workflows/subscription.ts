// One durable workflow per subscription: plan creation, first payment, every charge, dunning, changes,
// cancellation and refunds, continuing as new when the history grows.
import { Mutex } from 'async-mutex';
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { planProblems } from '../domain/plan-rules.js';
import { followNextCharge, takenBeforeEnd } from './charge-cycle.js';
import {
  CustomerIdAttribute,
  MerchantIdAttribute,
  type SubscriptionInput,
  type SubscriptionView,
} from './definitions.js';
import { createCheckout, followFirstPayment } from './first-payment.js';
import { registerHandlers, type CheckoutStage } from './handlers.js';
import { differsFromCurrent, publish, touch } from './projection.js';
import { leanHistory } from './lean-history.js';
import { resumeRefund } from './refunds.js';
import { planExhausted } from './schedule.js';
import { now } from './clock.js';
import { transition } from './status.js';
import type { SubscriptionContext } from './subscription-context.js';
import {
  initialState,
  isFinal,
  isTerminal,
  migrateState,
  pruneHistory,
  timingsOf,
  viewOf,
  type SubscriptionState,
} from './subscription-state.js';
import { subscriptionWorkflowV1 } from './v1/subscription-v1.js';

/** Histories longer than this continue as new even before the server suggests it. */
const MAX_HISTORY_EVENTS = 5_000;

/**
 * The patch that introduced the state machine (one status transition, serialized handlers, attention
 * instead of failures). Runs started before it replay through version 1 until they continue as new.
 */
export const STATE_MACHINE_PATCH = 'state-machine-v2';
/** The patch that follows charges which fell due before the end (chaos run: a charge taken during late dunning). */
export const LATE_CHARGES_PATCH = 'late-charges-after-end';

/** Carried from one run to the next by continue-as-new. */
export interface SubscriptionCarryOver {
  state: SubscriptionState;
}

/** The subscription workflow. `carry` is set only by continue-as-new. */
export async function subscriptionWorkflow(
  input: SubscriptionInput,
  carry?: SubscriptionCarryOver,
): Promise<SubscriptionView> {
  if (!patched(STATE_MACHINE_PATCH)) return subscriptionWorkflowV1(input, carry as never);
  const state = carry ? migrateState(carry.state) : initialState(input, invoicePrefixFor());
  const ctx: SubscriptionContext = {
    input,
    state,
    timings: timingsOf(input),
    lock: new Mutex(),
    localActivities: new Mutex(),
    refundsInFlight: 0,
    retryRequests: 0,
  };
  // The checkout answer waits until the subscription row exists, so a notification for a payment made
  // the moment the URL is handed out always finds its subscription.
  const checkout: CheckoutStage = { published: carry !== undefined };
  registerHandlers(ctx, checkout);

  if (!carry) {
    const owner = [
      { key: MerchantIdAttribute, value: input.merchantId },
      { key: CustomerIdAttribute, value: input.customerId },
    ];
    // The API sets them at start; a start from elsewhere may not have.
    const missing = leanHistory() ? owner.filter(differsFromCurrent) : owner;
    if (missing.length > 0) upsertSearchAttributes(missing);
    const problem = planProblems(input.plan, input.dunning)[0];
    try {
      // The API validates first; a start from elsewhere with a plan 2C2P cannot bill ends here, with the reason.
      if (problem) throw new TypeError(`plan.${problem.field}: ${problem.message}`);
      state.checkout = await createCheckout(ctx);
      await publish(ctx, `waiting for the first payment on ${state.checkout.invoiceNo}`);
      checkout.published = true;
    } catch (error) {
      checkout.error = messageOf(error);
      transition(state, 'incomplete', `the payment page could not be created: ${checkout.error}`);
      await publish(ctx, 'checkout failed');
      return viewOf(state);
    }
    await followFirstPayment(ctx);
  } else {
    touch(ctx, 'continued as new');
    for (const refund of state.refunds) if (!isFinal(refund.status)) resumeRefund(ctx, refund);
  }

  const maxEvents = input.historyLimit ?? MAX_HISTORY_EVENTS;
  while (!isTerminal(state.status) && !planExhausted(state)) {
    const info = workflowInfo();
    if ((info.continueAsNewSuggested || info.historyLength > maxEvents) && ctx.refundsInFlight === 0) {
      // Let running updates answer first; signals that arrive later go to the next run with the inbox.
      await condition(allHandlersFinished);
      pruneHistory(state);
      await continueAsNew<typeof subscriptionWorkflow>(input, { state });
    }
    await followNextCharge(ctx);
  }
  if (patched(LATE_CHARGES_PATCH)) await followChargesDueBeforeTheEnd(ctx);
  await ctx.lock.runExclusive(async () => {
    // The plan's last charge is behind us: paid means completed, unpaid (no later charge to carry it) unpaid.
    if (state.status === 'active') transition(state, 'completed', 'every charge of the plan was made');
    if (state.status === 'past_due') transition(state, 'unpaid', 'the last charge of the plan was not paid');
  });
  // Compensations outlive the plan: finish every refund before the run completes.
  await condition(() => ctx.refundsInFlight === 0 && allHandlersFinished());
  await publish(ctx, `ended: ${state.endedReason ?? state.status}`);
  return viewOf(state);
}

/**
 * Charges that fell due before the subscription ended, while it was still busy with an earlier one (dunning
 * that ran late, a retried inquiry), and charges 2C2P has already reported: 2C2P took them while the plan
 * was live there, so each is looked for one grace period more, recorded, and refunded in full as a payment
 * after the end. Stops at the first charge that did not come.
 */
async function followChargesDueBeforeTheEnd(ctx: SubscriptionContext): Promise<void> {
  const { state } = ctx;
  if (!isTerminal(state.status)) return;
  const endedAt = now(state);
  while (!planExhausted(state) && takenBeforeEnd(state, state.nextSequence, endedAt)) {
    const followed = state.nextSequence;
    await followNextCharge(ctx);
    if (state.nextSequence === followed) return;
  }
}

/** A 12-character invoice prefix, unique per subscription and replay-safe (workflow uuid4 is deterministic). */
function invoicePrefixFor(): string {
  return `R${uuid4().replace(/-/g, '').slice(0, 11).toUpperCase()}`;
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? error.cause.message : error.message;
}
