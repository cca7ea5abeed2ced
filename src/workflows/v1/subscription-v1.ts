// Version 1 of the subscription workflow, frozen: histories started before the state-machine patch
// (src/workflows/subscription.ts) replay through this code until they continue as new. Do not change it.
// One durable workflow per subscription: plan creation, first payment, every charge, dunning, changes,
// cancellation and refunds, continuing as new when the history grows.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { createCheckout, followFirstPayment } from './first-payment.js';
import { followNextCharge } from './charge-cycle.js';
import {
  cancelUpdate,
  changePlanUpdate,
  checkoutUpdate,
  CustomerIdAttribute,
  MerchantIdAttribute,
  paymentNotificationSignal,
  refundUpdate,
  stateQuery,
  WorkflowFailureType,
  type RefundPolicy,
  type SubscriptionInput,
  type SubscriptionView,
} from '../definitions.js';
import { cancelSubscription, changePlan, refuse, validateCancel, validatePlanChange } from './plan-changes.js';
import { publish, touch } from './projection.js';
import { resumeRefund, startRefund } from './refunds.js';
import type { SubscriptionContext } from './subscription-context.js';
import {
  acceptNotification,
  initialState,
  isTerminal,
  planExhausted,
  refundableMinor,
  timingsOf,
  viewOf,
  type SubscriptionState,
} from './subscription-state.js';

/** Histories longer than this continue as new even before the server suggests it. */
const MAX_HISTORY_EVENTS = 5_000;

/** Carried from one run to the next by continue-as-new. */
export interface SubscriptionCarryOver {
  state: SubscriptionState;
}

/** The subscription workflow. `carry` is set only by continue-as-new. */
export async function subscriptionWorkflowV1(
  input: SubscriptionInput,
  carry?: SubscriptionCarryOver,
): Promise<SubscriptionView> {
  const state = carry?.state ?? initialState(input, invoicePrefixFor());
  const ctx: SubscriptionContext = { input, state, timings: timingsOf(input), refundsInFlight: 0 };
  // The checkout answer waits until the subscription row exists, so a notification for a payment made
  // the moment the URL is handed out always finds its subscription.
  const checkoutStage: CheckoutStage = { published: carry !== undefined };
  registerHandlers(ctx, checkoutStage);

  if (!carry) {
    upsertSearchAttributes([
      { key: MerchantIdAttribute, value: input.merchantId },
      { key: CustomerIdAttribute, value: input.customerId },
    ]);
    try {
      state.checkout = await createCheckout(ctx);
      await publish(ctx, `waiting for the first payment on ${state.checkout.invoiceNo}`);
      checkoutStage.published = true;
    } catch (error) {
      checkoutStage.error =
        error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      state.status = 'incomplete';
      state.endedReason = `the payment page could not be created: ${checkoutStage.error}`;
      await publish(ctx, 'checkout failed');
      return viewOf(state);
    }
    await followFirstPayment(ctx);
  } else {
    touch(ctx, 'continued as new');
    for (const refund of state.refunds)
      if (refund.status !== 'succeeded' && refund.status !== 'failed') resumeRefund(ctx, refund);
  }

  const maxEvents = input.historyLimit ?? MAX_HISTORY_EVENTS;
  while (!isTerminal(state.status)) {
    if (planExhausted(state)) break;
    if (
      (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > maxEvents) &&
      ctx.refundsInFlight === 0
    ) {
      // Let running updates answer first; signals that arrive later go to the next run with the inbox.
      await condition(allHandlersFinished);
      await continueAsNew<typeof subscriptionWorkflowV1>(input, { state });
    }
    await followNextCharge(ctx);
  }
  // Compensations outlive the plan: finish every refund before the run completes.
  await condition(() => ctx.refundsInFlight === 0 && allHandlersFinished());
  await publish(ctx, `ended: ${state.endedReason ?? state.status}`);
  return viewOf(state);
}

interface CheckoutStage {
  published: boolean;
  error?: string;
}

function registerHandlers(ctx: SubscriptionContext, checkout: CheckoutStage): void {
  const { state } = ctx;
  setHandler(stateQuery, () => viewOf(state));
  setHandler(paymentNotificationSignal, (notification) => {
    acceptNotification(state, notification);
  });
  setHandler(checkoutUpdate, async () => {
    await condition(() => checkout.published || checkout.error !== undefined || state.status !== 'pending_payment');
    if (checkout.error)
      throw ApplicationFailure.create({
        type: WorkflowFailureType.checkoutFailed,
        message: checkout.error,
        nonRetryable: true,
      });
    // A repeated start of the same subscription gets the same page back, never a second plan.
    const page = state.checkout;
    if (!page)
      throw ApplicationFailure.create({
        type: WorkflowFailureType.invalidState,
        message: 'no payment page',
        nonRetryable: true,
      });
    return {
      subscriptionId: state.subscriptionId,
      status: state.status,
      webPaymentUrl: page.webPaymentUrl,
      paymentToken: page.paymentToken,
      expiresAt: page.expiresAt,
    };
  });
  setHandler(changePlanUpdate, (change) => changePlan(ctx, change), {
    validator: (change) => validatePlanChange(ctx, change),
  });
  // A cancel that names no refund policy takes the one the subscription was created with.
  const cancelPolicy = (request: { refundPolicy?: RefundPolicy }) =>
    request.refundPolicy ?? ctx.input.refundPolicy ?? 'none';
  setHandler(cancelUpdate, (request) => cancelSubscription(ctx, cancelPolicy(request)), {
    validator: (request) => validateCancel(ctx, cancelPolicy(request)),
  });
  setHandler(
    refundUpdate,
    async (request) => {
      const refund = startRefund(
        ctx,
        request.invoiceNo,
        request.amountMinor ?? refundableMinor(state, request.invoiceNo),
        'requested',
      );
      return refund;
    },
    {
      validator: (request) => {
        const refundable = refundableMinor(state, request.invoiceNo);
        if (
          request.amountMinor !== undefined &&
          (!Number.isSafeInteger(request.amountMinor) || request.amountMinor <= 0)
        ) {
          refuse('InvalidRequest', 'amountMinor must be a positive whole number of minor units');
        }
        if (refundable <= 0) refuse('InvalidRequest', `charge ${request.invoiceNo} has nothing left to refund`);
        if (request.amountMinor !== undefined && request.amountMinor > refundable) {
          refuse(
            'InvalidRequest',
            `refund of ${request.amountMinor} exceeds the ${refundable} left refundable on ${request.invoiceNo}`,
          );
        }
      },
    },
  );
}

/** A 12-character invoice prefix, unique per subscription and replay-safe (workflow uuid4 is deterministic). */
function invoicePrefixFor(): string {
  return `R${uuid4().replace(/-/g, '').slice(0, 11).toUpperCase()}`;
}
