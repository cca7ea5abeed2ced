// Dunning after a failed charge: a payment link on the customer's stored card, reminders, then cancel.
import { condition, log } from '@temporalio/workflow';
import { gateway, ledger } from './activity-proxies.js';
import { recordCharge } from './charge-cycle.js';
import { chargeFromNotification } from './charge-record.js';
import type { PaymentNotification } from '../definitions.js';
import { publish } from './projection.js';
import type { SubscriptionContext } from './subscription-context.js';
import { dunningInvoiceNo, isTerminal, periodOf, takeNotification } from './subscription-state.js';

const DAY = 86_400_000;

/**
 * Offers the customer a payment link (Payment Token with customerToken, seed 003) for the amount of
 * failed charge `sequence`. Paid within the window: active again. Not paid: the RPP is cancelled and the
 * subscription ends unpaid. A declined attempt on the link gets a fresh link for the rest of the window.
 */
export async function runDunning(ctx: SubscriptionContext, sequence: number, amountMinor: number): Promise<void> {
  const { input, state } = ctx;
  const windowEnds = Date.now() + input.dunning.windowDays * DAY;
  const context = { merchantId: state.merchantId, subscriptionId: state.subscriptionId };
  const reminderEvery = (windowEnds - Date.now()) / (input.dunning.reminders + 1);
  let reminder = 0;

  for (let attempt = 1; Date.now() < windowEnds && !isTerminal(state.status); attempt += 1) {
    const invoiceNo = dunningInvoiceNo(state.invoicePrefix, sequence, attempt);
    const expiresAt = new Date(windowEnds).toISOString();
    let link: { paymentToken: string; webPaymentUrl: string };
    try {
      link = await gateway(`Create dunning payment link ${invoiceNo}`).createPaymentLink({
        ...context,
        invoiceNo,
        description: `${input.description} (overdue charge ${sequence})`,
        amountMinor,
        currency: state.plan.currency,
        customerTokens: state.customerToken ? [state.customerToken] : undefined,
        expiresAt,
        backendReturnUrl: input.backendReturnUrl,
        frontendReturnUrl: input.frontendReturnUrl,
      });
    } catch (error) {
      // 2C2P refused the link (a final code): the customer cannot pay it, so the window runs out.
      log.warn('dunning payment link refused', { invoiceNo, error: String(error) });
      await condition(() => isTerminal(state.status), Math.max(0, windowEnds - Date.now()));
      break;
    }
    state.pendingPaymentLink = { invoiceNo, ...link, amountMinor, currency: state.plan.currency, expiresAt };
    await publish(ctx, `waiting for overdue payment ${invoiceNo}`);

    const outcome = await awaitLinkPayment(ctx, invoiceNo, windowEnds, reminderEvery, () => {
      reminder += 1;
      return reminder <= input.dunning.reminders ? reminder : undefined;
    });
    if (!outcome) continue; // declined attempt (a new link) or the window ran out
    const charge = chargeFromNotification(outcome.notification, {
      kind: 'dunning',
      sequence,
      currency: state.plan.currency,
      period: periodOf(state, sequence),
      source: outcome.source,
      fallbackAmountMinor: amountMinor,
    });
    await recordCharge(ctx, charge);
    if (charge.status === 'succeeded') {
      state.pendingPaymentLink = undefined;
      state.status = 'active';
      return;
    }
  }
  if (isTerminal(state.status)) return;
  state.pendingPaymentLink = undefined;
  if (state.recurringUniqueID) {
    await gateway(`Cancel RPP ${state.recurringUniqueID}: dunning window passed`).cancelPlan({
      ...context,
      recurringUniqueID: state.recurringUniqueID,
    });
  }
  state.status = 'unpaid';
  state.nextChargeDate = undefined;
  state.endedReason = `overdue charge ${sequence} was not paid within ${input.dunning.windowDays} days`;

  async function awaitLinkPayment(
    c: SubscriptionContext,
    invoiceNo: string,
    until: number,
    every: number,
    nextReminder: () => number | undefined,
  ): Promise<{ notification: PaymentNotification; source: 'notification' | 'inquiry' } | undefined> {
    while (Date.now() < until) {
      const arrived = await condition(
        () => c.state.inbox.some((n) => n.invoiceNo === invoiceNo) || isTerminal(c.state.status),
        Math.max(1_000, Math.min(every, until - Date.now())),
      );
      if (isTerminal(c.state.status)) return undefined;
      const notification = arrived ? takeNotification(c.state, invoiceNo) : undefined;
      if (notification && notification.respCode !== '0001') return { notification, source: 'notification' };
      if (Date.now() >= until) break;
      const number = nextReminder();
      if (number !== undefined) {
        await ledger(`Dunning reminder ${number}/${input.dunning.reminders}`).recordDunningReminder({
          ...context,
          invoiceNo,
          reminder: number,
          of: input.dunning.reminders,
          webPaymentUrl: c.state.pendingPaymentLink?.webPaymentUrl ?? '',
        });
      }
    }
    // The window is over: one last inquiry, so a payment whose notification was lost still counts.
    const last = await gateway(`Payment inquiry ${invoiceNo} at window end`).inquirePayment({ ...context, invoiceNo });
    return last.found && last.outcome !== 'pending'
      ? { notification: last.notification, source: 'inquiry' }
      : undefined;
  }
}
