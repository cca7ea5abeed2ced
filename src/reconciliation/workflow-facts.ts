// What a subscription's workflow says of itself, read through Temporal (describe + stateQuery, both
// read-only), or estimated from its PostgreSQL row when no Temporal client is given.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { ChargeRow, SubscriptionRow } from '../db/index.js';
import { stateQuery, subscriptionWorkflowId, TERMINAL_STATUSES } from '../workflows/definitions.js';
import type { WorkflowFacts } from './repair-plan.js';

/** A query waits for a worker to answer it; a stopped worker must not hang the whole reconciliation. */
const QUERY_TIMEOUT_MS = 15_000;

/** The facts from the workflow itself; `{ running: false }` when it has ended or never started. */
export async function workflowFacts(
  client: Client,
  merchantId: string,
  subscriptionId: string,
): Promise<WorkflowFacts> {
  const handle = client.workflow.getHandle(subscriptionWorkflowId(merchantId, subscriptionId));
  try {
    const description = await handle.describe();
    if (description.status.name !== 'RUNNING') return { running: false };
    const view = await client.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => handle.query(stateQuery));
    return {
      running: true,
      // Waiting on an operator, the workflow still follows what it was doing before (its resume status).
      status: view.status === 'needs_attention' ? (view.attention?.resumeStatus ?? view.status) : view.status,
      nextSequence: view.nextSequence,
      recordedInvoices: view.charges.map((c) => c.invoiceNo),
      attention: view.attention ? 1 : 0,
    };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return { running: false };
    throw error;
  }
}

/** The same facts as the projection shows them: good enough to say what `--repair` would do. */
export function factsFromRecord(s: SubscriptionRow, charges: readonly ChargeRow[]): WorkflowFacts {
  if (TERMINAL_STATUSES.includes(s.status)) return { running: false };
  const sequences = charges.filter((c) => c.kind === 'recurring').map((c) => c.sequence ?? 0);
  return {
    running: true,
    status: s.status === 'needs_attention' ? (s.attention?.resumeStatus ?? s.status) : s.status,
    nextSequence: Math.max(0, ...sequences) + 1,
    recordedInvoices: charges.map((c) => c.invoiceNo),
    attention: s.attention ? 1 : 0,
  };
}
