// Cancelling a subscription: the RPP is cancelled at 2C2P, the status ends, and the chosen refund policy
// gives back the unused part of the period (prorated) or the last charge (full).
import { cancelRefundMinor } from '../domain/refund-rules.js';
import { gatewayForCaller } from './activity-proxies.js';
import { today } from './clock.js';
import type { CancelResult, RefundPolicy, RefundRecord } from './definitions.js';
import { callerFacing } from './caller-facing.js';
import { publish } from './projection.js';
import { refundableOn, startRefund } from './refunds.js';
import { transition } from './status.js';
import type { SubscriptionContext } from './subscription-context.js';
import { isTerminal } from './subscription-state.js';
import { alreadyAnswered, refuse } from './update-guard.js';

const POLICIES: readonly RefundPolicy[] = ['none', 'prorated', 'full_last_charge'];

/** Rejects a cancel of a subscription that has already ended (also re-checked once the lock is held). */
export function validateCancel(ctx: SubscriptionContext, policy: RefundPolicy): void {
  if (alreadyAnswered(ctx)) return;
  if (isTerminal(ctx.state.status)) refuse('InvalidState', `the subscription is already ${ctx.state.status}`);
  if (!POLICIES.includes(policy)) refuse('InvalidRequest', `unknown refund policy ${policy}`, 'refundPolicy');
}

/** Cancels the plan at 2C2P (RPP cancel) and refunds by the policy. Runs under the workflow lock. */
export async function cancelSubscription(ctx: SubscriptionContext, policy: RefundPolicy): Promise<CancelResult> {
  const { state } = ctx;
  // Re-read now that the lock is held: another cancel may have ended it while this one waited.
  validateCancel(ctx, policy);
  const recurringUniqueID = state.recurringUniqueID;
  if (recurringUniqueID) {
    await callerFacing(() =>
      gatewayForCaller(`Cancel RPP ${recurringUniqueID}`).cancelPlan({
        merchantId: state.merchantId,
        subscriptionId: state.subscriptionId,
        recurringUniqueID,
        // 2C2P's own cancel samples carry the whole plan, so the message does.
        plan: state.plan,
        chargeNextDate: state.nextChargeDate,
      }),
    );
  }
  transition(state, 'canceled', 'cancelled by the merchant');
  let refund: RefundRecord | undefined;
  const paid = state.paidPeriod;
  if (paid && policy === 'prorated') {
    const amount = cancelRefundMinor(
      { period: paid.period, rateMinor: paid.rateMinor, refundableMinor: refundableOn(state, paid.invoiceNo) },
      today(state),
    );
    if (amount > 0) refund = startRefund(ctx, paid.invoiceNo, amount, 'cancel_prorated');
  }
  if (paid && policy === 'full_last_charge') {
    const amount = refundableOn(state, paid.invoiceNo);
    if (amount > 0) refund = startRefund(ctx, paid.invoiceNo, amount, 'cancel_full');
  }
  await publish(ctx, `cancelled (refund policy ${policy})`);
  return { status: state.status, refund };
}
