// The one way a charge enters the ledger: built from 2C2P's answer, kept in the state once, written to
// PostgreSQL (idempotent by invoice number). Callers hold the workflow lock.
import { log } from '@temporalio/workflow';
import type { CalendarDate } from '../domain/calendar-date.js';
import { decimalToMinor } from '../domain/decimal-amount.js';
import { alphaCurrencyCode } from '../domain/money.js';
import { paymentOutcome } from '../domain/payment-outcome.js';
import { ledger } from './activity-proxies.js';
import { persist } from './attention.js';
import type { ChargeKind, ChargeRecord, ChargeSource, PaymentNotification } from './definitions.js';
import { markSeen } from './inbox.js';
import type { SubscriptionContext } from './subscription-context.js';
import { pruneHistory } from './subscription-state.js';

export interface ChargeMeta {
  kind: ChargeKind;
  sequence: number | null;
  /** The plan's currency, used when 2C2P's answer names none (or one the engine does not know). */
  currency: string;
  period?: { start: CalendarDate; end: CalendarDate };
  source: ChargeSource;
  /** Amount to record when 2C2P's answer carries none (or one that cannot be read). */
  fallbackAmountMinor: number;
}

/** The charge a notification or inquiry reports: succeeded on 0000, declined on any final code. Never throws. */
export function chargeFromNotification(notification: PaymentNotification, meta: ChargeMeta): ChargeRecord {
  const currency = knownCurrency(notification.currencyCode) ?? meta.currency;
  let amountMinor = meta.fallbackAmountMinor;
  if (notification.amount) {
    try {
      amountMinor = decimalToMinor(notification.amount, currency);
    } catch (error) {
      log.warn('unreadable amount in a 2C2P answer; recording the expected amount', {
        invoiceNo: notification.invoiceNo,
        amount: notification.amount,
        error: String(error),
      });
    }
  }
  const succeeded = paymentOutcome(notification.respCode) === 'succeeded';
  return {
    invoiceNo: notification.invoiceNo,
    kind: meta.kind,
    sequence: meta.sequence,
    amountMinor,
    currency,
    status: succeeded ? 'succeeded' : 'declined',
    respCode: notification.respCode,
    respDesc: notification.respDesc,
    tranRef: notification.tranRef,
    referenceNo: notification.referenceNo,
    approvalCode: notification.approvalCode,
    transactionDateTime: notification.transactionDateTime,
    period: succeeded ? meta.period : undefined,
    source: meta.source,
  };
}

/** Records a charge once: a second call for the same invoice number changes nothing. */
export async function recordCharge(ctx: SubscriptionContext, charge: ChargeRecord): Promise<void> {
  const { state } = ctx;
  if (state.charges.some((c) => c.invoiceNo === charge.invoiceNo)) return;
  markSeen(state, charge.invoiceNo);
  state.charges.push(charge);
  // The state (and every activity input built from it) stays bounded: older charges live in PostgreSQL.
  pruneHistory(state);
  await persist(ctx, `Record charge ${charge.invoiceNo}`, () =>
    ledger(ctx, `Record charge ${charge.invoiceNo} (${charge.status})`).recordCharge({
      merchantId: state.merchantId,
      subscriptionId: state.subscriptionId,
      charge,
    }),
  );
}

/** The alphabetic code of a currency given alphabetically or numerically ("702" → SGD), if known. */
function knownCurrency(code: string | undefined): string | undefined {
  if (!code) return undefined;
  try {
    return alphaCurrencyCode(code);
  } catch {
    return undefined;
  }
}
