// Plan changes, cancellation and refunds: each one Workflow Update on the subscription's running workflow.
import type { Client } from '@temporalio/client';
import type pg from 'pg';
import {
  cancelUpdate,
  changePlanUpdate,
  refundUpdate,
  type PlanChange,
  type RefundPolicy,
  type RefundRequest,
} from '../../workflows/definitions.js';
import { readAmount } from '../money-fields.js';
import { presentPlan, presentRefundRecord } from '../presenters.js';
import { ProblemError, unprocessable } from '../problem.js';
import type { PlanChangeBody, RefundBody } from '../schemas/subscription-changes.js';
import type { RefundResource } from '../schemas/subscription-resource.js';
import { runningSubscription } from './running-subscription.js';
import { toBillingInterval } from './subscription-input.js';

type Deps = { temporal: Client; pool: pg.Pool };
const PLAN_FIELDS = ['amount', 'interval', 'recurringCount', 'allowAccumulate', 'maxAccumulateAmount'] as const;

/** Applies a plan change at 2C2P through the workflow; answers the plan now in force. */
export async function changePlan(deps: Deps, merchantId: string, subscriptionId: string, body: PlanChangeBody) {
  if (!PLAN_FIELDS.some((f) => body[f] !== undefined)) {
    throw unprocessable('body', `name at least one of ${PLAN_FIELDS.join(', ')}`);
  }
  const { handle, view } = await runningSubscription(deps, merchantId, subscriptionId, { requireOpen: true });
  if (view.status !== 'active' && view.status !== 'past_due') {
    throw new ProblemError({
      kind: 'state-conflict',
      detail: `a ${view.status} subscription cannot change its plan until its first payment is made`,
      extensions: { subscriptionStatus: view.status },
    });
  }
  const { currency } = view.plan;
  const change: PlanChange = {};
  if (body.amount !== undefined) change.amountMinor = readAmount('amount', body.amount, currency);
  if (body.maxAccumulateAmount !== undefined) {
    change.maxAccumulateMinor = readAmount('maxAccumulateAmount', body.maxAccumulateAmount, currency, {
      allowZero: true,
    });
  }
  if (body.interval !== undefined) change.interval = toBillingInterval(body.interval);
  if (body.recurringCount !== undefined) change.recurringCount = body.recurringCount;
  if (body.allowAccumulate !== undefined) change.allowAccumulate = body.allowAccumulate;
  if (body.prorate !== undefined) change.prorate = body.prorate;
  const result = await handle.executeUpdate(changePlanUpdate, { args: [change] });
  return {
    subscriptionId,
    plan: presentPlan(result.plan),
    ...(result.nextChargeDate ? { nextChargeDate: result.nextChargeDate } : {}),
    ...(result.refund ? { refund: presentRefundRecord(result.refund) } : {}),
  };
}

/** Cancels the plan at 2C2P through the workflow, refunding by `refundPolicy`. */
export async function cancelSubscription(
  deps: Deps,
  merchantId: string,
  subscriptionId: string,
  refundPolicy: RefundPolicy | undefined,
) {
  const { handle } = await runningSubscription(deps, merchantId, subscriptionId, { requireOpen: true });
  const result = await handle.executeUpdate(cancelUpdate, { args: [refundPolicy ? { refundPolicy } : {}] });
  return {
    subscriptionId,
    status: result.status,
    ...(result.refund ? { refund: presentRefundRecord(result.refund) } : {}),
  };
}

/** Starts a refund of one charge; the workflow follows it to the end in the background. */
export async function refundCharge(
  deps: Deps,
  merchantId: string,
  subscriptionId: string,
  body: RefundBody,
): Promise<RefundResource> {
  const { handle, view } = await runningSubscription(deps, merchantId, subscriptionId);
  const charge = view.charges.find((c) => c.invoiceNo === body.invoiceNo);
  if (!charge || charge.status !== 'succeeded') {
    throw unprocessable('invoiceNo', 'is not a successful charge of this subscription');
  }
  const request: RefundRequest = { invoiceNo: body.invoiceNo };
  if (body.amount !== undefined) request.amountMinor = readAmount('amount', body.amount, charge.currency);
  const refund = await handle.executeUpdate(refundUpdate, { args: [request] });
  return presentRefundRecord(refund);
}
