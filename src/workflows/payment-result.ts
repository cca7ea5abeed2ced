// The one wait for a payment's result, for the first payment, every recurring charge and every dunning
// link: the backend notification when it comes, Payment Inquiry when it is late, every respCode classified
// by the domain's payment-outcome table. A pending payment is followed to its end, never abandoned.
import { patched } from '@temporalio/workflow';
import { paymentOutcome } from '../domain/payment-outcome.js';
import { gateway } from './activity-proxies.js';
import { persist } from './attention.js';
import { instantLabel, now, waitUntil } from './clock.js';
import type { ChargeSource, PaymentNotification } from './definitions.js';
import { hasNotification, takeNotification } from './inbox.js';
import type { SubscriptionContext } from './subscription-context.js';
import { isTerminal } from './subscription-state.js';

/**
 * Payment Inquiry answers that mean "no payment made yet" for a page the customer has not paid: 0001 for
 * an open token (the notification's 0001 is a payment in progress), 5009 once the token has expired.
 */
const NOT_PAID_YET = new Set(['0001', '5009']);

/**
 * How often a payment 2C2P reports as pending is asked about once its deadline has passed: hourly at first,
 * then twice as long each time, up to daily. Its notification still ends the wait the moment it comes; the
 * inquiries are for one that never does. (Before the patch: hourly for as long as it stayed pending, 24
 * inquiries and about 100 history events a day.)
 */
const PENDING_FOLLOW_UP_MS = 60 * 60_000;
const PENDING_FOLLOW_UP_MAX_MS = 24 * 60 * 60_000;

/** The patch after which a pending payment's follow-up inquiries back off to daily. */
export const PENDING_BACKOFF_PATCH = 'pending-follow-up-backs-off';

/** The wait before follow-up inquiry `followUp` (1, 2, …) about a payment still pending past its deadline. */
function pendingFollowUpMs(followUp: number): number {
  if (!patched(PENDING_BACKOFF_PATCH)) return PENDING_FOLLOW_UP_MS;
  return Math.min(PENDING_FOLLOW_UP_MS * 2 ** Math.min(followUp - 1, 5), PENDING_FOLLOW_UP_MAX_MS);
}

export type PaymentResult =
  | { outcome: 'succeeded' | 'declined'; notification: PaymentNotification; source: ChargeSource }
  /** The deadline passed and 2C2P knows of no payment (never made). */
  | { outcome: 'expired' }
  /** The subscription ended while waiting (only when `whileOpen`). */
  | { outcome: 'ended' };

export interface PaymentWait {
  /** What the operator sees ("charge 3", the invoice number of a link). */
  label: string;
  /** What is awaited, for the timer's summary in the Temporal UI ("charge 3 due 2027-03-01"); default: label. */
  subject?: () => string;
  /** Whether a notification (or inquiry answer) reports this payment. */
  matches: (n: PaymentNotification) => boolean;
  /** The invoice numbers Payment Inquiry may know the payment under, in the order to ask. */
  invoiceNos: () => string[];
  /** When to ask 2C2P first if no notification has come (epoch ms; re-read on every wake-up). */
  firstCheckAt: () => number;
  /** Wait between later checks; `check` counts them from 1. */
  recheckAfterMs: (check: number) => number;
  /** After this instant a payment 2C2P does not know of is given up ('expired'); absent: wait for ever. */
  deadline?: number;
  /** Stop when the subscription ends (recurring charges); a first payment is followed even after a cancel. */
  whileOpen: boolean;
  /** Something to do each time a check comes up empty (an RPP inquiry, a reminder); 'stop' ends the wait. */
  onQuiet?: () => Promise<'stop' | void>;
  /** Wakes the wait early (a plan change moved the due date). */
  wakeUp?: () => unknown;
}

/**
 * Whether a payment past its deadline is still followed. Before the patch, once pending meant pending for
 * ever (chaos run: a dunning link's busy answer kept the run waiting hourly after 2C2P said it expired).
 */
function stillPending(pendingSeen: boolean, latestPending: boolean): boolean {
  if (pendingSeen === latestPending) return latestPending;
  return patched(LATEST_ANSWER_PATCH) ? latestPending : pendingSeen;
}

/** The patch after which 2C2P's latest answer, not any earlier one, says whether a payment is pending. */
export const LATEST_ANSWER_PATCH = 'pending-follows-latest-answer';

/**
 * The patch after which a check where no invoice number is pending at 2C2P ("Transaction not found" included)
 * is 2C2P's latest word. Before it, only 0001 and 5009 were (chaos run: a charge followed after the end got a
 * busy 0999, then "not found" every day for a year, and the run never ended).
 */
export const NOT_FOUND_PATCH = 'not-found-ends-pending';

/** Waits until 2C2P reports the payment succeeded or declined, or the wait ends by its rules. */
export async function awaitPaymentResult(ctx: SubscriptionContext, wait: PaymentWait): Promise<PaymentResult> {
  const { state } = ctx;
  const context = { merchantId: state.merchantId, subscriptionId: state.subscriptionId };
  let checks = 0;
  let followUps = 0;
  let nextCheckAt = wait.firstCheckAt();
  let pendingSeen = false;
  // 2C2P's latest word: a pending answer followed by "not paid" (a busy 0999, then 5009 expired) or by a check
  // where no invoice number is pending ("Transaction not found") is not pending.
  let latestPending = false;
  let wakeToken = wait.wakeUp?.();
  for (;;) {
    const ended = () => wait.whileOpen && isTerminal(state.status);
    const woken = () => wait.wakeUp !== undefined && wait.wakeUp() !== wakeToken;
    const subject = wait.subject?.() ?? wait.label;
    const summary = `wait for ${subject}; ${checks === 0 ? 'inquiry' : 'next inquiry'} at ${instantLabel(nextCheckAt)} if no notification`;
    await waitUntil(state, () => hasNotification(state, wait.matches) || ended() || woken(), nextCheckAt, summary);
    if (ended()) return { outcome: 'ended' };
    if (woken()) {
      wakeToken = wait.wakeUp?.();
      if (checks === 0) nextCheckAt = wait.firstCheckAt();
      continue;
    }
    const notification = takeNotification(state, wait.matches);
    if (notification) {
      const outcome = paymentOutcome(notification.respCode);
      if (outcome === 'succeeded' || outcome === 'declined') return { outcome, notification, source: 'notification' };
      if (outcome === 'pending') pendingSeen = latestPending = true;
      continue; // a pending or not-found notification: keep waiting for the final word
    }
    if (now(state) < nextCheckAt) continue;

    checks += 1;
    let pendingNow = false; // whether any invoice number is pending at 2C2P in this check
    for (const invoiceNo of wait.invoiceNos()) {
      const inquiry = await persist(
        ctx,
        `Payment inquiry ${invoiceNo}`,
        () => gateway(`Payment inquiry ${invoiceNo} (${wait.label})`).inquirePayment({ ...context, invoiceNo }),
        { whileOpen: wait.whileOpen },
      );
      if (inquiry === undefined) return { outcome: 'ended' };
      if (inquiry.found && NOT_PAID_YET.has(inquiry.notification.respCode)) {
        latestPending = false;
        continue;
      }
      if (inquiry.found && inquiry.outcome !== 'pending' && wait.matches(inquiry.notification)) {
        return { outcome: inquiry.outcome, notification: inquiry.notification, source: 'inquiry' };
      }
      if (inquiry.found && inquiry.outcome === 'pending') pendingSeen = latestPending = pendingNow = true;
    }
    if (latestPending && !pendingNow && patched(NOT_FOUND_PATCH)) latestPending = false;
    if (wait.deadline !== undefined && now(state) >= wait.deadline && !stillPending(pendingSeen, latestPending)) {
      return { outcome: 'expired' };
    }
    if ((await wait.onQuiet?.()) === 'stop') return { outcome: 'ended' };
    let delay = wait.recheckAfterMs(checks);
    if (wait.deadline !== undefined) {
      // Check once more right at the deadline; past it, only a pending payment is still followed.
      const untilDeadline = wait.deadline - now(state);
      if (untilDeadline > 0) delay = Math.min(delay, Math.max(1_000, untilDeadline));
      else {
        followUps += 1;
        delay = pendingFollowUpMs(followUps);
      }
    }
    nextCheckAt = now(state) + delay;
  }
}
