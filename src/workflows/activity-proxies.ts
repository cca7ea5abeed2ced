// Activity stubs, each narrowed to its own kind of call with that kind's retry policy, and a one-line
// summary for the Temporal UI. A database write never runs under the gateway's policy, nor the reverse.
// Database writes and the checkout's payment token run as local activities (see lean-history.ts): the
// worker runs them inside the workflow task, so each costs one marker event and no task round trip.
import { proxyActivities, proxyLocalActivities, type ActivityOptions } from '@temporalio/workflow';
import type { GatewayActivities, LedgerActivities } from '../activities/types.js';
import { leanHistory } from './lean-history.js';

export type { GatewayActivities, LedgerActivities };

/**
 * Gateway calls: transport faults and transient codes retry with backoff (the activity marks final
 * codes and protocol failures non-retryable). Every call is idempotent at 2C2P (inquiries, fixed invoice
 * numbers, refund idempotencyID), so a retry after a lost answer cannot charge or refund twice.
 */
const GATEWAY: ActivityOptions = {
  startToCloseTimeout: '45 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
};

/** Calls made while a caller waits on an update: bounded, so the caller hears back. */
const GATEWAY_FOR_CALLER: ActivityOptions = {
  startToCloseTimeout: '45 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 5 },
};

/** Database writes: retried until PostgreSQL answers; each write is idempotent. */
const LEDGER: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/** Gateway activities, labelled for the operator. */
export function gateway(summary: string): GatewayActivities {
  return proxyActivities<GatewayActivities>({ ...GATEWAY, summary });
}

/**
 * The payment token a checkout waits on, under the gateway's policy. As a local activity the answer to
 * update-with-start costs one workflow task; a retry resends the same invoice number, which 2C2P keys on.
 */
export function checkoutGateway(summary: string): GatewayActivities {
  if (!leanHistory()) return gateway(summary);
  return proxyLocalActivities<GatewayActivities>({ ...GATEWAY, summary });
}

/** Gateway activities for update handlers, with bounded retries. */
export function gatewayForCaller(summary: string): GatewayActivities {
  return proxyActivities<GatewayActivities>({ ...GATEWAY_FOR_CALLER, summary });
}

/** Ledger (PostgreSQL projection) activities, labelled for the operator. */
export function ledger(summary: string): LedgerActivities {
  if (leanHistory()) return proxyLocalActivities<LedgerActivities>({ ...LEDGER, summary });
  return proxyActivities<LedgerActivities>({ ...LEDGER, summary });
}
