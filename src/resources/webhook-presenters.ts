// Shapes stored events, webhook endpoints and deliveries into the resources merchants see.
import type { AttemptRow, DeliveryRow, EndpointRow, EventRow } from '../db/index.js';
import type { EventResource, WebhookDeliveryResource, WebhookEndpointResource } from './event-resources.js';

/** An event, as listed and as POSTed to endpoints. */
export function presentEvent(e: EventRow): EventResource {
  return {
    id: e.id,
    type: e.type,
    createdAt: e.createdAt,
    merchantId: e.merchantId,
    subscriptionId: e.subscriptionId,
    data: e.data,
  };
}

/** An endpoint without its secrets. */
export function presentEndpoint(e: EndpointRow): WebhookEndpointResource {
  return {
    id: e.id,
    url: e.url,
    ...(e.description !== null ? { description: e.description } : {}),
    enabledEvents: e.enabledEvents,
    status: e.status,
    ...(e.disabledReason !== null ? { disabledReason: e.disabledReason } : {}),
    ...(e.previousSecretExpiresAt !== null ? { previousSecretExpiresAt: e.previousSecretExpiresAt } : {}),
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

/** A delivery and its attempts, oldest attempt first. */
export function presentDelivery(d: DeliveryRow & { attemptLog: AttemptRow[] }): WebhookDeliveryResource {
  return {
    id: d.id,
    endpointId: d.endpointId,
    eventId: d.eventId,
    status: d.status,
    attempts: d.attemptLog.map((a) => ({
      attempt: a.attempt,
      succeeded: a.succeeded,
      ...(a.statusCode !== null ? { statusCode: a.statusCode } : {}),
      durationMs: a.durationMs,
      ...(a.responseExcerpt !== null ? { responseExcerpt: a.responseExcerpt } : {}),
      ...(a.error !== null ? { error: a.error } : {}),
      attemptedAt: a.attemptedAt,
    })),
    createdAt: d.createdAt,
    ...(d.completedAt !== null ? { completedAt: d.completedAt } : {}),
  };
}
