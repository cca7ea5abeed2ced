// Schema pieces every route shares: amounts, dates, intervals, ids and the problem document.
import { Type, type TSchema } from '@sinclair/typebox';

/** A decimal amount as text; its precision, sign and size are checked against the currency (422). */
export const DecimalAmount = (description: string) =>
  Type.String({
    minLength: 1,
    maxLength: 32,
    description: `${description}, as a decimal string in the currency's units`,
    examples: ['99.90'],
  });

/** An ISO 4217 alphabetic currency code; unknown codes and three-decimal currencies are refused with 422. */
export const CurrencyCode = Type.String({
  minLength: 1,
  maxLength: 8,
  description: 'ISO 4217 alphabetic code; currencies with three decimals (KWD, BHD) are refused',
  examples: ['SGD'],
});

/** A calendar date, YYYY-MM-DD (UTC). */
export const CalendarDateText = (description: string) =>
  Type.String({
    pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
    description: `${description} (YYYY-MM-DD, UTC)`,
    examples: ['2026-08-01'],
  });

/** A subscription id chosen by the merchant (or generated). */
export const SubscriptionIdText = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$',
  description: 'letters, digits, "_", "." and "-", at most 64',
  examples: ['sub_2026_0001'],
});

/** Path parameters of every /v1/subscriptions/{id} route. */
/** How a cancel refunds: nothing, the unused part of the current period, or the whole last charge. */
export const RefundPolicySchema = (description: string) =>
  Type.Union([Type.Literal('none'), Type.Literal('prorated'), Type.Literal('full_last_charge')], { description });

export const SubscriptionParams = Type.Object({ id: SubscriptionIdText });

/** RFC 9457 problem document. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'a URI reference naming the kind of problem, e.g. /problems/invalid-request' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), reason: Type.String() }))),
    gatewayCode: Type.Optional(Type.String({ description: "2C2P's response code, when 2C2P refused" })),
    gatewayReason: Type.Optional(Type.String({ description: "2C2P's response description, when 2C2P refused" })),
    subscriptionStatus: Type.Optional(Type.String({ description: 'the status that made the request conflict' })),
  },
  { description: 'RFC 9457 problem document (application/problem+json)' },
);

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

/** Response schemas of a route: its successes plus problem documents (application/problem+json) for 4xx and 5xx. */
export function responses(success: Record<number, TSchema>): Record<string, unknown> {
  return {
    ...success,
    '4xx': problemResponse('the request was refused'),
    '5xx': problemResponse('the request could not be completed'),
  };
}
