// The activity interface of the webhook delivery workflow. Workflows import these types only;
// src/activities/webhook-activities.ts implements them.

/** Which delivery an activity works on: the workflow that follows it, and what it delivers where. */
export interface DeliveryRef {
  workflowId: string;
  merchantId: string;
  endpointId: string;
  eventId: string;
}

/** What one POST came to: a 2xx, a failure worth retrying, or nothing left to deliver to (endpoint gone or disabled). */
export type AttemptResult = 'succeeded' | 'failed' | 'canceled';

export interface WebhookActivities {
  /** POSTs the signed event to the endpoint once and records the attempt. */
  attemptWebhookDelivery(request: DeliveryRef & { attempt: number }): Promise<AttemptResult>;
  /**
   * Records the delivery's end. A failed one (every attempt for the whole window) disables the endpoint, with a
   * webhook_endpoint.disabled event, when no delivery to it has succeeded since this one began.
   */
  concludeWebhookDelivery(
    request: DeliveryRef & { status: 'succeeded' | 'failed' | 'canceled' },
  ): Promise<{ endpointDisabled: boolean }>;
}
