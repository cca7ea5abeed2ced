// Activities that each make one 2C2P call through the gateway client and store its audit rows.
import { toEpochMs } from '../domain/calendar-date.js';
import { money } from '../domain/money.js';
import { paymentOutcome } from '../domain/payment-outcome.js';
import { readChargeNextDate } from '../gateway/codecs/recurring-maintenance.js';
import { GatewayDeclinedError } from '../gateway/errors.js';
import type { GatewayClient, GatewayExchange } from '../gateway/client.js';
import type { PaymentNotification } from '../domain/subscription-model.js';
import { toActivityFailure } from './application-failure.js';
import { logEvent } from './business-log.js';
import { balanceToMinor, refundOutcomeOf } from './gateway-answers.js';
import { planTermsFor, scheduleFields } from './plan-terms.js';
import type { CallContext, GatewayActivities } from './types.js';

export interface GatewayActivityDeps {
  /** A client for the merchant whose observer receives every exchange of this call. */
  gatewayFor(merchantId: string, observer: (exchange: GatewayExchange) => void): GatewayClient | Promise<GatewayClient>;
  /** Stores the audit rows of one activity's exchanges (awaited: no call goes unrecorded). */
  audit(context: CallContext, exchanges: GatewayExchange[]): Promise<void>;
}

/** The gateway half of the activities. */
export function createGatewayActivities(deps: GatewayActivityDeps): GatewayActivities {
  async function call<T>(context: CallContext, fn: (client: GatewayClient) => Promise<T>): Promise<T> {
    const exchanges: GatewayExchange[] = [];
    try {
      return await fn(await deps.gatewayFor(context.merchantId, (exchange) => exchanges.push(exchange)));
    } catch (error) {
      throw toActivityFailure(error);
    } finally {
      await deps.audit(context, exchanges);
    }
  }

  return {
    createPaymentLink: async (r) => {
      const link = await call(r, async (client) => {
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
      });
      // A first payment page carries the plan; a link without one asks for an overdue charge (dunning).
      logEvent('info', r.recurring ? 'payment page created' : 'dunning link created', {
        merchantId: r.merchantId,
        subscriptionId: r.subscriptionId,
        invoiceNo: r.invoiceNo,
        amountMinor: r.amountMinor,
        currency: r.currency,
        expiresAt: r.expiresAt,
      });
      return link;
    },

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
        const amount =
          r.amountMinor !== undefined && r.currency !== undefined ? money(r.amountMinor, r.currency) : undefined;
        const answer = await client.inquiry({ invoiceNo: r.invoiceNo, amount });
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
          // 42 / RP: accepted but not final; 49 (already fully refunded) and 51 (same idempotency key still
          // pending): what happened is not known from this answer. Each is followed with refund status
          // inquiries by the workflow, never recorded as a failure.
          if (
            error instanceof GatewayDeclinedError &&
            (error.classification === 'pending' || error.classification === 'outcome-unknown')
          ) {
            return { status: 'pending' as const, respCode: error.respCode, respDesc: error.respDesc };
          }
          throw error;
        }
      }),

    inquireRefund: (r) =>
      call(r, async (client) => {
        const answer = await client.refundStatus({ invoiceNo: r.invoiceNo, amount: money(r.amountMinor, r.currency) });
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
          // yyyyMMdd or a protocol error (non-retryable), never a date guessed from other digits.
          chargeNextDate: answer.chargeNextDate ? readChargeNextDate(answer.chargeNextDate) : undefined,
        };
      }),

    changePlan: async (r) => {
      await call(r, async (client) => {
        await client.recurringUpdate(await planTermsFor(client, r));
      });
      logEvent('info', 'plan updated', {
        merchantId: r.merchantId,
        subscriptionId: r.subscriptionId,
        recurringUniqueID: r.recurringUniqueID,
        amountMinor: r.plan.amountMinor,
        currency: r.plan.currency,
      });
    },

    cancelPlan: async (r) => {
      await call(r, async (client) => {
        await client.recurringCancel(await planTermsFor(client, r));
      });
      logEvent('info', 'plan cancelled', {
        merchantId: r.merchantId,
        subscriptionId: r.subscriptionId,
        recurringUniqueID: r.recurringUniqueID,
      });
    },
  };
}
