// Decides, for one disagreement, which existing workflow message can fix it from 2C2P's truth. Pure: the
// caller gathers the facts (the workflow's state query) and sends the message.
import {
  TERMINAL_STATUSES,
  type ChargeKind,
  type PaymentNotification,
  type SubscriptionStatus,
} from '../workflows/definitions.js';
import type { Disagreement, DisagreementKind } from './disagreement.js';

/** What the subscription's workflow says of itself (stateQuery), or that no workflow is running. */
export type WorkflowFacts =
  | { running: false }
  | {
      running: true;
      status: SubscriptionStatus;
      nextSequence: number;
      /** Invoice numbers of the charges the workflow keeps in its state. */
      recordedInvoices: readonly string[];
      /** Calls waiting for the operator's `retry`. */
      attention: number;
    };

/** The charge a disagreement is about, and 2C2P's answer on it as a `paymentNotification`. */
export interface ChargeContext {
  kind: ChargeKind;
  sequence: number | null;
  notification?: PaymentNotification;
}

export type RepairAction =
  | { action: 'signal'; notification: PaymentNotification }
  | { action: 'retry' }
  | { action: 'manual'; why: string }
  /** Nothing to send: the disagreement is not known yet (an inquiry failed); run again. */
  | { action: 'none' };

/** Disagreements a call waiting on attention may be behind (a plan update or cancel, a refund status poll). */
const RETRY_KINDS: readonly DisagreementKind[] = [
  'plan_missing_at_gateway',
  'plan_status_mismatch',
  'plan_amount_mismatch',
  'refund_status_mismatch',
  'refund_missing_at_gateway',
  'charge_missing_in_db',
];
const CHARGE_KINDS: readonly DisagreementKind[] = [
  'charge_missing_in_db',
  'charge_outcome_mismatch',
  'charge_amount_mismatch',
];

/** Whether the workflow is still waiting for this payment, so a notification of it is taken, not ignored. */
function awaitsPayment(facts: WorkflowFacts & { running: true }, charge: ChargeContext, invoiceNo: string): boolean {
  if (facts.recordedInvoices.includes(invoiceNo) || TERMINAL_STATUSES.includes(facts.status)) return false;
  if (charge.kind === 'initial') return facts.status === 'pending_payment';
  if (charge.kind === 'dunning') return facts.status === 'past_due';
  return charge.sequence !== null && charge.sequence >= facts.nextSequence;
}

/**
 * The repair for `d`. A charge the workflow still waits for gets 2C2P's answer as a `paymentNotification`
 * (the workflow deduplicates, so a repeat is harmless); a subscription with calls waiting on attention gets
 * `retry`; anything else needs an operator, because no existing message makes the workflow re-record or
 * re-send what it has already done.
 */
export function planRepair(d: Disagreement, facts: WorkflowFacts, charge?: ChargeContext): RepairAction {
  if (d.kind === 'inquiry_failed') return { action: 'none' };
  if (!facts.running) return { action: 'manual', why: 'its workflow is not running' };
  if (CHARGE_KINDS.includes(d.kind) && charge?.notification && d.invoiceNo) {
    if (awaitsPayment(facts, charge, d.invoiceNo)) return { action: 'signal', notification: charge.notification };
  }
  if (RETRY_KINDS.includes(d.kind) && facts.attention > 0) return { action: 'retry' };
  if (CHARGE_KINDS.includes(d.kind)) {
    return { action: 'manual', why: 'the workflow has already recorded or passed this charge' };
  }
  return { action: 'manual', why: 'no workflow message re-applies this from 2C2P' };
}
