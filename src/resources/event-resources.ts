// What merchants see of events, webhook endpoints and deliveries (API answers and webhook bodies).
import { Type, type Static } from '@sinclair/typebox';

/** An event: what changed, when, and a snapshot of the object. */
export const EventResource = Type.Object({
  id: Type.String({ description: '`evt_` + 24 hex digits; the same in every delivery of the event' }),
  type: Type.String({ description: 'e.g. subscription.activated, charge.failed (see the README table)' }),
  createdAt: Type.String({ description: 'ISO 8601 instant the change was recorded' }),
  merchantId: Type.String(),
  subscriptionId: Type.Union([Type.String(), Type.Null()]),
  data: Type.Unknown({ description: 'the object as the API shows it: a subscription, charge, refund or endpoint' }),
});

/** A webhook endpoint (never its secret). */
export const WebhookEndpointResource = Type.Object({
  id: Type.String(),
  url: Type.String(),
  description: Type.Optional(Type.String()),
  enabledEvents: Type.Array(Type.String(), { description: 'event types, or ["*"] for every type' }),
  status: Type.String({ description: 'enabled or disabled' }),
  disabledReason: Type.Optional(Type.String()),
  previousSecretExpiresAt: Type.Optional(
    Type.String({ description: 'until when the secret replaced by the last rotation still signs' }),
  ),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

/** An endpoint with its signing secret: the answer to creation and rotation only. */
export const WebhookEndpointWithSecret = Type.Intersect([
  WebhookEndpointResource,
  Type.Object({ secret: Type.String({ description: '`whsec_…`; shown this once' }) }),
]);

/** One POST of a delivery. */
export const WebhookAttemptResource = Type.Object({
  attempt: Type.Integer(),
  succeeded: Type.Boolean(),
  statusCode: Type.Optional(Type.Integer()),
  durationMs: Type.Integer(),
  responseExcerpt: Type.Optional(Type.String({ description: 'the first 1 KB of the response body' })),
  error: Type.Optional(Type.String()),
  attemptedAt: Type.String(),
});

/** One event sent to one endpoint, with every attempt. */
export const WebhookDeliveryResource = Type.Object({
  id: Type.String(),
  endpointId: Type.String(),
  eventId: Type.String(),
  status: Type.String({ description: 'pending, succeeded, failed (gave up) or canceled (endpoint disabled or gone)' }),
  attempts: Type.Array(WebhookAttemptResource),
  createdAt: Type.String(),
  completedAt: Type.Optional(Type.String()),
});

export type EventResource = Static<typeof EventResource>;
export type WebhookEndpointResource = Static<typeof WebhookEndpointResource>;
export type WebhookDeliveryResource = Static<typeof WebhookDeliveryResource>;
