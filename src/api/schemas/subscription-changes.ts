// Bodies and answers of PATCH /v1/subscriptions/{id}, /cancel, /refunds and /retry.
import { Type, type Static } from '@sinclair/typebox';
import { IntervalSchema, PlanResource, RefundResource } from '../../resources/subscription-resource.js';
import { DecimalAmount, RefundPolicySchema } from './common.js';

/** A plan change; only the given fields change (amounts in the subscription's currency). */
export const PlanChangeBody = Type.Object(
  {
    amount: Type.Optional(DecimalAmount('New amount of each recurring charge')),
    interval: Type.Optional(IntervalSchema),
    recurringCount: Type.Optional(Type.Integer({ minimum: 0, maximum: 9999, description: '0 = until cancelled' })),
    allowAccumulate: Type.Optional(Type.Boolean()),
    maxAccumulateAmount: Type.Optional(DecimalAmount('Most that may accumulate')),
    prorate: Type.Optional(
      Type.Boolean({ description: 'refund the unused part of the current period when the amount goes down' }),
    ),
  },
  { additionalProperties: false },
);
export type PlanChangeBody = Static<typeof PlanChangeBody>;

/** The plan in force after a change, and the refund a prorated downgrade started. */
export const PlanChangeAnswer = Type.Object({
  subscriptionId: Type.String(),
  plan: PlanResource,
  nextChargeDate: Type.Optional(Type.String()),
  refund: Type.Optional(RefundResource),
});

/** How to cancel: which refund, if any, goes with it. */
export const CancelBody = Type.Object(
  {
    refundPolicy: Type.Optional(
      RefundPolicySchema("none, prorated or full_last_charge; default: the subscription's refundPolicy"),
    ),
  },
  { additionalProperties: false },
);
export type CancelBody = Static<typeof CancelBody>;

/** The status after cancelling, and the refund it started. */
export const CancelAnswer = Type.Object({
  subscriptionId: Type.String(),
  status: Type.String(),
  refund: Type.Optional(RefundResource),
});

/** A refund of one charge. */
export const RefundBody = Type.Object(
  {
    invoiceNo: Type.String({ minLength: 1, maxLength: 50, description: 'the charge to refund' }),
    amount: Type.Optional(DecimalAmount('Amount to refund; everything still refundable on the charge when absent')),
  },
  { additionalProperties: false },
);
export type RefundBody = Static<typeof RefundBody>;

/** A retry names nothing: the workflow knows which call awaits it. */
export const RetryBody = Type.Object({}, { additionalProperties: false });
export type RetryBody = Static<typeof RetryBody>;

/** The status after the retry: the one it returned to, or still needs_attention if 2C2P still cannot be acted on. */
export const RetryAnswer = Type.Object({
  subscriptionId: Type.String(),
  status: Type.String(),
});
