// Charges one cycle of a recurring plan: invoice prefix + 5-digit sequence, accumulation and plan ending.
import { money } from '../domain/money.js';
import type { SandboxFaults } from './faults.js';
import type { MerchantState, PlanRecord } from './model.js';
import { backendNotification } from './notification-payload.js';
import type { OutgoingNotification } from './notifier.js';
import { followingChargeDate } from './schedule-dates.js';
import type { SandboxState } from './state.js';
import type { RecurringInvoiceNumbering } from './types.js';
import { recordPayment } from './transactions.js';

/** The invoice number of a plan's n-th recurring charge, under the sandbox's numbering. */
export function cycleInvoiceNo(
  plan: PlanRecord,
  sequence: number,
  numbering: RecurringInvoiceNumbering = 'from-00001',
): string {
  if (numbering === 'sequence-only') return `RPP${plan.recurringUniqueID}C${String(sequence).padStart(4, '0')}`;
  const number = numbering === 'from-00000' ? sequence - 1 : sequence;
  return `${plan.invoicePrefix}${String(number).padStart(5, '0')}`;
}

/**
 * Charges the plan's next cycle at `at` with its stored card and returns the notification.
 * A declined charge adds its amount to the next one while the accumulated total stays within
 * maxAccumulateAmount; beyond that the plan terminates. Without allowAccumulate a declined cycle is skipped.
 */
export function chargePlan(
  state: SandboxState,
  m: MerchantState,
  plan: PlanRecord,
  at: Date,
  faults: SandboxFaults,
): OutgoingNotification {
  const sequence = plan.currentCount + 1;
  const invoiceNo = cycleInvoiceNo(plan, sequence, state.recurringInvoices);
  const amount = money(plan.amount.minor + plan.accumulatedMinor, plan.amount.currency);
  // An invoice number already used by the merchant would collide; 2C2P would refuse it as a duplicate.
  const respCode = m.transactions.has(invoiceNo)
    ? '9015'
    : (faults.takeChargeDecline(plan.recurringUniqueID, sequence) ?? '0000');
  const tx = recordPayment(state, m, {
    invoiceNo,
    amount,
    card: plan.card,
    respCode,
    at,
    customerToken: plan.customerToken,
    recurringUniqueID: plan.recurringUniqueID,
    recurringSequenceNo: sequence,
  });
  plan.currentCount = sequence;
  plan.history.push({
    status: respCode === '0000' ? 'charged' : `declined ${respCode}`,
    at,
    amountMinor: amount.minor,
  });
  if (respCode === '0000') {
    plan.accumulatedMinor = 0;
  } else if (plan.allowAccumulate) {
    plan.accumulatedMinor = amount.minor;
    if (plan.accumulatedMinor > plan.maxAccumulate.minor) endPlan(plan, 'terminated', at);
  }
  if (plan.state === 'active' && plan.count !== 0 && sequence >= plan.count) endPlan(plan, 'completed', at);
  if (plan.state === 'active') plan.chargeNextDate = followingChargeDate(plan.chargeNextDate, plan);
  return backendNotification(m, tx, plan.backendReturnUrl ?? m.merchant.backendReturnUrl);
}

/** Moves a plan to a final state (recurringStatus N from then on). */
export function endPlan(plan: PlanRecord, state: 'cancelled' | 'terminated' | 'completed', at: Date): void {
  plan.state = state;
  plan.history.push({ status: state, at });
}
