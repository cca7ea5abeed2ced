// Sends the repairs through Temporal with the workflow's existing messages: `paymentNotification` carrying
// what Payment Inquiry returned, or `retry` for calls waiting on attention. Nothing here calls 2C2P.
import { WorkflowUpdateStage, type Client } from '@temporalio/client';
import {
  paymentNotificationSignal,
  retryUpdate,
  subscriptionWorkflowId,
  type PaymentNotification,
} from '../workflows/definitions.js';

/** A repair to send to one subscription's workflow. */
export type RepairMessage = { action: 'signal'; notification: PaymentNotification } | { action: 'retry' };

/** Sends `message`; resolves to undefined once Temporal has it, or to why it could not be delivered. */
export async function sendRepair(
  client: Client,
  merchantId: string,
  subscriptionId: string,
  message: RepairMessage,
): Promise<string | undefined> {
  const handle = client.workflow.getHandle(subscriptionWorkflowId(merchantId, subscriptionId));
  try {
    if (message.action === 'signal') {
      await handle.signal(paymentNotificationSignal, message.notification);
    } else {
      // Accepted is enough: the retry's answer waits up to a minute for the attempts it starts.
      await handle.startUpdate(retryUpdate, { args: [{}], waitForStage: WorkflowUpdateStage.ACCEPTED });
    }
    return undefined;
  } catch (error) {
    return `${message.action === 'signal' ? 'paymentNotification' : 'retry'} not delivered: ${(error as Error).message}`;
  }
}
