// Reads one subscription: the workflow's state while it runs, the database projection once it has ended.
import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import type pg from 'pg';
import { getSubscription, listCharges, listRefunds, type SubscriptionRow } from '../../db/index.js';
import { stateQuery, subscriptionWorkflowId, type SubscriptionView } from '../../workflows/definitions.js';
import { presentRow, presentView } from '../../resources/presenters.js';
import { subscriptionNotFound } from '../problem.js';
import type { SubscriptionResource } from '../../resources/subscription-resource.js';

/** The subscription's workflow handle; the id embeds the merchant, so another merchant's id finds nothing. */
export function subscriptionHandle(temporal: Client, merchantId: string, subscriptionId: string): WorkflowHandle {
  return temporal.workflow.getHandle(subscriptionWorkflowId(merchantId, subscriptionId));
}

/** The running workflow's state, or undefined when the workflow is unknown or has closed. */
export async function runningView(handle: WorkflowHandle): Promise<SubscriptionView | undefined> {
  try {
    const description = await handle.describe();
    if (description.status.name !== 'RUNNING') return undefined;
    return await handle.query(stateQuery);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}

/** The merchant's stored subscription, or undefined. */
export async function storedSubscription(
  pool: pg.Pool,
  merchantId: string,
  subscriptionId: string,
): Promise<SubscriptionRow | undefined> {
  return getSubscription(pool, subscriptionId, merchantId);
}

/** The subscription as the API shows it; 404 when the merchant has no such subscription. */
export async function readSubscription(
  deps: { temporal: Client; pool: pg.Pool },
  merchantId: string,
  subscriptionId: string,
): Promise<SubscriptionResource> {
  const view = await runningView(subscriptionHandle(deps.temporal, merchantId, subscriptionId));
  if (view) return presentView(view);
  const row = await storedSubscription(deps.pool, merchantId, subscriptionId);
  if (!row) throw subscriptionNotFound(subscriptionId);
  const [charges, refunds] = await Promise.all([listCharges(deps.pool, row.id), listRefunds(deps.pool, row.id)]);
  // Ids are global, but a row of another merchant must never show even if one were misfiled.
  return presentRow(
    row,
    charges.filter((c) => c.merchantId === merchantId),
    refunds.filter((r) => r.merchantId === merchantId),
  );
}
