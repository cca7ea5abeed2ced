// The body of POST /v1/subscriptions and its 201 answer.
import { Type, type Static } from '@sinclair/typebox';
import { CalendarDateText, CurrencyCode, DecimalAmount, RefundPolicySchema, SubscriptionIdText } from './common.js';
import { IntervalSchema } from '../../resources/subscription-resource.js';

const HttpUrl = (description: string) => Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 500, description });

/** The plan a subscription is created with. */
export const PlanInputSchema = Type.Object(
  {
    amount: DecimalAmount('Amount of each recurring charge (and of the first payment)'),
    currency: CurrencyCode,
    interval: IntervalSchema,
    recurringCount: Type.Integer({
      minimum: 0,
      maximum: 9999,
      description: 'recurring charges after the first payment; 0 = until cancelled',
    }),
    firstChargeDate: CalendarDateText('Due date of the first recurring charge, after today'),
    allowAccumulate: Type.Optional(
      Type.Boolean({ description: 'let 2C2P add a failed charge to the next one (default false)' }),
    ),
    maxAccumulateAmount: Type.Optional(
      DecimalAmount('Most that may accumulate; required when allowAccumulate is true'),
    ),
  },
  { additionalProperties: false },
);

/** Dunning: how long a customer has to pay a failed charge, and how many reminders they get. */
export const DunningInputSchema = Type.Object(
  {
    windowDays: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 60,
        description:
          'shorter than the shortest billing period; default 7, or one day less than the shortest period (6 for a weekly plan)',
      }),
    ),
    reminders: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 10, description: 'at most windowDays; default 2, or windowDays if fewer' }),
    ),
  },
  { additionalProperties: false },
);

/** POST /v1/subscriptions. The merchant is the API key's, never a body field. */
export const CreateSubscriptionBody = Type.Object(
  {
    subscriptionId: Type.Optional(SubscriptionIdText),
    customerId: Type.String({ minLength: 1, maxLength: 64 }),
    description: Type.String({ minLength: 1, maxLength: 250, description: 'shown on the payment page' }),
    customerTokens: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
        maxItems: 20,
        description: 'stored 2C2P customer tokens to offer',
      }),
    ),
    plan: PlanInputSchema,
    dunning: Type.Optional(DunningInputSchema),
    refundPolicy: Type.Optional(RefundPolicySchema('refund made by a cancel that names no policy (default none)')),
    backendReturnUrl: Type.Optional(HttpUrl("where 2C2P notifies; defaults to this API's /v1/2c2p/notifications")),
    frontendReturnUrl: Type.Optional(HttpUrl('where the payment page sends the customer afterwards')),
  },
  { additionalProperties: false },
);
export type CreateSubscriptionBody = Static<typeof CreateSubscriptionBody>;

/** The payment page of a new (or the same, when repeated) subscription. */
export const CheckoutSchema = Type.Object({
  subscriptionId: Type.String(),
  status: Type.String(),
  webPaymentUrl: Type.String(),
  paymentToken: Type.String(),
  expiresAt: Type.String(),
});
