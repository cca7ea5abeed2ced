// Compares a subscription's status and amount with its recurring plan at 2C2P (RPP inquiry).
import type { SubscriptionRow } from '../db/index.js';
import { TERMINAL_STATUSES, type SubscriptionStatus } from '../workflows/definitions.js';
import type { Disagreement, PlanAnswer } from './disagreement.js';

/** Statuses whose plan 2C2P must still be charging. */
const LIVE: readonly SubscriptionStatus[] = ['active', 'past_due'];

/** The status that decides what the plan should be: a subscription waiting on an operator resumes its own. */
function expectedStatus(s: Pick<SubscriptionRow, 'status' | 'attention'>): SubscriptionStatus {
  return s.status === 'needs_attention' ? (s.attention?.resumeStatus ?? s.status) : s.status;
}

/** The plan disagreements of one subscription (none when it has no plan at 2C2P yet). */
export function comparePlan(
  s: Pick<SubscriptionRow, 'id' | 'status' | 'attention' | 'amountMinor' | 'currency' | 'recurringUniqueId'>,
  answer: PlanAnswer | undefined,
): Disagreement[] {
  if (s.recurringUniqueId === null || answer === undefined) return [];
  const status = expectedStatus(s);
  const ended = TERMINAL_STATUSES.includes(status);
  const live = LIVE.includes(status);
  const plan = `plan ${s.recurringUniqueId}`;
  const one = (kind: Disagreement['kind'], detail: string): Disagreement[] => [
    { kind, subscriptionId: s.id, detail, repair: null },
  ];
  if ('error' in answer) return one('inquiry_failed', `RPP inquiry of ${plan} failed: ${answer.error}`);
  if (!answer.found) {
    // An ended subscription needs a plan that charges no more; one 2C2P no longer knows charges nothing.
    return live ? one('plan_missing_at_gateway', `${status}, but 2C2P knows no ${plan} (${answer.respCode})`) : [];
  }
  if (ended && answer.enabled) return one('plan_status_mismatch', `${status}, but 2C2P still has ${plan} enabled`);
  if (!live) return [];
  if (!answer.enabled) return one('plan_status_mismatch', `${status}, but 2C2P has ${plan} disabled`);
  const otherCurrency = answer.currency !== undefined && answer.currency !== s.currency;
  if (otherCurrency || (answer.amountMinor !== undefined && answer.amountMinor !== s.amountMinor)) {
    return one(
      'plan_amount_mismatch',
      `recorded ${s.amountMinor} minor ${s.currency}, 2C2P's ${plan} charges ${answer.amountMinor ?? '?'} minor ${answer.currency ?? ''}`.trim(),
    );
  }
  return [];
}
