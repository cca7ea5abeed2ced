// What merchants see of a subscription (API answers, event snapshots): its plan, charges, refunds and gateway
// exchanges.
import { Type, type Static } from '@sinclair/typebox';

/** How a plan repeats: every N days, or on a day of each month (the last day of shorter months). */
export const IntervalSchema = Type.Union(
  [
    Type.Object({ days: Type.Integer({ minimum: 1, maximum: 365 }) }, { additionalProperties: false }),
    Type.Object({ dayOfMonth: Type.Integer({ minimum: 1, maximum: 31 }) }, { additionalProperties: false }),
  ],
  { description: '{"days": 1..365} or {"dayOfMonth": 1..31}' },
);

const Optional = Type.Optional;
const Amount = Type.String({ description: "decimal string in the currency's units", examples: ['99.90'] });

/** A plan as the API shows it. */
export const PlanResource = Type.Object({
  amount: Amount,
  currency: Type.String(),
  interval: IntervalSchema,
  recurringCount: Type.Integer({ description: '0 = until cancelled' }),
  firstChargeDate: Type.String(),
  allowAccumulate: Type.Boolean(),
  maxAccumulateAmount: Amount,
});

/** One charge (first payment, recurring charge or dunning payment). */
export const ChargeResource = Type.Object({
  invoiceNo: Type.String(),
  kind: Type.String({ description: 'initial, recurring or dunning' }),
  sequence: Type.Union([Type.Integer(), Type.Null()]),
  amount: Amount,
  currency: Type.String(),
  status: Type.String({ description: 'succeeded, declined or pending' }),
  respCode: Type.String(),
  respDesc: Type.String(),
  tranRef: Optional(Type.String()),
  referenceNo: Optional(Type.String()),
  approvalCode: Optional(Type.String()),
  transactionAt: Optional(Type.String({ description: 'ISO 8601 instant at 2C2P' })),
  periodStart: Optional(Type.String()),
  periodEnd: Optional(Type.String()),
  source: Optional(Type.String({ description: 'notification or inquiry' })),
});

/** One refund and how far it has got. */
export const RefundResource = Type.Object({
  refundId: Type.String({ description: 'the idempotency id sent to 2C2P' }),
  invoiceNo: Type.String(),
  amount: Amount,
  currency: Type.String(),
  reason: Type.String(),
  status: Type.String({ description: 'requested, waiting_settlement, pending, succeeded or failed' }),
  respCode: Optional(Type.String()),
  respDesc: Optional(Type.String()),
  referenceNo: Optional(Type.String()),
  requestedAt: Type.String(),
});

/** A payment page the customer can pay on. */
export const PaymentLinkResource = Type.Object({
  invoiceNo: Type.String(),
  webPaymentUrl: Type.String(),
  paymentToken: Type.String(),
  amount: Amount,
  currency: Type.String(),
  expiresAt: Type.String(),
});

/** Why a subscription needs an operator: the 2C2P call the workflow could not act on, and its next attempt. */
export const AttentionResource = Type.Object({
  operation: Type.String({ description: 'what the workflow was doing, e.g. "Payment inquiry R…00003"' }),
  failureType: Type.String({ description: 'the failure type, e.g. ERR_GATEWAY_PROTOCOL' }),
  reason: Type.String(),
  since: Type.String({ description: 'ISO 8601 instant the problem was first seen' }),
  attempts: Type.Integer({ minimum: 0 }),
  nextAttemptAt: Type.String({ description: 'ISO 8601 instant of the next automatic attempt (POST …/retry: now)' }),
  resumeStatus: Type.String({ description: 'the status the subscription returns to once the call succeeds' }),
});

/** A subscription with its plan, charges and refunds. */
export const SubscriptionResource = Type.Object({
  subscriptionId: Type.String(),
  merchantId: Type.String(),
  customerId: Type.String(),
  status: Type.String({
    description:
      'pending_payment, active, past_due, needs_attention (see attention), or, ended: canceled, completed, incomplete, unpaid',
  }),
  plan: PlanResource,
  invoicePrefix: Type.String(),
  recurringUniqueID: Optional(Type.String()),
  customerToken: Optional(Type.String()),
  maskedCard: Optional(Type.String()),
  nextChargeDate: Optional(Type.String({ description: 'due date of the next charge; absent once ended' })),
  paymentUrl: Optional(Type.String({ description: 'the page the customer should pay on now, if any' })),
  checkout: Optional(PaymentLinkResource),
  pendingPaymentLink: Optional(PaymentLinkResource),
  charges: Type.Array(ChargeResource),
  refunds: Type.Array(RefundResource),
  endedReason: Optional(Type.String()),
  attention: Optional(AttentionResource),
  version: Type.Integer(),
  source: Type.String({ description: '"workflow" while it runs, "database" after it ended' }),
});

/** A row of GET /v1/subscriptions (from the database projection). */
export const SubscriptionSummary = Type.Object({
  subscriptionId: Type.String(),
  customerId: Type.String(),
  status: Type.String(),
  plan: PlanResource,
  nextChargeDate: Optional(Type.String()),
  paymentUrl: Optional(Type.String()),
  createdAt: Type.String(),
  closedAt: Optional(Type.String()),
});

/** One request/response with 2C2P, from the audit. */
export const GatewayExchangeResource = Type.Object({
  id: Type.Integer(),
  operation: Type.String(),
  url: Type.String(),
  httpStatus: Optional(Type.Integer()),
  durationMs: Type.Integer(),
  startedAt: Type.String(),
  request: Type.Unknown(),
  response: Optional(Type.Unknown()),
  error: Optional(Type.Unknown()),
});

export type PlanResource = Static<typeof PlanResource>;
export type ChargeResource = Static<typeof ChargeResource>;
export type RefundResource = Static<typeof RefundResource>;
export type AttentionResource = Static<typeof AttentionResource>;
export type PaymentLinkResource = Static<typeof PaymentLinkResource>;
export type SubscriptionResource = Static<typeof SubscriptionResource>;
export type SubscriptionSummary = Static<typeof SubscriptionSummary>;
export type GatewayExchangeResource = Static<typeof GatewayExchangeResource>;
