// An operator's "retry now" for a subscription that needs attention: the workflow's `retry` Update.
import type { Client } from '@temporalio/client';
import type pg from 'pg';
import { stateQuery, type SubscriptionStatus } from '../../workflows/definitions.js';
import { runningSubscription, type UpdateTarget } from './running-subscription.js';

/** The Update's name in the workflow (called by name: its definition belongs to the workflow). */
export const RETRY_UPDATE = 'retry';

/**
 * Asks the workflow to retry the 2C2P call it could not act on, now rather than at its next slow attempt,
 * and answers the status it then has. The workflow refuses (InvalidState, 409) when nothing awaits a retry.
 */
export async function retrySubscription(
  deps: { temporal: Client; pool: pg.Pool },
  target: UpdateTarget,
): Promise<{ subscriptionId: string; status: SubscriptionStatus }> {
  const { handle } = await runningSubscription(deps, target.merchantId, target.subscriptionId, { requireOpen: true });
  const result = await handle.executeUpdate<unknown, [Record<string, never>]>(RETRY_UPDATE, {
    args: [{}],
    updateId: target.updateId,
  });
  const status = (result as { status?: unknown } | null)?.status;
  return {
    subscriptionId: target.subscriptionId,
    // The Update's own answer when it names the status; otherwise the state it left.
    status: typeof status === 'string' ? (status as SubscriptionStatus) : (await handle.query(stateQuery)).status,
  };
}
