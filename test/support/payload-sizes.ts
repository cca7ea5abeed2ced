// Measures what a subscription workflow carries: every run's history length, the largest activity input
// and the state passed to continue-as-new, in bytes of their payloads as Temporal stores them.
import type { Client } from '@temporalio/client';

export interface PayloadSizes {
  runs: number;
  eventsPerRun: number[];
  /** Largest input of any scheduled activity, and the activity it was. */
  maxActivityInputBytes: number;
  maxActivityType: string;
  /** Largest continue-as-new input (the carried state), 0 when the workflow never continued. */
  maxCarriedStateBytes: number;
}

const payloadBytes = (payloads: Array<{ data?: Uint8Array | null }> | null | undefined) =>
  (payloads ?? []).reduce((sum, p) => sum + (p.data?.length ?? 0), 0);

/** Walks every run of `workflowId`, newest first back to the first, and sums up its payload sizes. */
export async function measurePayloads(client: Client, workflowId: string): Promise<PayloadSizes> {
  const sizes: PayloadSizes = {
    runs: 0,
    eventsPerRun: [],
    maxActivityInputBytes: 0,
    maxActivityType: '',
    maxCarriedStateBytes: 0,
  };
  let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).runId;
  while (runId) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    sizes.runs += 1;
    sizes.eventsPerRun.unshift(events.length);
    let previous: string | undefined;
    for (const event of events) {
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled) {
        const bytes = payloadBytes(scheduled.input?.payloads);
        if (bytes > sizes.maxActivityInputBytes) {
          sizes.maxActivityInputBytes = bytes;
          sizes.maxActivityType = scheduled.activityType?.name ?? '';
        }
      }
      const continued = event.workflowExecutionContinuedAsNewEventAttributes;
      if (continued)
        sizes.maxCarriedStateBytes = Math.max(sizes.maxCarriedStateBytes, payloadBytes(continued.input?.payloads));
      const started = event.workflowExecutionStartedEventAttributes;
      if (started?.continuedExecutionRunId) previous = started.continuedExecutionRunId;
    }
    runId = previous;
  }
  return sizes;
}
