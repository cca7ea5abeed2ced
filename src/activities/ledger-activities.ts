// Activities that write the merchant-facing projection of a subscription to PostgreSQL, and the events that
// announce each change in the same transaction. Each write is idempotent (charges by invoice, refunds by
// idempotency id, subscriptions by state version), and so is each event (by its dedupe key).
import type pg from 'pg';
import {
  lockSubscriptionState,
  recordCharge,
  recordEvent,
  upsertRefund,
  upsertSubscription,
  withTransaction,
  type Queryable,
} from '../db/index.js';
import { chargeEventType, refundEventTypes, subscriptionEventTypes, type EventType } from '../domain/event-types.js';
import { transactionInstantMs } from '../domain/wire-dates.js';
import { subscriptionWorkflowId } from '../domain/subscription-model.js';
import type { RefundStatus } from '../domain/subscription-model.js';
import type { RecurMetrics } from '../metrics/recur-metrics.js';
import { logEvent } from './business-log.js';
import { presentChargeRow, presentRefundRow, presentView } from '../resources/presenters.js';
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
      const { merchantId, subscriptionId } = view;
      const endsUnpaid = await withTransaction(pool, async (tx) => {
        const before = await lockSubscriptionState(tx, subscriptionId, view.plan);
        const written = await upsertSubscription(tx, {
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
        // An older or repeated version changes nothing, so it announces nothing.
        if (!written.applied) return false;
        const types = subscriptionEventTypes(before, view.status);
        await emit(tx, { merchantId, subscriptionId }, types, `v${view.version}`, presentView(view));
        // A new dunning link is news at once (reminder 0); the dunning loop's reminders 1..n follow when unpaid.
        const link = view.status === 'past_due' ? view.pendingPaymentLink : undefined;
        if (link && before?.paymentUrl !== link.webPaymentUrl)
          await recordEvent(tx, {
            merchantId,
            subscriptionId,
            type: 'dunning.link_sent' satisfies EventType,
            dedupeKey: `${link.invoiceNo}#0`,
            data: {
              invoiceNo: link.invoiceNo,
              reminder: 0,
              webPaymentUrl: link.webPaymentUrl,
              expiresAt: link.expiresAt,
            },
          });
        // Only the write that makes a subscription unpaid counts as dunning's outcome, not later versions of it.
        return view.status === 'unpaid' && before?.status !== 'unpaid';
      });
      if (endsUnpaid) metrics?.dunningOutcomes.inc({ outcome: 'unpaid' });
    },

    async recordCharge({ merchantId, subscriptionId, charge }) {
      const written = await withTransaction(pool, async (tx) => {
        const charged = await recordCharge(tx, {
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
        const type = chargeEventType(charged.row.status);
        if ((charged.inserted || charged.updated) && type)
          await emit(tx, { merchantId, subscriptionId }, [type], charge.invoiceNo, presentChargeRow(charged.row));
        return charged;
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
      const written = await withTransaction(pool, async (tx) => {
        const saved = await upsertRefund(tx, {
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
        const types = saved.inserted || saved.updated ? refundEventTypes(saved.inserted, saved.row.status) : [];
        await emit(tx, { merchantId, subscriptionId }, types, refund.idempotencyId, presentRefundRow(saved.row));
        return saved;
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
      // The merchant learns of the link (GET /v1/events, or a webhook) and sends it to its customer.
      const written = await recordEvent(pool, {
        merchantId,
        subscriptionId,
        type: 'dunning.link_sent' satisfies EventType,
        dedupeKey: `${invoiceNo}#${reminder}`,
        data: { invoiceNo, reminder, of, webPaymentUrl },
      });
      if (written.inserted)
        logEvent('info', 'dunning reminder due', { merchantId, subscriptionId, invoiceNo, reminder, of });
    },
  };
}

/**
 * Records one event per type, each keyed by the object's key (`v7`, an invoice number, a refund id) so a retried
 * activity records nothing twice.
 */
async function emit(
  tx: Queryable,
  context: { merchantId: string; subscriptionId: string },
  types: EventType[],
  key: string,
  data: unknown,
): Promise<void> {
  for (const type of types)
    await recordEvent(tx, { ...context, type, dedupeKey: `${context.subscriptionId}/${key}`, data });
}

/** 2C2P's yyyyMMddHHmmss as an ISO instant; unreadable values are kept out rather than guessed. */
function transactionInstant(value: string | undefined): string | null {
  const ms = transactionInstantMs(value);
  return ms === undefined ? null : new Date(ms).toISOString();
}
