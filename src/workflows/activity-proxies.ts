// Activity stubs, each narrowed to its own kind of call with that kind's retry policy, and a one-line
// summary for the Temporal UI. A database write never runs under the gateway's policy, nor the reverse.
// Database writes and the checkout's payment token run as local activities (see lean-history.ts): the
// worker runs them inside the workflow task, so each costs one marker event and no task round trip.
import { patched, proxyActivities, proxyLocalActivities, type ActivityOptions } from '@temporalio/workflow';
import type { Mutex } from 'async-mutex';
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

/** The patch after which a run's local activities go one at a time (see `oneAtATime`). */
export const SERIAL_LOCAL_ACTIVITIES_PATCH = 'local-activities-one-at-a-time';

/** Where a run's local activities wait their turn. */
export interface LocalActivityLane {
  readonly localActivities: Mutex;
}

/**
 * A run's local activities, one in flight at a time. Two at once can finish in either order, and the
 * coroutines awaiting them resume in that order; a replay resolves them in another, so the commands that follow
 * take other sequence numbers: a nondeterminism error, and a run stuck until an operator resets it. (Chaos run,
 * seed 61206: a prorated downgrade's refund record and its projection write, a second plan change waiting on the
 * lock.) One at a time, they finish in the order they were scheduled, live and on replay.
 */
function oneAtATime<T extends object>(lane: LocalActivityLane, activities: T): T {
  if (!patched(SERIAL_LOCAL_ACTIVITIES_PATCH)) return activities;
  return new Proxy(activities, {
    get(target, name) {
      const call = Reflect.get(target, name) as (...args: unknown[]) => Promise<unknown>;
      return (...args: unknown[]) => lane.localActivities.runExclusive(() => call(...args));
    },
  });
}

/** Gateway activities, labelled for the operator. */
export function gateway(summary: string): GatewayActivities {
  return proxyActivities<GatewayActivities>({ ...GATEWAY, summary });
}

/**
 * The payment token a checkout waits on, under the gateway's policy. As a local activity the answer to
 * update-with-start costs one workflow task; a retry resends the same invoice number, which 2C2P keys on.
 */
export function checkoutGateway(lane: LocalActivityLane, summary: string): GatewayActivities {
  if (!leanHistory()) return gateway(summary);
  return oneAtATime(lane, proxyLocalActivities<GatewayActivities>({ ...GATEWAY, summary }));
}

/** Gateway activities for update handlers, with bounded retries. */
export function gatewayForCaller(summary: string): GatewayActivities {
  return proxyActivities<GatewayActivities>({ ...GATEWAY_FOR_CALLER, summary });
}

/** Ledger (PostgreSQL projection) activities, labelled for the operator. */
export function ledger(lane: LocalActivityLane, summary: string): LedgerActivities {
  if (leanHistory()) return oneAtATime(lane, proxyLocalActivities<LedgerActivities>({ ...LEDGER, summary }));
  return proxyActivities<LedgerActivities>({ ...LEDGER, summary });
}
