// Starts a subscription's workflow and returns its payment page, in one update-with-start call.
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import {
  checkoutUpdate,
  CustomerIdAttribute,
  MerchantIdAttribute,
  SubscriptionStatusAttribute,
  subscriptionWorkflowId,
  type CheckoutResult,
  type SubscriptionInput,
} from '../../workflows/definitions.js';
import { decimalOf } from '../money-fields.js';

/** The workflow type the worker registers (started by name: the API never imports workflow code). */
export const SUBSCRIPTION_WORKFLOW_TYPE = 'subscriptionWorkflow';

/**
 * Starts the workflow (or reuses the running one with the same id) and waits for its payment page.
 * USE_EXISTING makes a repeated start return the first page; REJECT_DUPLICATE keeps an ended
 * subscription's id from being reused for a second plan.
 */
export async function startSubscription(
  temporal: Client,
  taskQueue: string,
  input: SubscriptionInput,
): Promise<CheckoutResult> {
  const { plan } = input;
  const operation = new WithStartWorkflowOperation(SUBSCRIPTION_WORKFLOW_TYPE, {
    workflowId: subscriptionWorkflowId(input.merchantId, input.subscriptionId),
    taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    typedSearchAttributes: [
      { key: MerchantIdAttribute, value: input.merchantId },
      { key: CustomerIdAttribute, value: input.customerId },
      { key: SubscriptionStatusAttribute, value: 'pending_payment' },
    ],
    staticSummary: `${input.customerId}: ${decimalOf(plan.amountMinor, plan.currency)} ${plan.currency}, ${input.description}`,
  });
  return temporal.workflow.executeUpdateWithStart(checkoutUpdate, { startWorkflowOperation: operation });
}
