// What every part of a running subscription workflow shares: its input, state and timings.
import type { SubscriptionInput, SubscriptionTimings } from '../definitions.js';
import type { SubscriptionState } from './subscription-state.js';

export interface SubscriptionContext {
  readonly input: SubscriptionInput;
  readonly state: SubscriptionState;
  readonly timings: SubscriptionTimings;
  /** Refunds whose processing is running in this run (continue-as-new waits for none). */
  refundsInFlight: number;
}
