// Plan updates and cancellation: validated, applied at 2C2P (RPP U / C), then compensated by refunds.
import { ApplicationFailure } from '@temporalio/workflow';
import { assertBillingInterval } from '../../domain/billing-schedule.js';
import { proratedAmount } from '../../domain/proration.js';
import { gatewayForCaller } from './activity-proxies.js';
import {
  WorkflowFailureType,
  type CancelResult,
  type Plan,
  type PlanChange,
  type PlanChangeResult,
  type RefundPolicy,
  type RefundRecord,
} from '../definitions.js';
import { publish } from './projection.js';
import { startRefund } from './refunds.js';
import type { SubscriptionContext } from './subscription-context.js';
import { dayOf, dueDate, isTerminal, lastPaidCharge, refundableMinor } from './subscription-state.js';

/** A validator's refusal: InvalidState (409 at the API) or InvalidRequest (422). */
export function refuse(type: 'InvalidState' | 'InvalidRequest', message: string): never {
  throw ApplicationFailure.create({
    type: WorkflowFailureType[type === 'InvalidState' ? 'invalidState' : 'invalidRequest'],
    message,
    nonRetryable: true,
  });
}

/** Rejects a plan change before it is accepted into history (Workflow Update validator). */
export function validatePlanChange(ctx: SubscriptionContext, change: PlanChange): void {
  const { state } = ctx;
  if (state.status !== 'active' && state.status !== 'past_due')
    refuse('InvalidState', `a ${state.status} subscription cannot change its plan`);
  if (!state.recurringUniqueID) refuse('InvalidState', 'the plan has no recurringUniqueID at 2C2P yet');
  const fields = ['amountMinor', 'interval', 'recurringCount', 'allowAccumulate', 'maxAccumulateMinor'] as const;
  if (!fields.some((f) => change[f] !== undefined)) refuse('InvalidRequest', 'a plan change needs at least one field');
  if (change.amountMinor !== undefined && !(Number.isSafeInteger(change.amountMinor) && change.amountMinor > 0)) {
    refuse('InvalidRequest', 'amountMinor must be a positive whole number of minor units');
  }
  if (
    change.maxAccumulateMinor !== undefined &&
    !(Number.isSafeInteger(change.maxAccumulateMinor) && change.maxAccumulateMinor >= 0)
  ) {
    refuse('InvalidRequest', 'maxAccumulateMinor must be a whole number of minor units ≥ 0');
  }
  if (change.interval) {
    try {
      assertBillingInterval(change.interval);
    } catch (error) {
      refuse('InvalidRequest', (error as Error).message);
    }
  }
  if (change.recurringCount !== undefined) {
    const made = state.nextSequence - 1;
    if (!Number.isInteger(change.recurringCount) || change.recurringCount < 0)
      refuse('InvalidRequest', 'recurringCount must be ≥ 0');
    if (change.recurringCount !== 0 && change.recurringCount <= made) {
      refuse('InvalidRequest', `recurringCount must exceed the ${made} charges already made (or be 0 for no end)`);
    }
  }
}

/** Applies a validated change at 2C2P (RPP update) and, on a prorated downgrade, refunds the difference. */
export async function changePlan(ctx: SubscriptionContext, change: PlanChange): Promise<PlanChangeResult> {
  const { state } = ctx;
  const before = state.plan;
  const { prorate: _prorate, ...fields } = change;
  const plan: Plan = { ...before, ...fields };
  const chargeNextDate = state.nextChargeDate;
  await refusable(() =>
    gatewayForCaller(`Update RPP ${state.recurringUniqueID}`).changePlan({
      merchantId: state.merchantId,
      subscriptionId: state.subscriptionId,
      recurringUniqueID: state.recurringUniqueID ?? '',
      plan,
      chargeNextDate,
    }),
  );
  if (change.interval && chargeNextDate)
    state.anchor = { sequence: state.nextSequence, date: chargeNextDate, interval: change.interval };
  state.plan = plan;
  state.nextChargeDate = chargeNextDate ? dueDate(state, state.nextSequence) : undefined;

  let refund: RefundRecord | undefined;
  if (change.prorate && plan.amountMinor < before.amountMinor) {
    refund = refundUnused(ctx, before.amountMinor - plan.amountMinor, 'downgrade_prorated');
  }
  await publish(ctx, `plan changed to ${plan.amountMinor} ${plan.currency}`);
  return { plan, nextChargeDate: state.nextChargeDate, refund };
}

/** Rejects a cancel of a subscription that has already ended. */
export function validateCancel(ctx: SubscriptionContext, policy: RefundPolicy): void {
  if (isTerminal(ctx.state.status)) refuse('InvalidState', `the subscription is already ${ctx.state.status}`);
  if (!['none', 'prorated', 'full_last_charge'].includes(policy))
    refuse('InvalidRequest', `unknown refund policy ${policy}`);
}

/** Cancels the plan at 2C2P (RPP cancel) and refunds by the chosen policy. */
export async function cancelSubscription(ctx: SubscriptionContext, policy: RefundPolicy): Promise<CancelResult> {
  const { state } = ctx;
  if (state.recurringUniqueID) {
    await refusable(() =>
      gatewayForCaller(`Cancel RPP ${state.recurringUniqueID}`).cancelPlan({
        merchantId: state.merchantId,
        subscriptionId: state.subscriptionId,
        recurringUniqueID: state.recurringUniqueID ?? '',
      }),
    );
  }
  state.status = 'canceled';
  state.endedReason = 'cancelled by the merchant';
  state.nextChargeDate = undefined;
  state.pendingPaymentLink = undefined;
  let refund: RefundRecord | undefined;
  const last = lastPaidCharge(state);
  if (policy === 'prorated' && last) refund = refundUnused(ctx, last.amountMinor, 'cancel_prorated');
  if (policy === 'full_last_charge' && last) {
    const amount = refundableMinor(state, last.invoiceNo);
    if (amount > 0) refund = startRefund(ctx, last.invoiceNo, amount, 'cancel_full');
  }
  await publish(ctx, `cancelled (refund policy ${policy})`);
  return { status: state.status, refund };
}

/** Refunds the unused part of `amountMinor` for the current period of the last paid charge. */
function refundUnused(ctx: SubscriptionContext, amountMinor: number, reason: 'cancel_prorated' | 'downgrade_prorated') {
  const last = lastPaidCharge(ctx.state);
  if (!last?.period) return undefined;
  const today = dayOf(Date.now());
  const amount = Math.min(proratedAmount(amountMinor, last.period, today), refundableMinor(ctx.state, last.invoiceNo));
  return amount > 0 ? startRefund(ctx, last.invoiceNo, amount, reason) : undefined;
}

/** Runs a gateway call for a caller; 2C2P's refusal becomes a GatewayRefused failure with its reason. */
async function refusable(call: () => Promise<void>): Promise<void> {
  try {
    await call();
  } catch (error) {
    const cause = (error as { cause?: { type?: string; message?: string; details?: unknown[] } }).cause;
    const detail = cause?.details?.[0] as { respCode?: string; respDesc?: string } | undefined;
    throw ApplicationFailure.create({
      type: WorkflowFailureType.gatewayRefused,
      message: detail?.respCode
        ? `2C2P refused: ${detail.respCode} ${detail.respDesc ?? ''}`.trim()
        : (cause?.message ?? 'gateway call failed'),
      details: [{ respCode: detail?.respCode, respDesc: detail?.respDesc, type: cause?.type }],
      nonRetryable: true,
    });
  }
}
