// Finds and runs what falls due as sandbox time passes: token expiry, settlement and recurring charges.
import type { SandboxFaults } from './faults.js';
import type { OutgoingNotification } from './notifier.js';
import { chargePlan } from './recurring-charge.js';
import type { SandboxState } from './state.js';

/** The earliest time something is due, or undefined when nothing is scheduled. */
export function nextDueAt(state: SandboxState): Date | undefined {
  let next: number | undefined;
  const consider = (d: Date | undefined) => {
    if (d && (next === undefined || d.getTime() < next)) next = d.getTime();
  };
  for (const m of state.allMerchants()) {
    for (const token of m.tokens.values()) if (token.state === 'open') consider(token.expiresAt);
    for (const tx of m.transactions.values()) if (tx.status === 'A' || tx.status === 'RS') consider(tx.settleAt);
    for (const plan of m.plans.values()) if (plan.state === 'active') consider(plan.chargeNextDate);
  }
  return next === undefined ? undefined : new Date(next);
}

/** Runs everything due at or before `at` (expiries, then settlements, then charges) and returns the notifications. */
export function runDue(state: SandboxState, at: Date, faults: SandboxFaults): OutgoingNotification[] {
  const now = at.getTime();
  const out: OutgoingNotification[] = [];
  for (const m of state.allMerchants()) {
    for (const token of m.tokens.values()) {
      if (token.state === 'open' && token.expiresAt.getTime() <= now) token.state = 'expired';
    }
    for (const tx of m.transactions.values()) {
      if ((tx.status === 'A' || tx.status === 'RS') && tx.settleAt && tx.settleAt.getTime() <= now) {
        tx.status = 'S';
        tx.settledAt = tx.settleAt;
        tx.history.push({ status: 'S', at: tx.settleAt, amountMinor: tx.amount.minor });
      }
    }
    for (const plan of m.plans.values()) {
      if (plan.state === 'active' && plan.chargeNextDate.getTime() <= now) {
        out.push(chargePlan(state, m, plan, at, faults));
      }
    }
  }
  return out;
}
