// The input a subscription's workflow was started with: the first event of its history, one small read.
import { isGrpcServiceError, type Client } from '@temporalio/client';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow/index.js';
import type { SubscriptionInput } from '../../workflows/definitions.js';

const NOT_FOUND = 5;

/**
 * The SubscriptionInput of the workflow's current run (continue-as-new passes the input on unchanged), or
 * undefined when no workflow has this id. It is exactly what the API sent when it started the workflow, and
 * neither a plan change nor the projection's timing changes it, which is why reuse checks and plan rules
 * read it rather than the subscriptions row.
 */
export async function startedInput(temporal: Client, workflowId: string): Promise<SubscriptionInput | undefined> {
  const { namespace, loadedDataConverter } = temporal.workflow.options;
  let response;
  try {
    response = await temporal.workflowService.getWorkflowExecutionHistory({
      namespace,
      execution: { workflowId },
      maximumPageSize: 1,
    });
  } catch (error) {
    if (isGrpcServiceError(error) && error.code === NOT_FOUND) return undefined;
    throw error;
  }
  const payloads = response.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads;
  if (!payloads?.length) return undefined;
  return decodeFromPayloadsAtIndex<SubscriptionInput>(loadedDataConverter, 0, payloads);
}
