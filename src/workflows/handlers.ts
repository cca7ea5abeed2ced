// The workflow's signal, query and update handlers. Updates that await run one at a time under the lock
// (update-guard.ts); validators refuse early, and each handler checks again once it holds the lock.
import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import { cancelSubscription, validateCancel } from './cancellation.js';
import {
  cancelUpdate,
  changePlanUpdate,
  checkoutUpdate,
  paymentNotificationSignal,
  refundUpdate,
  retryUpdate,
  stateQuery,
  testClockSignal,
  WorkflowFailureType,
  type RefundPolicy,
  type RefundRequest,
} from './definitions.js';
import { advanceClock } from './clock.js';
import { acceptNotification } from './inbox.js';
import { changePlan, validatePlanChange } from './plan-change.js';
import { refundableOn, startRefund } from './refunds.js';
import type { SubscriptionContext } from './subscription-context.js';
import { viewOf, visibleStatus } from './subscription-state.js';
import { alreadyAnswered, exclusiveUpdate, refuse } from './update-guard.js';

/** Where the checkout stands, for the checkout update that waits on it. */
export interface CheckoutStage {
  published: boolean;
  error?: string;
}

/** How long the operator's retry waits to answer with the outcome of the attempts it started. */
const RETRY_ANSWER_WAIT_MS = 60_000;

export function registerHandlers(ctx: SubscriptionContext, checkout: CheckoutStage): void {
  const { state } = ctx;
  setHandler(stateQuery, () => viewOf(state));
  setHandler(paymentNotificationSignal, (notification) => {
    acceptNotification(state, notification);
  });
  setHandler(testClockSignal, ({ nowMs }) => advanceClock(state, nowMs));
  setHandler(checkoutUpdate, async () => {
    await condition(() => checkout.published || checkout.error !== undefined || state.status !== 'pending_payment');
    if (checkout.error) {
      throw ApplicationFailure.create({
        type: WorkflowFailureType.checkoutFailed,
        message: checkout.error,
        nonRetryable: true,
      });
    }
    // A repeated start of the same subscription gets the same page back, never a second plan.
    const page = state.checkout;
    if (!page) refuse('InvalidState', 'no payment page');
    return {
      subscriptionId: state.subscriptionId,
      status: visibleStatus(state),
      webPaymentUrl: page.webPaymentUrl,
      paymentToken: page.paymentToken,
      expiresAt: page.expiresAt,
    };
  });
  setHandler(changePlanUpdate, (change) => exclusiveUpdate(ctx, () => changePlan(ctx, change)), {
    validator: (change) => validatePlanChange(ctx, change),
  });
  // A cancel that names no refund policy takes the one the subscription was created with.
  const cancelPolicy = (request: { refundPolicy?: RefundPolicy }) =>
    request.refundPolicy ?? ctx.input.refundPolicy ?? 'none';
  setHandler(cancelUpdate, (request) => exclusiveUpdate(ctx, () => cancelSubscription(ctx, cancelPolicy(request))), {
    validator: (request) => validateCancel(ctx, cancelPolicy(request)),
  });
  setHandler(
    refundUpdate,
    (request) =>
      exclusiveUpdate(ctx, async () => {
        validateRefund(ctx, request);
        return startRefund(
          ctx,
          request.invoiceNo,
          request.amountMinor ?? refundableOn(state, request.invoiceNo),
          'requested',
        );
      }),
    { validator: (request) => validateRefund(ctx, request) },
  );
  // Not under the lock: a call waiting for this retry may itself hold the lock.
  setHandler(
    retryUpdate,
    async (_request) => {
      ctx.retryRequests += 1;
      const attempts = new Map(state.attention.map((a) => [a.operation, a.attempts]));
      await condition(
        () => state.attention.every((a) => (attempts.get(a.operation) ?? -1) !== a.attempts),
        RETRY_ANSWER_WAIT_MS,
      );
      return { status: visibleStatus(state), attention: state.attention.length };
    },
    {
      validator: (_request) => {
        if (state.attention.length === 0)
          refuse('InvalidState', 'nothing needs attention: no call is waiting to be retried');
      },
    },
  );
}

function validateRefund(ctx: SubscriptionContext, request: RefundRequest): void {
  if (alreadyAnswered(ctx)) return;
  const { state } = ctx;
  if (request.amountMinor !== undefined && (!Number.isSafeInteger(request.amountMinor) || request.amountMinor <= 0)) {
    refuse('InvalidRequest', 'amountMinor must be a positive whole number of minor units', 'amount');
  }
  if (!state.charges.some((c) => c.invoiceNo === request.invoiceNo && c.status === 'succeeded')) {
    refuse(
      'InvalidRequest',
      `${request.invoiceNo} is not a successful charge among the last ones this subscription keeps`,
      'invoiceNo',
    );
  }
  const refundable = refundableOn(state, request.invoiceNo);
  if (refundable <= 0) refuse('InvalidRequest', `charge ${request.invoiceNo} has nothing left to refund`, 'invoiceNo');
  if (request.amountMinor !== undefined && request.amountMinor > refundable) {
    refuse(
      'InvalidRequest',
      `refund of ${request.amountMinor} exceeds the ${refundable} left refundable on ${request.invoiceNo}`,
      'amount',
    );
  }
}
