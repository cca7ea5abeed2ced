// The one function that changes a subscription's status. It never leaves a terminal status, refuses moves
// the lifecycle does not have, and an ending always carries its reason and stops the schedule.
import { log } from '@temporalio/workflow';
import type { SubscriptionStatus } from './definitions.js';
import { isTerminal, type SubscriptionState } from './subscription-state.js';

type BillingStatus = Exclude<SubscriptionStatus, 'needs_attention'>;

const NEXT: Record<BillingStatus, readonly BillingStatus[]> = {
  pending_payment: ['active', 'incomplete', 'canceled'],
  active: ['past_due', 'canceled', 'completed', 'unpaid'],
  past_due: ['active', 'canceled', 'completed', 'unpaid'],
  canceled: [],
  completed: [],
  incomplete: [],
  unpaid: [],
};

/**
 * Moves the subscription to `to`. Returns false, changing nothing, when the move is not allowed: in
 * particular once the subscription has ended, so a late step can never undo a cancel. `reason` is
 * required for an ending and kept as `endedReason`.
 */
export function transition(state: SubscriptionState, to: BillingStatus, reason?: string): boolean {
  const from = state.status as BillingStatus;
  if (from === to) return true;
  if (!NEXT[from]?.includes(to)) {
    if (!isTerminal(from)) log.error('refused status change', { from, to, reason });
    return false;
  }
  state.status = to;
  if (isTerminal(to)) {
    state.endedReason = reason ?? to;
    state.nextChargeDate = undefined;
    state.pendingPaymentLink = undefined;
  }
  return true;
}
