// What every part of a running subscription workflow shares: input, state, timings, and the lock that
// serializes the handlers that await (and the loop's own writes) so none acts on a value another changed.
import type { Mutex } from 'async-mutex';
import type { SubscriptionInput, SubscriptionTimings } from './definitions.js';
import type { SubscriptionState } from './subscription-state.js';

export interface SubscriptionContext {
  readonly input: SubscriptionInput;
  readonly state: SubscriptionState;
  readonly timings: SubscriptionTimings;
  readonly lock: Mutex;
  /** The run's local activities, one in flight at a time (activity-proxies.ts: oneAtATime). */
  readonly localActivities: Mutex;
  /** Refunds being processed in this run (the run ends, or continues as new, only once none is). */
  refundsInFlight: number;
  /** Bumped by the operator's `retry` update: every call waiting after a failure tries again now. */
  retryRequests: number;
}
