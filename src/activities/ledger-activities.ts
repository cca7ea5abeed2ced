// Activities that write the merchant-facing projection of a subscription to PostgreSQL. Each write is
// idempotent (charges by invoice, refunds by idempotency id, subscriptions by state version).
import type pg from 'pg';
import { getSubscription, recordCharge, recordEvent, upsertRefund, upsertSubscription } from '../db/index.js';
import { transactionInstantMs } from '../domain/wire-dates.js';
import { subscriptionWorkflowId } from '../domain/subscription-model.js';
import type { RefundStatus } from '../domain/subscription-model.js';
import type { RecurMetrics } from '../metrics/recur-metrics.js';
import { logEvent } from './business-log.js';
import type { LedgerActivities } from './types.js';

/** The line each refund status is logged with (a failed refund needs a person: warn). */
const REFUND_EVENTS: Record<RefundStatus, { level: 'info' | 'warn'; message: string }> = {
  requested: { level: 'info', message: 'refund requested' },
  waiting_settlement: { level: 'info', message: 'refund waiting for settlement' },
  pending: { level: 'info', message: 'refund pending at 2C2P' },
  succeeded: { level: 'info', message: 'refund succeeded' },
  failed: { level: 'warn', message: 'refund failed' },
};

/**
 * The database half of the activities. `metrics` counts charges, refunds and dunning outcomes when a write
 * changed a row, so a retried activity never counts twice.
 */
export function createLedgerActivities(pool: pg.Pool, metrics?: RecurMetrics): LedgerActivities {
  return {
    async saveSubscription(view) {
      // Only the write that makes a subscription unpaid counts as dunning's outcome, not later versions of it.
      const endsUnpaid =
        metrics !== undefined &&
        view.status === 'unpaid' &&
        (await getSubscription(pool, view.subscriptionId, view.merchantId))?.status !== 'unpaid';
      const written = await upsertSubscription(pool, {
        id: view.subscriptionId,
        merchantId: view.merchantId,
        customerId: view.customerId,
        status: view.status,
        currency: view.plan.currency,
        amountMinor: view.plan.amountMinor,
        plan: view.plan,
        invoicePrefix: view.invoicePrefix,
        workflowId: subscriptionWorkflowId(view.merchantId, view.subscriptionId),
        stateVersion: view.version,
        recurringUniqueId: view.recurringUniqueID ?? null,
        customerToken: view.customerToken ?? null,
        nextChargeDate: view.nextChargeDate ?? null,
        paymentUrl:
          view.pendingPaymentLink?.webPaymentUrl ??
          (view.status === 'pending_payment' ? view.checkout?.webPaymentUrl : null) ??
          null,
        endedReason: view.endedReason ?? null,
        attention: view.attention ?? null,
      });
      if (endsUnpaid && written.applied) metrics?.dunningOutcomes.inc({ outcome: 'unpaid' });
    },

    async recordCharge({ merchantId, subscriptionId, charge }) {
      const written = await recordCharge(pool, {
        merchantId,
        subscriptionId,
        invoiceNo: charge.invoiceNo,
        sequence: charge.sequence,
        kind: charge.kind,
        amountMinor: charge.amountMinor,
        currency: charge.currency,
        status: charge.status,
        respCode: charge.respCode,
        respDesc: charge.respDesc,
        tranRef: charge.tranRef ?? null,
        referenceNo: charge.referenceNo ?? null,
        approvalCode: charge.approvalCode ?? null,
        transactionAt: transactionInstant(charge.transactionDateTime),
        periodStart: charge.period?.start ?? null,
        periodEnd: charge.period?.end ?? null,
        source: charge.source,
      });
      // A retried write changes nothing and says nothing: one line per charge.
      if (!written.inserted && !written.updated) return;
      const succeeded = charge.status === 'succeeded';
      metrics?.charges.inc({ outcome: charge.status, kind: charge.kind });
      if (succeeded && charge.kind === 'dunning') metrics?.dunningOutcomes.inc({ outcome: 'recovered' });
      logEvent(succeeded ? 'info' : 'warn', succeeded ? 'charge succeeded' : 'charge declined', {
        merchantId,
        subscriptionId,
        invoiceNo: charge.invoiceNo,
        kind: charge.kind,
        sequence: charge.sequence ?? undefined,
        amountMinor: charge.amountMinor,
        currency: charge.currency,
        respCode: charge.respCode,
        respDesc: succeeded ? undefined : charge.respDesc,
        source: charge.source,
      });
    },

    async saveRefund({ merchantId, subscriptionId, refund }) {
      const written = await upsertRefund(pool, {
        idempotencyId: refund.idempotencyId,
        merchantId,
        subscriptionId,
        invoiceNo: refund.invoiceNo,
        amountMinor: refund.amountMinor,
        currency: refund.currency,
        reason: refund.reason,
        status: refund.status,
        respCode: refund.respCode ?? null,
        respDesc: refund.respDesc ?? null,
        referenceNo: refund.referenceNo ?? null,
        createdAt: refund.requestedAt,
      });
      if (!written.inserted && !written.updated) return;
      metrics?.refunds.inc({ status: refund.status });
      const event = REFUND_EVENTS[refund.status];
      logEvent(event.level, event.message, {
        merchantId,
        subscriptionId,
        invoiceNo: refund.invoiceNo,
        refundId: refund.idempotencyId,
        amountMinor: refund.amountMinor,
        currency: refund.currency,
        reason: refund.reason,
        respCode: refund.respCode,
        respDesc: refund.status === 'failed' ? refund.respDesc : undefined,
      });
    },

    async recordDunningReminder({ merchantId, subscriptionId, invoiceNo, reminder, of, webPaymentUrl }) {
      // The merchant reads reminders from /v1/subscriptions/{id}/events and sends the link to its customer.
      const written = await recordEvent(pool, {
        merchantId,
        subscriptionId,
        type: 'dunning_reminder',
        dedupeKey: `${invoiceNo}#${reminder}`,
        data: { invoiceNo, reminder, of, webPaymentUrl },
      });
      if (written.inserted)
        logEvent('info', 'dunning reminder due', { merchantId, subscriptionId, invoiceNo, reminder, of });
    },
  };
}

/** 2C2P's yyyyMMddHHmmss as an ISO instant; unreadable values are kept out rather than guessed. */
function transactionInstant(value: string | undefined): string | null {
  const ms = transactionInstantMs(value);
  return ms === undefined ? null : new Date(ms).toISOString();
}
