// Starts a subscription's workflow and returns its payment page, in one update-with-start call.
import {
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import {
  checkoutUpdate,
  CustomerIdAttribute,
  MerchantIdAttribute,
  SubscriptionStatusAttribute,
  subscriptionWorkflowId,
  TERMINAL_STATUSES,
  type CheckoutResult,
  type SubscriptionInput,
  type SubscriptionStatus,
} from '../../workflows/definitions.js';
import { decimalOf } from '../money-fields.js';
import { ProblemError } from '../problem.js';
import { assertSameRequest } from './subscription-reuse.js';

/** The workflow type the worker registers (started by name: the API never imports workflow code). */
export const SUBSCRIPTION_WORKFLOW_TYPE = 'subscriptionWorkflow';

const ended = () =>
  new ProblemError({ kind: 'already-exists', detail: 'a subscription with this id already exists and has ended' });

/**
 * Starts the workflow (or reuses the running one with the same id) and waits for its payment page. A first
 * try with conflict policy FAIL starts new subscriptions; then USE_EXISTING makes a repeated start return the
 * first page; REJECT_DUPLICATE keeps an ended subscription's id from being reused for a second plan. A
 * request that differs from the one that started the workflow gets 409 naming the first field that differs,
 * whatever state the subscription is in.
 * `stored` is the merchant's projection row with this id, if any.
 */
export async function startSubscription(
  temporal: Client,
  taskQueue: string,
  input: SubscriptionInput,
  stored?: { status: SubscriptionStatus },
): Promise<CheckoutResult> {
  if (stored && TERMINAL_STATUSES.includes(stored.status)) {
    // Ended: once Temporal has dropped the closed run, REJECT_DUPLICATE no longer guards the id; the row does.
    await assertSameRequest(temporal, input);
    throw ended();
  }
  const operation = (conflict: 'FAIL' | 'USE_EXISTING') =>
    new WithStartWorkflowOperation(SUBSCRIPTION_WORKFLOW_TYPE, {
      workflowId: subscriptionWorkflowId(input.merchantId, input.subscriptionId),
      taskQueue,
      args: [input],
      workflowIdConflictPolicy: conflict,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: MerchantIdAttribute, value: input.merchantId },
        { key: CustomerIdAttribute, value: input.customerId },
        { key: SubscriptionStatusAttribute, value: 'pending_payment' },
      ],
      staticSummary: `${input.customerId}: ${decimalOf(input.plan.amountMinor, input.plan.currency)} ${input.plan.currency}, ${input.description}`,
      staticDetails: planDetails(input),
    });
  // Most checkouts are new: a start that fails on any existing workflow proves this request started this one,
  // so the page is its own and no check is needed.
  try {
    return await temporal.workflow.executeUpdateWithStart(checkoutUpdate, {
      startWorkflowOperation: operation('FAIL'),
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  let checkout: CheckoutResult;
  try {
    checkout = await temporal.workflow.executeUpdateWithStart(checkoutUpdate, {
      startWorkflowOperation: operation('USE_EXISTING'),
    });
  } catch (error) {
    // The ended or failing workflow may be another request's: then the answer is that this one differs.
    if (error instanceof WorkflowExecutionAlreadyStartedError || error instanceof WorkflowUpdateFailedError)
      await assertSameRequest(temporal, input);
    throw error;
  }
  // USE_EXISTING attaches to whichever request started the workflow first, even one racing this one, so the
  // check comes after the start: the page is this request's answer only if the workflow runs this request.
  await assertSameRequest(temporal, input);
  return checkout;
}

/** The run's fixed details in the Temporal UI (markdown): whose subscription it is and the plan it started with. */
function planDetails(input: SubscriptionInput): string {
  const { plan } = input;
  const every =
    plan.interval.kind === 'days' ? `every ${plan.interval.days} day(s)` : `monthly on day ${plan.interval.day}`;
  const count = plan.recurringCount === 0 ? 'until cancelled' : `${plan.recurringCount} recurring charge(s)`;
  return [
    `merchant **${input.merchantId}** · subscription **${input.subscriptionId}** · customer ${input.customerId}`,
    `${decimalOf(plan.amountMinor, plan.currency)} ${plan.currency} ${every}, first recurring charge ${plan.firstChargeDate}, ${count}`,
  ].join('\n\n');
}
