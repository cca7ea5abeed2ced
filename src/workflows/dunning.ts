// Dunning after a failed charge: a payment link on the customer's stored card, reminders, then the plan is
// cancelled at 2C2P and the subscription ends unpaid.
import { log, patched } from '@temporalio/workflow';
import type { CalendarDate } from '../domain/calendar-date.js';
import { gateway, ledger } from './activity-proxies.js';
import { failureTypeOf, persist } from './attention.js';
import { instantLabel, now, waitUntil } from './clock.js';
import { endPlanAtGateway } from './gateway-plan.js';
import { dunningInvoiceNo } from './invoice-numbers.js';
import { awaitPaymentResult } from './payment-result.js';
import { publish } from './projection.js';
import { chargeFromNotification, recordCharge } from './record-charge.js';
import { transition } from './status.js';
import type { SubscriptionContext } from './subscription-context.js';
import { isTerminal } from './subscription-state.js';

const DAY = 86_400_000;

/** The patch after which the window runs from the decline when the workflow's clock is behind it. */
export const DUNNING_ANCHOR_PATCH = 'dunning-window-from-decline';

/**
 * The patch after which reminders and checks are spread over the window itself. Before it they were
 * spread from the workflow's clock, which lags a decline that arrives ahead of a test-clock signal: the
 * first check came days after the window had closed (with the ledger writes local, this became the rule).
 */
export const DUNNING_CADENCE_PATCH = 'dunning-cadence-from-window';

/**
 * When the dunning window opens: now, or the decline's own time if that is later. A test clock moves the
 * sandbox before it tells the workflows, so a decline can arrive while the workflow's clock still shows the
 * day before; a window from then closed at once (chaos run: subscriptions unpaid within the advance).
 */
function windowStart(state: SubscriptionContext['state'], declinedAt: number | undefined): number {
  const at = now(state);
  if (declinedAt === undefined || !(declinedAt > at)) return at;
  return patched(DUNNING_ANCHOR_PATCH) ? declinedAt : at;
}

/**
 * Offers the customer a payment link (Payment Token with customerToken, seed 003) for the amount of
 * failed charge `sequence`. Paid within the window: active again. Not paid: the RPP is cancelled and the
 * subscription ends unpaid. A declined attempt on the link gets a fresh link for the rest of the window.
 */
export async function runDunning(
  ctx: SubscriptionContext,
  sequence: number,
  amountMinor: number,
  period: { start: CalendarDate; end: CalendarDate },
  declinedAt?: number,
): Promise<void> {
  const { input, state } = ctx;
  const opensAt = windowStart(state, declinedAt);
  const windowEnds = opensAt + input.dunning.windowDays * DAY;
  const context = { merchantId: state.merchantId, subscriptionId: state.subscriptionId };
  const fromWindow = patched(DUNNING_CADENCE_PATCH);
  const reminderEvery = Math.max(
    60_000,
    (windowEnds - (fromWindow ? opensAt : now(state))) / (input.dunning.reminders + 1),
  );
  // The first look comes one step into the window, and never after its end.
  const firstCheckAt = () =>
    fromWindow ? Math.min(Math.max(now(state), opensAt) + reminderEvery, windowEnds) : now(state) + reminderEvery;
  let reminder = 0;

  for (let attempt = 1; now(state) < windowEnds && !isTerminal(state.status); attempt += 1) {
    const invoiceNo = dunningInvoiceNo(state.invoicePrefix, sequence, attempt);
    const expiresAt = new Date(windowEnds).toISOString();
    let link: { paymentToken: string; webPaymentUrl: string } | undefined;
    try {
      link = await persist(
        ctx,
        `Create dunning payment link ${invoiceNo}`,
        () =>
          gateway(`Create dunning payment link ${invoiceNo}`).createPaymentLink({
            ...context,
            invoiceNo,
            description: `${input.description} (overdue charge ${sequence})`,
            amountMinor,
            currency: state.plan.currency,
            customerTokens: state.customerToken ? [state.customerToken] : undefined,
            expiresAt,
            backendReturnUrl: input.backendReturnUrl,
            frontendReturnUrl: input.frontendReturnUrl,
          }),
        { handles: ['ERR_GATEWAY_DECLINED'], whileOpen: true },
      );
    } catch (error) {
      if (failureTypeOf(error) !== 'ERR_GATEWAY_DECLINED') throw error;
      // 2C2P refused the link (a final code): the customer cannot pay it, so the window runs out.
      log.warn('dunning payment link refused', { invoiceNo, error: String(error) });
      await waitUntil(
        state,
        () => isTerminal(state.status),
        windowEnds,
        `dunning window until ${instantLabel(windowEnds)} (2C2P refused the link)`,
      );
      break;
    }
    if (!link || isTerminal(state.status)) return;
    state.pendingPaymentLink = { invoiceNo, ...link, amountMinor, currency: state.plan.currency, expiresAt };
    await publish(ctx, `waiting for overdue payment ${invoiceNo}`);

    const result = await awaitPaymentResult(ctx, {
      label: `overdue charge ${sequence}`,
      subject: () => `overdue charge ${sequence} (dunning window until ${instantLabel(windowEnds)})`,
      matches: (n) => n.invoiceNo === invoiceNo,
      invoiceNos: () => [invoiceNo],
      firstCheckAt,
      recheckAfterMs: () => reminderEvery,
      deadline: windowEnds,
      whileOpen: true,
      onQuiet: async () => {
        if (now(state) >= windowEnds || reminder >= input.dunning.reminders) return;
        reminder += 1;
        const number = reminder;
        await persist(ctx, `Dunning reminder ${number}`, () =>
          ledger(ctx, `Dunning reminder ${number}/${input.dunning.reminders}`).recordDunningReminder({
            ...context,
            invoiceNo,
            reminder: number,
            of: input.dunning.reminders,
            webPaymentUrl: state.pendingPaymentLink?.webPaymentUrl ?? '',
          }),
        );
      },
    });
    if (result.outcome === 'ended') return;
    if (result.outcome === 'expired') break;

    const paid = await ctx.lock.runExclusive(async () => {
      const charge = chargeFromNotification(result.notification, {
        kind: 'dunning',
        sequence,
        currency: state.plan.currency,
        period,
        source: result.source,
        fallbackAmountMinor: amountMinor,
      });
      await recordCharge(ctx, charge);
      if (charge.status !== 'succeeded') return false;
      state.pendingPaymentLink = undefined;
      if (transition(state, 'active')) {
        state.paidPeriod = { invoiceNo: charge.invoiceNo, period, rateMinor: charge.amountMinor };
      }
      await publish(ctx, `overdue charge ${sequence} paid`);
      return true;
    });
    if (paid) return;
  }

  if (isTerminal(state.status)) return;
  const recurringUniqueID = state.recurringUniqueID;
  if (recurringUniqueID) await endPlanAtGateway(ctx, recurringUniqueID, 'dunning window passed');
  await ctx.lock.runExclusive(async () => {
    const reason = `overdue charge ${sequence} was not paid within ${input.dunning.windowDays} days`;
    if (transition(state, 'unpaid', reason)) await publish(ctx, reason);
  });
}
