// The webhook delivery workflow's public surface: its name and ids. Imported by the workflow, the dispatcher
// and the API; no logic that touches I/O.
import type { DeliveryRef } from '../activities/webhook-types.js';

export type { DeliveryRef };

/** The workflow type the dispatcher and the API start. */
export const WEBHOOK_DELIVERY_WORKFLOW = 'webhookDeliveryWorkflow';

/** How a delivery ended: delivered, given up after the window, or nothing left to deliver to. */
export type DeliveryOutcome = 'succeeded' | 'failed' | 'canceled';

/**
 * The delivery workflow's id: one per endpoint and event, so a dispatcher that retries never starts a second
 * one; a redelivery adds its own suffix.
 */
export function webhookDeliveryWorkflowId(endpointId: string, eventId: string, redelivery?: string): string {
  const id = `webhook-delivery/${endpointId}/${eventId}`;
  return redelivery ? `${id}/${redelivery}` : id;
}
