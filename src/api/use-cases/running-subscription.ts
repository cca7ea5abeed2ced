// Finds a subscription whose workflow can still take an update, or says why not (404 / 409).
import type { Client, WorkflowHandle } from '@temporalio/client';
import type pg from 'pg';
import { TERMINAL_STATUSES, type SubscriptionView } from '../../workflows/definitions.js';
import { ProblemError, subscriptionNotFound } from '../problem.js';
import { runningView, storedSubscription, subscriptionHandle } from './read-subscription.js';

/** Which subscription an Update is for, and the Update's id when the request carries an Idempotency-Key. */
export interface UpdateTarget {
  merchantId: string;
  subscriptionId: string;
  updateId?: string;
}

/** A running subscription's handle and current state. */
export interface RunningSubscription {
  handle: WorkflowHandle;
  view: SubscriptionView;
}

/**
 * The merchant's running subscription. 404 when it has none with this id; 409 when it has ended, or
 * (with `requireOpen`) when it is already in a terminal status while finishing its refunds.
 */
export async function runningSubscription(
  deps: { temporal: Client; pool: pg.Pool },
  merchantId: string,
  subscriptionId: string,
  options: { requireOpen?: boolean } = {},
): Promise<RunningSubscription> {
  const handle = subscriptionHandle(deps.temporal, merchantId, subscriptionId);
  const view = await runningView(handle);
  if (!view) {
    const row = await storedSubscription(deps.pool, merchantId, subscriptionId);
    if (!row) throw subscriptionNotFound(subscriptionId);
    throw new ProblemError({
      kind: 'state-conflict',
      detail: `the subscription has ended (${row.status})`,
      extensions: { subscriptionStatus: row.status },
    });
  }
  if (options.requireOpen && TERMINAL_STATUSES.includes(view.status)) {
    throw new ProblemError({
      kind: 'state-conflict',
      detail: `the subscription is already ${view.status}`,
      extensions: { subscriptionStatus: view.status },
    });
  }
  return { handle, view };
}
