// Follows one recurring charge: its notification, or reconciliation by inquiry when none comes; records
// it and moves the schedule on. Dunning follows a decline.
import { patched } from '@temporalio/workflow';
import { toEpochMs } from '../domain/calendar-date.js';
import { transactionInstantMs } from '../domain/wire-dates.js';
import { gateway } from './activity-proxies.js';
import { closeAttention, openAttention, persist } from './attention.js';
import { runDunning } from './dunning.js';
import { hasNotification } from './inbox.js';
import { candidateInvoiceNos, isChargeOfCycle, learntOffset } from './invoice-numbers.js';
import { awaitPaymentResult, type PaymentWait } from './payment-result.js';
import { now } from './clock.js';
import { publish } from './projection.js';
import { chargeFromNotification, recordCharge } from './record-charge.js';
import { startRefund } from './refunds.js';
import { dueDate, periodOf, planExhausted } from './schedule.js';
import { transition } from './status.js';
import type { SubscriptionContext } from './subscription-context.js';
import { isTerminal, type SubscriptionState } from './subscription-state.js';
import { leanHistory } from './lean-history.js';
import type { PaymentNotification } from './definitions.js';

/**
 * The patch that follows, after the end, a charge 2C2P has already reported even when this run's clock has
 * not reached its due date: the plan's cancel can land at 2C2P after it took the charge, and 2C2P's clock (or
 * a test clock's) may run ahead of the workflow's.
 */
export const REPORTED_CHARGES_PATCH = 'reported-charges-after-end';

/** Whether a notification reports charge `sequence` and is not recorded yet. */
const reportsCharge =
  (state: SubscriptionState, sequence: number) =>
  (n: PaymentNotification): boolean =>
    !state.seenInvoices.includes(n.invoiceNo) && isChargeOfCycle(state, sequence, n);

/**
 * Whether 2C2P may have taken charge `sequence` of a subscription that ended at `endedAt`: it fell due by
 * then, or (under the patch) its notification already waits in the inbox. Such a charge is followed after the end.
 */
export function takenBeforeEnd(state: SubscriptionState, sequence: number, endedAt: number): boolean {
  if (toEpochMs(dueDate(state, sequence)) <= endedAt) return true;
  return hasNotification(state, reportsCharge(state, sequence)) && patched(REPORTED_CHARGES_PATCH);
}

/** The longest wait between two inquiries about a charge that is late. */
const MAX_RECHECK_MS = 24 * 60 * 60_000;

/** Waits for the next charge of the plan and records it; dunning follows a decline. */
export async function followNextCharge(ctx: SubscriptionContext): Promise<void> {
  const { state, timings } = ctx;
  // Only this loop moves nextSequence, so the sequence followed here stays the one due.
  const sequence = state.nextSequence;
  const wait: PaymentWait = {
    label: `charge ${sequence}`,
    subject: () => `charge ${sequence} due ${dueDate(state, sequence)}`,
    matches: reportsCharge(state, sequence),
    invoiceNos: () => candidateInvoiceNos(state, sequence).filter((no) => !state.seenInvoices.includes(no)),
    // Re-read on every wake-up: a plan change may move the due date while this waits.
    firstCheckAt: () => toEpochMs(dueDate(state, sequence)) + timings.chargeGraceMs,
    // A charge 2C2P has not made is asked about again after a grace period, then less often (at most daily).
    recheckAfterMs: (check) =>
      leanHistory() ? Math.min(timings.chargeGraceMs * 2 ** (check - 1), MAX_RECHECK_MS) : timings.chargeGraceMs,
    whileOpen: true,
    onQuiet: () => checkPlanStillLive(ctx, sequence),
    wakeUp: () => state.scheduleVersion,
  };
  let result = await awaitPaymentResult(ctx, wait);
  if (result.outcome === 'ended') {
    // Ended after this charge fell due, or 2C2P already reported it: 2C2P may have taken it before the cancel
    // reached it. It is followed one grace period more, so money taken is recorded (and, the subscription
    // having ended, refunded).
    if (!takenBeforeEnd(state, sequence, now(state))) return;
    result = await awaitPaymentResult(ctx, {
      ...wait,
      whileOpen: false,
      onQuiet: undefined,
      firstCheckAt: () => now(state),
      deadline: now(state) + timings.chargeGraceMs,
    });
  }
  if (result.outcome !== 'succeeded' && result.outcome !== 'declined') return;
  await closeAttention(ctx, unmatchedOperation(sequence));

  const dunning = await ctx.lock.runExclusive(async () => {
    const period = periodOf(state, sequence);
    const charge = chargeFromNotification(result.notification, {
      kind: 'recurring',
      sequence,
      currency: state.plan.currency,
      period,
      source: result.source,
      fallbackAmountMinor: state.plan.amountMinor,
    });
    await recordCharge(ctx, charge);
    // Whichever invoice number 2C2P used is the one recorded; its numbering is learnt from the first.
    state.invoiceOffset ??= learntOffset(state.invoicePrefix, sequence, charge.invoiceNo);
    state.nextSequence = sequence + 1;
    if (isTerminal(state.status)) {
      // The charge raced a cancel: 2C2P took it, the subscription had ended, so it goes back in full.
      if (charge.status === 'succeeded') startRefund(ctx, charge.invoiceNo, charge.amountMinor, 'payment_after_end');
      await publish(ctx, `charge ${sequence} after the end`);
      return undefined;
    }
    state.nextChargeDate = planExhausted(state) ? undefined : dueDate(state, state.nextSequence);
    if (charge.status === 'succeeded') {
      state.paidPeriod = { invoiceNo: charge.invoiceNo, period, rateMinor: charge.amountMinor };
      transition(state, 'active');
      await publish(
        ctx,
        state.nextChargeDate ? `next charge ${state.nextSequence} due ${state.nextChargeDate}` : 'last charge made',
      );
      return undefined;
    }
    transition(state, 'past_due');
    // With allowAccumulate 2C2P adds the failed amount to the next charge itself: a link would charge it twice.
    const dunningApplies = !state.plan.allowAccumulate && ctx.input.dunning.windowDays > 0;
    await publish(ctx, `charge ${sequence} declined (${charge.respCode})${dunningApplies ? '; dunning' : ''}`);
    return dunningApplies
      ? { amountMinor: charge.amountMinor, period, declinedAt: transactionInstantMs(charge.transactionDateTime) }
      : undefined;
  });
  if (dunning) await runDunning(ctx, sequence, dunning.amountMinor, dunning.period, dunning.declinedAt);
}

const unmatchedOperation = (sequence: number) => `Match charge ${sequence}`;

/**
 * After a quiet grace period: has 2C2P ended the plan (cancelled there, accumulation limit reached)? And
 * has it made charge `sequence` although no notification or inquiry matched it (a numbering the engine does
 * not know)? Then it needs an operator, and the wait goes on: the notification may still come.
 */
async function checkPlanStillLive(ctx: SubscriptionContext, sequence: number): Promise<'stop' | void> {
  const { state } = ctx;
  const recurringUniqueID = state.recurringUniqueID;
  if (!recurringUniqueID) return;
  const plan = await persist(
    ctx,
    `RPP inquiry ${recurringUniqueID}`,
    () =>
      gateway(`Reconcile: RPP inquiry ${recurringUniqueID}`).inquirePlan({
        merchantId: state.merchantId,
        subscriptionId: state.subscriptionId,
        recurringUniqueID,
      }),
    { whileOpen: true },
  );
  if (plan?.currentCount !== undefined && plan.currentCount >= sequence) {
    await openAttention(ctx, {
      operation: unmatchedOperation(sequence),
      failureType: 'UnmatchedCharge',
      reason: `2C2P reports ${plan.currentCount} charges made, but no notification or inquiry matched charge ${sequence}`,
      attempts: 1,
      waitMs: ctx.timings.chargeGraceMs,
    });
  }
  if (plan?.recurringStatus !== 'N') return;
  return ctx.lock.runExclusive(async () => {
    if (transition(state, 'canceled', 'the plan was ended at 2C2P (cancelled or accumulation limit reached)')) {
      await publish(ctx, 'plan ended at 2C2P');
    }
    return 'stop' as const;
  });
}
