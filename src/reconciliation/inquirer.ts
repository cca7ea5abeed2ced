// Asks 2C2P through inquiries only (payment, RPP plan, refund status) and reads each answer into the plain
// form the comparison takes. A failed inquiry becomes an answer with `error`, so one timeout among a
// thousand subscriptions is reported, not fatal.
import { setTimeout as sleep } from 'node:timers/promises';
import { decimalToMinor } from '../domain/decimal-amount.js';
import { alphaCurrencyCode, parseRppAmount } from '../domain/money.js';
import { paymentOutcome } from '../domain/payment-outcome.js';
import type { GatewayClient } from '../gateway/client.js';
import { GatewayDeclinedError, GatewayError } from '../gateway/errors.js';
import type { PaymentResult } from '../gateway/types.js';
import { toPaymentNotification } from '../workflows/payment-notification.js';
import type { GatewayRefund, PaymentAnswer, PlanAnswer, RefundListAnswer } from './disagreement.js';
import type { Limiter } from './limiter.js';

/** The only 2C2P calls reconciliation may make: none of them moves money or changes a plan. */
export type InquiryGateway = Pick<GatewayClient, 'paymentInquiry' | 'recurringInquiry' | 'refundStatus'>;

/** Payment Inquiry codes that mean "no payment made" (an open or expired page), as the workflow reads them. */
const NOT_PAID = new Set(['0001', '5009']);
const RETRY_DELAY_MS = 250;

/** Inquiries made so far, and the first failure (a run whose every inquiry failed is a connection error). */
export interface InquiryStats {
  inquiries: number;
  failures: number;
  firstError?: unknown;
}

/** The three inquiries, each run under `limit`, counted in `stats`. */
export interface Inquirer {
  payment(invoiceNo: string, fallbackCurrency: string): Promise<PaymentAnswer>;
  plan(recurringUniqueID: string): Promise<PlanAnswer>;
  refunds(invoiceNo: string, currency: string): Promise<RefundListAnswer>;
  readonly stats: InquiryStats;
}

const known = (code: string | undefined): string | undefined => {
  try {
    return code ? alphaCurrencyCode(code) : undefined;
  } catch {
    return undefined;
  }
};
const minorOf = (amount: string | undefined, currency: string): number | undefined => {
  try {
    return amount ? decimalToMinor(String(amount), currency) : undefined;
  } catch {
    return undefined;
  }
};
const describe = (error: unknown) =>
  error instanceof GatewayError ? `${error.code}: ${error.message}` : String((error as Error)?.message ?? error);

/** Creates the inquirer; `limit` bounds how many inquiries are in flight at once. */
export function createInquirer(gateway: InquiryGateway, limit: Limiter): Inquirer {
  const stats: InquiryStats = { inquiries: 0, failures: 0 };
  async function ask<T>(call: () => Promise<T>, notFound: (e: GatewayDeclinedError) => T | undefined) {
    stats.inquiries += 1;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await limit(call);
      } catch (error) {
        const answer = error instanceof GatewayDeclinedError ? notFound(error) : undefined;
        if (answer !== undefined) return answer;
        // Inquiries change nothing at 2C2P, so asking again after a timeout or a 5xx is always safe.
        if (attempt < 2 && error instanceof GatewayError && error.retryable) {
          await sleep(RETRY_DELAY_MS);
          continue;
        }
        stats.failures += 1;
        stats.firstError ??= error;
        return { error: describe(error) };
      }
    }
  }
  const absent = (e: GatewayDeclinedError) =>
    e.classification === 'not-found'
      ? { found: false as const, respCode: e.respCode, respDesc: e.respDesc }
      : undefined;

  return {
    stats,
    payment: (invoiceNo, fallbackCurrency) =>
      ask(async (): Promise<PaymentAnswer> => {
        const answer = await gateway.paymentInquiry({ invoiceNo });
        const outcome = paymentOutcome(answer.respCode);
        if (outcome === 'not_found' || NOT_PAID.has(answer.respCode)) {
          return { found: false, respCode: answer.respCode, respDesc: answer.respDesc };
        }
        return { found: true, outcome, ...readPayment(answer, invoiceNo, fallbackCurrency) };
      }, absent),
    plan: (recurringUniqueID) =>
      ask(async (): Promise<PlanAnswer> => {
        const answer = await gateway.recurringInquiry({ recurringUniqueID });
        const currency = known(answer.currency);
        let amountMinor: number | undefined;
        try {
          amountMinor = answer.amount && currency ? parseRppAmount(answer.amount, currency).minor : undefined;
        } catch {
          amountMinor = undefined;
        }
        const count = answer.currentCount ? Number(answer.currentCount) : Number.NaN;
        return {
          found: true,
          enabled: answer.recurringStatus !== 'N',
          amountMinor,
          currency,
          currentCount: Number.isInteger(count) ? count : undefined,
        };
      }, absent),
    refunds: (invoiceNo, currency) =>
      ask(async (): Promise<RefundListAnswer> => {
        const answer = await gateway.refundStatus({ invoiceNo });
        const refunds = (answer.refundList ?? []).map((entry): GatewayRefund => {
          const wireStatus = entry.status ?? '';
          // RF refunded, RP pending (an empty status too, as the workflow reads it), anything else failed.
          const status =
            wireStatus === 'RF' ? 'succeeded' : wireStatus === 'RP' || wireStatus === '' ? 'pending' : 'failed';
          return { amountMinor: minorOf(entry.amount, currency), status, wireStatus, referenceNo: entry.referenceNo };
        });
        return { found: true, refunds };
      }, absent),
  };
}

/** The amount, currency and `paymentNotification` of a Payment Inquiry answer, as the API builds it. */
function readPayment(answer: PaymentResult, invoiceNo: string, fallbackCurrency: string) {
  const claims = { ...answer, invoiceNo: answer.invoiceNo || invoiceNo } as unknown as Record<string, unknown>;
  const notification = toPaymentNotification(claims);
  // The workflow records an alphabetic code; one it does not know is left out, so it records the plan's.
  const currency = known(notification.currencyCode);
  if (currency) notification.currencyCode = currency;
  else delete notification.currencyCode;
  return { amountMinor: minorOf(answer.amount, currency ?? fallbackCurrency), currency, notification };
}
