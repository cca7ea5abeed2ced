// Starts the delivery of one event to one endpoint: the delivery's row and its workflow, both idempotent on the
// workflow id. Used by the worker's dispatcher and by the API's redeliver route.
import { randomBytes } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { createDelivery, type DeliveryRow, type Queryable } from '../db/index.js';
import {
  WEBHOOK_DELIVERY_WORKFLOW,
  webhookDeliveryWorkflowId,
  type DeliveryRef,
} from '../workflows/webhook-definitions.js';

export interface DeliveryTarget {
  merchantId: string;
  endpointId: string;
  eventId: string;
  /** A fresh delivery (POST /v1/events/{id}/redeliver) instead of the event's first one to this endpoint. */
  redelivery?: boolean;
}

/**
 * Records the delivery and starts its workflow on `taskQueue`. A workflow already started under the same id (a
 * dispatcher retried after a crash) is left alone, so an event goes out once per endpoint however often this runs.
 */
export async function startDelivery(
  client: Client,
  db: Queryable,
  taskQueue: string,
  target: DeliveryTarget,
): Promise<DeliveryRow> {
  const suffix = target.redelivery ? `r-${randomBytes(6).toString('hex')}` : undefined;
  const workflowId = webhookDeliveryWorkflowId(target.endpointId, target.eventId, suffix);
  const { merchantId, endpointId, eventId } = target;
  const ref: DeliveryRef = { workflowId, merchantId, endpointId, eventId };
  const delivery = await createDelivery(db, ref);
  try {
    await client.workflow.start(WEBHOOK_DELIVERY_WORKFLOW, {
      workflowId,
      taskQueue,
      args: [ref],
      staticSummary: `deliver ${target.eventId} to ${target.endpointId}`,
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  return delivery;
}
