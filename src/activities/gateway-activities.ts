// Activities that each make one 2C2P call through the gateway client and store its audit rows.
import type { BillingInterval } from '../domain/billing-schedule.js';
import { parseCalendarDate, toCalendarDate, toEpochMs, type CalendarDate } from '../domain/calendar-date.js';
import { money } from '../domain/money.js';
import { paymentOutcome } from '../domain/payment-outcome.js';
import { GatewayDeclinedError } from '../gateway/errors.js';
import type { GatewayClient, GatewayExchange } from '../gateway/client.js';
import type { PaymentNotification } from '../domain/subscription-model.js';
import { toActivityFailure } from './application-failure.js';
import { balanceToMinor, refundOutcomeOf } from './gateway-answers.js';
import type { CallContext, SubscriptionActivities } from './types.js';

export interface GatewayActivityDeps {
  /** A client for the merchant whose observer receives every exchange of this call. */
  gatewayFor(merchantId: string, observer: (exchange: GatewayExchange) => void): GatewayClient;
  /** Stores the audit rows of one activity's exchanges (awaited: no call goes unrecorded). */
  audit(context: CallContext, exchanges: GatewayExchange[]): Promise<void>;
}

type GatewayActivities = Pick<
  SubscriptionActivities,
  | 'createPaymentLink'
  | 'inquirePayment'
  | 'inquireTransaction'
  | 'inquireBalance'
  | 'refundCharge'
  | 'inquireRefund'
  | 'inquirePlan'
  | 'changePlan'
  | 'cancelPlan'
>;

/** The gateway half of the activities. */
export function createGatewayActivities(deps: GatewayActivityDeps): GatewayActivities {
  async function call<T>(context: CallContext, fn: (client: GatewayClient) => Promise<T>): Promise<T> {
    const exchanges: GatewayExchange[] = [];
    try {
      return await fn(deps.gatewayFor(context.merchantId, (exchange) => exchanges.push(exchange)));
    } catch (error) {
      throw toActivityFailure(error);
    } finally {
      await deps.audit(context, exchanges);
    }
  }

  return {
    createPaymentLink: (r) =>
      call(r, async (client) => {
        const result = await client.paymentToken({
          invoiceNo: r.invoiceNo,
          description: r.description,
          amount: money(r.amountMinor, r.currency),
          customerToken: r.customerTokens,
          customerTokenOnly: r.customerTokenOnly,
          backendReturnUrl: r.backendReturnUrl,
          frontendReturnUrl: r.frontendReturnUrl,
          paymentExpiry: new Date(r.expiresAt),
          // The invoice number is unique per link, so a retried request returns the same token.
          idempotencyID: r.invoiceNo,
          recurring: r.recurring && {
            invoicePrefix: r.recurring.invoicePrefix,
            amount: money(r.recurring.amountMinor, r.currency),
            allowAccumulate: r.recurring.allowAccumulate,
            maxAccumulateAmount: money(r.recurring.maxAccumulateMinor, r.currency),
            ...scheduleFields(r.recurring.interval, r.recurring.chargeNextDate),
            count: r.recurring.recurringCount,
            chargeNextDate: new Date(toEpochMs(r.recurring.chargeNextDate)),
          },
        });
        return { paymentToken: result.paymentToken, webPaymentUrl: result.webPaymentUrl };
      }),

    inquirePayment: (r) =>
      call(r, async (client) => {
        const answer = await client.paymentInquiry({ invoiceNo: r.invoiceNo });
        const outcome = paymentOutcome(answer.respCode);
        if (outcome === 'not_found')
          return { found: false as const, respCode: answer.respCode, respDesc: answer.respDesc };
        const notification: PaymentNotification = {
          invoiceNo: answer.invoiceNo || r.invoiceNo,
          respCode: answer.respCode,
          respDesc: answer.respDesc,
          amount: answer.amount,
          currencyCode: answer.currencyCode,
          recurringUniqueID: answer.recurringUniqueID || undefined,
          recurringSequenceNo: answer.recurringSequenceNo || undefined,
          customerToken: answer.customerToken || undefined,
          accountNo: answer.accountNo || undefined,
          tranRef: answer.tranRef || undefined,
          referenceNo: answer.referenceNo || undefined,
          approvalCode: answer.approvalCode || undefined,
          transactionDateTime: answer.transactionDateTime || undefined,
        };
        return { found: true as const, outcome, notification };
      }),

    inquireTransaction: (r) =>
      call(r, async (client) => {
        const answer = await client.inquiry({ invoiceNo: r.invoiceNo });
        const status = answer.status ?? '';
        // Settled, or already (partly) refunded — which implies settled.
        const settled = status === 'S' || status.startsWith('RF') || status.startsWith('RR') || status === 'RP';
        return { status, settled, voided: status === 'V' || status === 'VP' };
      }),

    inquireBalance: (r) =>
      call(r, async (client) => {
        const answer = await client.balanceInquiry();
        return { availableMinor: balanceToMinor(answer.availableBalance, answer.currency), currency: answer.currency };
      }),

    refundCharge: (r) =>
      call(r, async (client) => {
        try {
          const answer = await client.refund({
            invoiceNo: r.invoiceNo,
            amount: money(r.amountMinor, r.currency),
            idempotencyID: r.idempotencyId,
          });
          return refundOutcomeOf(
            answer.status ?? '',
            answer.respCode,
            answer.respDesc,
            answer.refundReferenceNo || answer.referenceNo,
          );
        } catch (error) {
          // 42 / RP: accepted but not final; the workflow follows it with refund status inquiries.
          if (error instanceof GatewayDeclinedError && error.classification === 'pending') {
            return { status: 'pending' as const, respCode: error.respCode, respDesc: error.respDesc };
          }
          throw error;
        }
      }),

    inquireRefund: (r) =>
      call(r, async (client) => {
        const answer = await client.refundStatus({ invoiceNo: r.invoiceNo });
        const entries = answer.refundList ?? [];
        const entry =
          entries.find((e) => r.referenceNo !== undefined && e.referenceNo === r.referenceNo) ??
          entries.find((e) => e.amount !== undefined && balanceToMinor(e.amount, r.currency) === r.amountMinor);
        if (!entry) return { status: 'pending' as const, respCode: answer.respCode, respDesc: 'refund not listed yet' };
        return refundOutcomeOf(entry.status ?? '', answer.respCode, answer.respDesc, entry.referenceNo);
      }),

    inquirePlan: (r) =>
      call(r, async (client) => {
        const answer = await client.recurringInquiry({ recurringUniqueID: r.recurringUniqueID });
        const currentCount = answer.currentCount ? Number(answer.currentCount) : undefined;
        return {
          recurringStatus: answer.recurringStatus === 'N' ? ('N' as const) : ('Y' as const),
          currentCount: Number.isInteger(currentCount) ? currentCount : undefined,
          chargeNextDate: answer.chargeNextDate ? yyyymmddToCalendar(answer.chargeNextDate) : undefined,
        };
      }),

    changePlan: (r) =>
      call(r, async (client) => {
        await client.recurringUpdate({
          recurringUniqueID: r.recurringUniqueID,
          currency: r.plan.currency,
          amount: money(r.plan.amountMinor, r.plan.currency),
          allowAccumulate: r.plan.allowAccumulate,
          maxAccumulateAmount: money(r.plan.maxAccumulateMinor, r.plan.currency),
          count: r.plan.recurringCount,
          ...(r.chargeNextDate ? scheduleFields(r.plan.interval, r.chargeNextDate) : {}),
          chargeNextDate: r.chargeNextDate ? new Date(toEpochMs(r.chargeNextDate)) : undefined,
        });
      }),

    cancelPlan: (r) =>
      call(r, async (client) => {
        await client.recurringCancel({ recurringUniqueID: r.recurringUniqueID });
      }),
  };
}

/** 2C2P's schedule fields: recurringInterval in days, or chargeOnDate (ddMM) for a day of month. */
function scheduleFields(interval: BillingInterval, firstCharge: CalendarDate) {
  if (interval.kind === 'days') return { intervalDays: interval.days };
  return { chargeOnDate: { day: interval.day, month: parseCalendarDate(firstCharge).month } };
}

function yyyymmddToCalendar(value: string): CalendarDate | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (!match) return undefined;
  return toCalendarDate(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
}
