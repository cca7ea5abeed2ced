// Creates the plan's payment page and follows the first payment until it succeeds, fails or expires.
import { log } from '@temporalio/workflow';
import { toCalendarDate } from '../domain/calendar-date.js';
import { checkoutGateway } from './activity-proxies.js';
import { endPlanAtGateway } from './gateway-plan.js';
import type { PaymentLink } from './definitions.js';
import { initialInvoiceNo } from './invoice-numbers.js';
import { instantLabel, now } from './clock.js';
import { awaitPaymentResult } from './payment-result.js';
import { publish } from './projection.js';
import { chargeFromNotification, recordCharge } from './record-charge.js';
import { startRefund } from './refunds.js';
import { transition } from './status.js';
import type { SubscriptionContext } from './subscription-context.js';

/** Longest wait between two Payment Inquiries while the customer is on the payment page. */
const MAX_QUIET_MS = 15 * 60_000;
/** A payment completed in the link's last second still counts: ask once more a minute after expiry. */
const EXPIRY_GRACE_MS = 60_000;

/** Creates the payment token with the recurring fields; the checkout update returns its URL. */
export async function createCheckout(ctx: SubscriptionContext): Promise<PaymentLink> {
  const { input, state, timings } = ctx;
  const invoiceNo = initialInvoiceNo(state.invoicePrefix);
  const expiresAt = new Date(now(state) + timings.paymentLinkTtlMs).toISOString();
  const link = await checkoutGateway(ctx, `Create RPP payment page ${invoiceNo}`).createPaymentLink({
    merchantId: input.merchantId,
    subscriptionId: input.subscriptionId,
    invoiceNo,
    description: input.description,
    amountMinor: input.plan.amountMinor,
    currency: input.plan.currency,
    customerTokens: input.customerTokens,
    expiresAt,
    backendReturnUrl: input.backendReturnUrl,
    frontendReturnUrl: input.frontendReturnUrl,
    recurring: {
      invoicePrefix: state.invoicePrefix,
      amountMinor: input.plan.amountMinor,
      allowAccumulate: input.plan.allowAccumulate,
      maxAccumulateMinor: input.plan.maxAccumulateMinor,
      interval: input.plan.interval,
      recurringCount: input.plan.recurringCount,
      chargeNextDate: input.plan.firstChargeDate,
    },
  });
  return { invoiceNo, ...link, amountMinor: input.plan.amountMinor, currency: input.plan.currency, expiresAt };
}

/**
 * Follows the first payment to its result. It is followed even after a cancel: a customer who pays a
 * cancelled subscription's page has created a plan at 2C2P, which is then cancelled and the payment refunded.
 */
export async function followFirstPayment(ctx: SubscriptionContext): Promise<void> {
  const { state, timings } = ctx;
  const checkout = state.checkout;
  if (!checkout) return;
  const result = await awaitPaymentResult(ctx, {
    label: 'first payment',
    subject: () => `the first payment (page expires ${instantLabel(Date.parse(checkout.expiresAt))})`,
    matches: (n) => n.invoiceNo === checkout.invoiceNo,
    invoiceNos: () => [checkout.invoiceNo],
    firstCheckAt: () => now(state) + timings.firstPaymentQuietMs,
    recheckAfterMs: (check) => Math.min(timings.firstPaymentQuietMs * 2 ** check, MAX_QUIET_MS),
    deadline: Date.parse(checkout.expiresAt) + EXPIRY_GRACE_MS,
    whileOpen: false,
  });

  await ctx.lock.runExclusive(async () => {
    if (result.outcome === 'expired' || result.outcome === 'ended') {
      if (transition(state, 'incomplete', 'the payment page expired without a payment')) {
        await publish(ctx, 'first payment never made');
      }
      return;
    }
    const { notification, source } = result;
    const period = { start: toCalendarDate(Date.parse(ctx.input.requestedAt)), end: state.plan.firstChargeDate };
    const charge = chargeFromNotification(notification, {
      kind: 'initial',
      sequence: null,
      currency: state.plan.currency,
      period,
      source,
      fallbackAmountMinor: state.plan.amountMinor,
    });
    await recordCharge(ctx, charge);
    if (charge.status !== 'succeeded') {
      transition(state, 'incomplete', `first payment declined: ${charge.respCode} ${charge.respDesc}`.trim());
      await publish(ctx, 'first payment declined');
      return;
    }
    state.recurringUniqueID = notification.recurringUniqueID;
    state.customerToken = notification.customerToken;
    state.maskedCard = notification.accountNo;
    if (!state.recurringUniqueID)
      log.warn('first payment reported without recurringUniqueID', { invoiceNo: charge.invoiceNo });
    if (transition(state, 'active')) {
      state.paidPeriod = { invoiceNo: charge.invoiceNo, period, rateMinor: charge.amountMinor };
      await publish(ctx, `plan active, first charge due ${state.nextChargeDate}`);
      return;
    }
    await undoPaymentAfterEnd(ctx, charge.invoiceNo, charge.amountMinor);
  });
}

/** The customer paid a subscription that had already ended: cancel the plan this created, refund in full. */
async function undoPaymentAfterEnd(ctx: SubscriptionContext, invoiceNo: string, amountMinor: number): Promise<void> {
  const { state } = ctx;
  log.warn('payment succeeded after the subscription ended; cancelling its plan and refunding it', {
    invoiceNo,
    status: state.status,
  });
  const recurringUniqueID = state.recurringUniqueID;
  if (recurringUniqueID) await endPlanAtGateway(ctx, recurringUniqueID, 'paid after the subscription ended');
  startRefund(ctx, invoiceNo, amountMinor, 'payment_after_end');
  await publish(ctx, `payment ${invoiceNo} after the end: plan cancelled, refund started`);
}
