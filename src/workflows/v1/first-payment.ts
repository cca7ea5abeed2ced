// Creates the plan's payment page and follows the first payment until it succeeds, fails or expires.
import { ApplicationFailure, condition, log } from '@temporalio/workflow';
import { gateway, ledger } from './activity-proxies.js';
import { chargeFromNotification } from './charge-record.js';
import type { PaymentLink, PaymentNotification } from '../definitions.js';
import { publish } from './projection.js';
import type { SubscriptionContext } from './subscription-context.js';
import { dayOf, initialInvoiceNo, isTerminal, takeNotification } from './subscription-state.js';

/** Creates the payment token with the recurring fields; the checkout update returns its URL. */
export async function createCheckout(ctx: SubscriptionContext): Promise<PaymentLink> {
  const { input, state, timings } = ctx;
  const invoiceNo = initialInvoiceNo(state.invoicePrefix);
  const expiresAt = new Date(Date.now() + timings.paymentLinkTtlMs).toISOString();
  const link = await gateway(`Create RPP payment page ${invoiceNo}`).createPaymentLink({
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
 * Waits for the first payment: the notification when it comes, Payment Inquiry with backoff when it
 * does not, until the link expires. Success activates the plan; a decline or expiry ends it incomplete.
 */
export async function followFirstPayment(ctx: SubscriptionContext): Promise<void> {
  const { state, timings } = ctx;
  const checkout = state.checkout;
  if (!checkout) throw ApplicationFailure.nonRetryable('no checkout to follow');
  const expiresAt = Date.parse(checkout.expiresAt);
  let quiet = timings.firstPaymentQuietMs;
  let result: { notification: PaymentNotification; source: 'notification' | 'inquiry' } | undefined;

  while (!result) {
    const arrived = await condition(
      () => state.inbox.some((n) => n.invoiceNo === checkout.invoiceNo) || isTerminal(state.status),
      Math.max(1_000, Math.min(quiet, expiresAt - Date.now() + 60_000)),
    );
    if (isTerminal(state.status)) return;
    const notification = arrived ? takeNotification(state, checkout.invoiceNo) : undefined;
    if (notification && notification.respCode !== '0001') {
      result = { notification, source: 'notification' };
      break;
    }
    const inquiry = await gateway(`Payment inquiry ${checkout.invoiceNo}`).inquirePayment({
      merchantId: state.merchantId,
      subscriptionId: state.subscriptionId,
      invoiceNo: checkout.invoiceNo,
    });
    if (inquiry.found && inquiry.outcome !== 'pending') {
      result = { notification: inquiry.notification, source: 'inquiry' };
    } else if (Date.now() >= expiresAt) {
      state.status = 'incomplete';
      state.endedReason = 'the payment page expired without a payment';
      await publish(ctx, 'first payment never made');
      return;
    }
    quiet = Math.min(quiet * 2, 15 * 60_000);
  }

  const { notification, source } = result;
  const period = { start: dayOf(Date.parse(ctx.input.requestedAt)), end: state.plan.firstChargeDate };
  const charge = chargeFromNotification(notification, {
    kind: 'initial',
    sequence: null,
    currency: state.plan.currency,
    period,
    source,
  });
  state.seenInvoices.push(charge.invoiceNo);
  state.charges.push(charge);
  await ledger(`Record first payment ${charge.invoiceNo}`).recordCharge({
    merchantId: state.merchantId,
    subscriptionId: state.subscriptionId,
    charge,
  });
  if (charge.status === 'succeeded') {
    state.status = 'active';
    state.recurringUniqueID = notification.recurringUniqueID;
    state.customerToken = notification.customerToken;
    state.maskedCard = notification.accountNo;
    if (!state.recurringUniqueID)
      log.warn('first payment reported without recurringUniqueID', { invoiceNo: charge.invoiceNo });
    await publish(ctx, `plan active, first charge due ${state.nextChargeDate}`);
  } else {
    state.status = 'incomplete';
    state.endedReason = `first payment declined: ${charge.respCode} ${charge.respDesc}`;
    await publish(ctx, 'first payment declined');
  }
}
