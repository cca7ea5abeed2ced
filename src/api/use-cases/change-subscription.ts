// Plan changes, cancellation and refunds: each one Workflow Update on the subscription's running workflow.
import type { Client } from '@temporalio/client';
import type pg from 'pg';
import { planProblems } from '../../domain/plan-rules.js';
import { refundableMinor } from '../../domain/refund-rules.js';
import {
  cancelUpdate,
  changePlanUpdate,
  refundUpdate,
  subscriptionWorkflowId,
  type ChargeRecord,
  type PlanChange,
  type RefundPolicy,
  type RefundRecord,
  type RefundRequest,
} from '../../workflows/definitions.js';
import { decimalOf, readAmount } from '../money-fields.js';
import { presentPlan, presentRefundRecord } from '../../resources/presenters.js';
import { ProblemError, subscriptionNotFound, unprocessable } from '../problem.js';
import type { PlanChangeBody, RefundBody } from '../schemas/subscription-changes.js';
import type { RefundResource } from '../../resources/subscription-resource.js';
import { apiPlanField, assertNoPlanProblems } from './plan-refusal.js';
import { runningSubscription, type UpdateTarget } from './running-subscription.js';
import { startedInput } from './started-input.js';
import { toBillingInterval } from './subscription-input.js';

type Deps = { temporal: Client; pool: pg.Pool };

const PLAN_FIELDS = ['amount', 'interval', 'recurringCount', 'allowAccumulate', 'maxAccumulateAmount'] as const;

/** The body as a PlanChange in the subscription's currency (422 naming an amount it cannot read). */
function toPlanChange(body: PlanChangeBody, currency: string): PlanChange {
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
  return change;
}

/** Applies a plan change at 2C2P through the workflow; answers the plan now in force. */
export async function changePlan(deps: Deps, target: UpdateTarget, body: PlanChangeBody) {
  const { merchantId, subscriptionId } = target;
  if (!PLAN_FIELDS.some((f) => body[f] !== undefined)) {
    throw unprocessable('body', `name at least one of ${PLAN_FIELDS.join(', ')}`);
  }
  const [{ handle, view }, input] = await Promise.all([
    runningSubscription(deps, merchantId, subscriptionId, { requireOpen: true }),
    // The dunning policy is not part of the view: the workflow's input holds it, and nothing changes it.
    startedInput(deps.temporal, subscriptionWorkflowId(merchantId, subscriptionId)),
  ]);
  if (!input) throw subscriptionNotFound(subscriptionId);
  if (view.status !== 'active' && view.status !== 'past_due') {
    throw new ProblemError({
      kind: 'state-conflict',
      detail: `a ${view.status} subscription cannot change its plan until its first payment is made`,
      extensions: { subscriptionStatus: view.status },
    });
  }
  const change = toPlanChange(body, view.plan.currency);
  const { prorate: _prorate, ...fields } = change;
  // The rules POST applied, on the plan as it would become: a window that no longer fits is the new interval's fault.
  assertNoPlanProblems(planProblems({ ...view.plan, ...fields }, input.dunning), (field) =>
    field === 'dunning.windowDays' && change.interval ? 'interval' : apiPlanField(field),
  );
  const result = await handle.executeUpdate(changePlanUpdate, { args: [change], updateId: target.updateId });
  return {
    subscriptionId,
    plan: presentPlan(result.plan),
    ...(result.nextChargeDate ? { nextChargeDate: result.nextChargeDate } : {}),
    ...(result.refund ? { refund: presentRefundRecord(result.refund) } : {}),
  };
}

/** Cancels the plan at 2C2P through the workflow, refunding by `refundPolicy`. */
export async function cancelSubscription(deps: Deps, target: UpdateTarget, refundPolicy: RefundPolicy | undefined) {
  const { handle } = await runningSubscription(deps, target.merchantId, target.subscriptionId, { requireOpen: true });
  const result = await handle.executeUpdate(cancelUpdate, {
    args: [refundPolicy ? { refundPolicy } : {}],
    updateId: target.updateId,
  });
  return {
    subscriptionId: target.subscriptionId,
    status: result.status,
    ...(result.refund ? { refund: presentRefundRecord(result.refund) } : {}),
  };
}

/**
 * 422 naming `amount`, in decimals of the currency, when a refund asks more than is left of the charge. The
 * workflow refuses the same (in minor units, for a refund that races this one); checking here says it plainly.
 */
function assertRefundable(amountMinor: number, charge: ChargeRecord, refunds: readonly RefundRecord[]): void {
  const left = refundableMinor(
    charge.amountMinor,
    refunds.filter((r) => r.invoiceNo === charge.invoiceNo),
  );
  if (amountMinor <= left) return;
  const { currency } = charge;
  throw unprocessable(
    'amount',
    `${decimalOf(amountMinor, currency)} ${currency} exceeds what is left refundable on ${charge.invoiceNo} ` +
      `(${decimalOf(left, currency)} ${currency})`,
  );
}

/** Starts a refund of one charge; the workflow follows it to the end in the background. */
export async function refundCharge(deps: Deps, target: UpdateTarget, body: RefundBody): Promise<RefundResource> {
  const { handle, view } = await runningSubscription(deps, target.merchantId, target.subscriptionId);
  const charge = view.charges.find((c) => c.invoiceNo === body.invoiceNo);
  if (!charge || charge.status !== 'succeeded') {
    throw unprocessable('invoiceNo', 'is not a successful charge of this subscription');
  }
  const request: RefundRequest = { invoiceNo: body.invoiceNo };
  if (body.amount !== undefined) {
    request.amountMinor = readAmount('amount', body.amount, charge.currency);
    assertRefundable(request.amountMinor, charge, view.refunds);
  }
  const refund = await handle.executeUpdate(refundUpdate, { args: [request], updateId: target.updateId });
  return presentRefundRecord(refund);
}
