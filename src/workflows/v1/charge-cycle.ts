// Follows one recurring charge: its notification, or reconciliation by inquiry when none comes.
import { condition } from '@temporalio/workflow';
import { toEpochMs } from '../../domain/calendar-date.js';
import { gateway, ledger } from './activity-proxies.js';
import { chargeFromNotification } from './charge-record.js';
import type { ChargeRecord, PaymentNotification } from '../definitions.js';
import { runDunning } from './dunning.js';
import { publish } from './projection.js';
import type { SubscriptionContext } from './subscription-context.js';
import {
  dueDate,
  isTerminal,
  periodOf,
  planExhausted,
  recurringInvoiceNo,
  takeNotification,
} from './subscription-state.js';

/** Waits for the next charge of the plan and records it; dunning follows a decline. */
export async function followNextCharge(ctx: SubscriptionContext): Promise<void> {
  const { state } = ctx;
  const sequence = state.nextSequence;
  const invoiceNo = recurringInvoiceNo(state.invoicePrefix, sequence);
  const result = await awaitCharge(ctx, invoiceNo, toEpochMs(dueDate(state, sequence)));
  if (!result) return; // cancelled, or the plan ended at 2C2P
  const charge = chargeFromNotification(result.notification, {
    kind: 'recurring',
    sequence,
    currency: state.plan.currency,
    period: periodOf(state, sequence),
    source: result.source,
    fallbackAmountMinor: state.plan.amountMinor,
  });
  await record(ctx, charge);
  state.nextSequence = sequence + 1;
  state.nextChargeDate = planExhausted(state) ? undefined : dueDate(state, state.nextSequence);

  if (charge.status === 'succeeded') {
    state.status = 'active';
  } else if (state.plan.allowAccumulate) {
    // 2C2P adds the failed amount to the next charge itself; a payment link would charge it twice.
    state.status = 'past_due';
  } else {
    state.status = 'past_due';
    await publish(ctx, `charge ${sequence} declined (${charge.respCode}); dunning`);
    await runDunning(ctx, sequence, charge.amountMinor);
  }
  if (isTerminal(state.status)) return;
  if (planExhausted(state) && state.status === 'active') {
    state.status = 'completed';
    state.endedReason = 'every charge of the plan was made';
  }
  await publish(
    ctx,
    state.nextChargeDate ? `next charge ${state.nextSequence} due ${state.nextChargeDate}` : 'plan complete',
  );
}

/**
 * The result of one invoice: its notification if it arrives within the grace period after the due
 * time, otherwise an RPP inquiry plus a Payment Inquiry, repeated each grace period until 2C2P knows.
 */
async function awaitCharge(
  ctx: SubscriptionContext,
  invoiceNo: string,
  dueAtMs: number,
): Promise<{ notification: PaymentNotification; source: 'notification' | 'inquiry' } | undefined> {
  const { state, timings } = ctx;
  let wait = Math.max(0, dueAtMs + timings.chargeGraceMs - Date.now());
  for (;;) {
    await condition(() => state.inbox.some((n) => n.invoiceNo === invoiceNo) || isTerminal(state.status), wait);
    if (isTerminal(state.status)) return undefined;
    const notification = takeNotification(state, invoiceNo);
    if (notification && notification.respCode !== '0001') return { notification, source: 'notification' };

    const context = { merchantId: state.merchantId, subscriptionId: state.subscriptionId };
    const payment = await gateway(`Reconcile ${invoiceNo}: payment inquiry`).inquirePayment({ ...context, invoiceNo });
    if (payment.found && payment.outcome !== 'pending')
      return { notification: payment.notification, source: 'inquiry' };
    if (state.recurringUniqueID) {
      const plan = await gateway(`Reconcile ${invoiceNo}: RPP inquiry`).inquirePlan({
        ...context,
        recurringUniqueID: state.recurringUniqueID,
      });
      if (plan.recurringStatus === 'N' && !isTerminal(state.status)) {
        state.status = 'canceled';
        state.endedReason = 'the plan was ended at 2C2P (cancelled or accumulation limit reached)';
        state.nextChargeDate = undefined;
        await publish(ctx, 'plan ended at 2C2P');
        return undefined;
      }
    }
    wait = timings.chargeGraceMs;
  }
}

async function record(ctx: SubscriptionContext, charge: ChargeRecord): Promise<void> {
  const { state } = ctx;
  state.seenInvoices.push(charge.invoiceNo);
  state.charges.push(charge);
  await ledger(`Record charge ${charge.invoiceNo} (${charge.status})`).recordCharge({
    merchantId: state.merchantId,
    subscriptionId: state.subscriptionId,
    charge,
  });
}

export { record as recordCharge };
