// Shapes workflow views and database rows into the resources merchants see (decimal amounts, no internal
// fields): the API's answers and the snapshots events carry.
import type { ChargeRow, ExchangeRow, RefundRow, SubscriptionRow } from '../db/index.js';
import {
  TERMINAL_STATUSES,
  type Attention,
  type ChargeRecord,
  type PaymentLink,
  type Plan,
  type RefundRecord,
  type SubscriptionStatus,
  type SubscriptionView,
} from '../domain/subscription-model.js';
import { formatMoney } from '../domain/money.js';
import type {
  AttentionResource,
  ChargeResource,
  GatewayExchangeResource,
  PaymentLinkResource,
  PlanResource,
  RefundResource,
  SubscriptionResource,
  SubscriptionSummary,
} from './subscription-resource.js';

const decimalOf = (minor: number, currency: string): string => formatMoney({ minor, currency });

/** Copies the entries of `fields` that are neither undefined nor null onto `target`. */
function withDefined<T extends object>(target: T, fields: Record<string, unknown>): T {
  for (const [key, value] of Object.entries(fields))
    if (value !== undefined && value !== null) (target as Record<string, unknown>)[key] = value;
  return target;
}

/** 2C2P's yyyyMMddHHmmss (UTC) as an ISO instant; other text unchanged. */
function isoFromWire(value: string | undefined): string | undefined {
  const m = value ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value) : null;
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z` : value;
}

/** The next charge date, only while the subscription can still be charged: an ended one has none. */
function nextChargeOf(status: SubscriptionStatus, date: string | null | undefined): string | undefined {
  return TERMINAL_STATUSES.includes(status) ? undefined : (date ?? undefined);
}

function presentAttention(a: Attention | null | undefined): AttentionResource | undefined {
  if (!a) return undefined;
  const { operation, failureType, reason, since, attempts, nextAttemptAt, resumeStatus } = a;
  return { operation, failureType, reason, since, attempts, nextAttemptAt, resumeStatus };
}

/** A plan with decimal amounts and the API's interval shape. */
export function presentPlan(plan: Plan): PlanResource {
  return {
    amount: decimalOf(plan.amountMinor, plan.currency),
    currency: plan.currency,
    interval: plan.interval.kind === 'days' ? { days: plan.interval.days } : { dayOfMonth: plan.interval.day },
    recurringCount: plan.recurringCount,
    firstChargeDate: plan.firstChargeDate,
    allowAccumulate: plan.allowAccumulate,
    maxAccumulateAmount: decimalOf(plan.maxAccumulateMinor, plan.currency),
  };
}

function presentLink(link: PaymentLink): PaymentLinkResource {
  const { invoiceNo, webPaymentUrl, paymentToken, currency, expiresAt } = link;
  return { invoiceNo, webPaymentUrl, paymentToken, amount: decimalOf(link.amountMinor, currency), currency, expiresAt };
}

/** A charge from the workflow's state. */
export function presentChargeRecord(c: ChargeRecord): ChargeResource {
  const { invoiceNo, kind, sequence, currency, status, respCode, respDesc } = c;
  return withDefined<ChargeResource>(
    { invoiceNo, kind, sequence, amount: decimalOf(c.amountMinor, currency), currency, status, respCode, respDesc },
    {
      tranRef: c.tranRef,
      referenceNo: c.referenceNo,
      approvalCode: c.approvalCode,
      transactionAt: isoFromWire(c.transactionDateTime),
      periodStart: c.period?.start,
      periodEnd: c.period?.end,
      source: c.source,
    },
  );
}

/** A refund from the workflow's state. */
export function presentRefundRecord(r: RefundRecord): RefundResource {
  const { invoiceNo, currency, reason, status, requestedAt } = r;
  return withDefined<RefundResource>(
    {
      refundId: r.idempotencyId,
      invoiceNo,
      amount: decimalOf(r.amountMinor, currency),
      currency,
      reason,
      status,
      requestedAt,
    },
    { respCode: r.respCode, respDesc: r.respDesc, referenceNo: r.referenceNo },
  );
}

/** A running subscription, from the workflow's state query. */
export function presentView(view: SubscriptionView): SubscriptionResource {
  const paying = view.pendingPaymentLink ?? (view.status === 'pending_payment' ? view.checkout : undefined);
  return withDefined<SubscriptionResource>(
    {
      subscriptionId: view.subscriptionId,
      merchantId: view.merchantId,
      customerId: view.customerId,
      status: view.status,
      plan: presentPlan(view.plan),
      invoicePrefix: view.invoicePrefix,
      charges: view.charges.map(presentChargeRecord),
      refunds: view.refunds.map(presentRefundRecord),
      version: view.version,
      source: 'workflow',
    },
    {
      recurringUniqueID: view.recurringUniqueID,
      customerToken: view.customerToken,
      maskedCard: view.maskedCard,
      nextChargeDate: nextChargeOf(view.status, view.nextChargeDate),
      paymentUrl: paying?.webPaymentUrl,
      checkout: view.checkout && presentLink(view.checkout),
      pendingPaymentLink: view.pendingPaymentLink && presentLink(view.pendingPaymentLink),
      endedReason: view.endedReason,
      attention: presentAttention(view.attention),
    },
  );
}

/** A stored charge. */
export function presentChargeRow(c: ChargeRow): ChargeResource {
  const { invoiceNo, kind, sequence, currency, status, respCode, respDesc } = c;
  return withDefined<ChargeResource>(
    { invoiceNo, kind, sequence, amount: decimalOf(c.amountMinor, currency), currency, status, respCode, respDesc },
    {
      tranRef: c.tranRef,
      referenceNo: c.referenceNo,
      approvalCode: c.approvalCode,
      transactionAt: c.transactionAt,
      periodStart: c.periodStart,
      periodEnd: c.periodEnd,
      source: c.source,
    },
  );
}

/** A stored refund. */
export function presentRefundRow(r: RefundRow): RefundResource {
  const { invoiceNo, currency, reason, status } = r;
  return withDefined<RefundResource>(
    {
      refundId: r.idempotencyId,
      invoiceNo,
      amount: decimalOf(r.amountMinor, currency),
      currency,
      reason,
      status,
      requestedAt: r.createdAt,
    },
    { respCode: r.respCode, respDesc: r.respDesc, referenceNo: r.referenceNo },
  );
}

/** An ended (or not yet running) subscription, from the database projection. */
export function presentRow(row: SubscriptionRow, charges: ChargeRow[], refunds: RefundRow[]): SubscriptionResource {
  return withDefined<SubscriptionResource>(
    {
      subscriptionId: row.id,
      merchantId: row.merchantId,
      customerId: row.customerId,
      status: row.status,
      plan: presentPlan(row.plan as Plan),
      invoicePrefix: row.invoicePrefix,
      charges: charges.map(presentChargeRow),
      refunds: refunds.map(presentRefundRow),
      version: row.stateVersion,
      source: 'database',
    },
    {
      recurringUniqueID: row.recurringUniqueId,
      customerToken: row.customerToken,
      nextChargeDate: nextChargeOf(row.status, row.nextChargeDate),
      paymentUrl: row.paymentUrl,
      endedReason: row.endedReason,
      attention: presentAttention(row.attention),
    },
  );
}

/** One line of the subscription list. */
export function presentSummary(row: SubscriptionRow): SubscriptionSummary {
  return withDefined<SubscriptionSummary>(
    {
      subscriptionId: row.id,
      customerId: row.customerId,
      status: row.status,
      plan: presentPlan(row.plan as Plan),
      createdAt: row.createdAt,
    },
    {
      nextChargeDate: nextChargeOf(row.status, row.nextChargeDate),
      paymentUrl: row.paymentUrl,
      closedAt: row.closedAt,
    },
  );
}

/** A stored gateway exchange (already free of keys and full card numbers). */
export function presentExchange(e: ExchangeRow): GatewayExchangeResource {
  return withDefined<GatewayExchangeResource>(
    {
      id: e.id,
      operation: e.operation,
      url: e.url,
      durationMs: e.durationMs,
      startedAt: e.startedAt,
      request: e.request,
    },
    { httpStatus: e.httpStatus, response: e.response, error: e.error },
  );
}
