// The pure heart of `recur reconcile`: one subscription's rows and 2C2P's answers in, its disagreements out.
import type { ChargeRow, RefundRow, SubscriptionRow } from '../db/index.js';
import { compareCharges } from './compare-charges.js';
import { comparePlan } from './compare-plan.js';
import { compareRefunds } from './compare-refunds.js';
import type { Disagreement, PaymentAnswer, PlanAnswer, RefundListAnswer } from './disagreement.js';
import type { ProbedInvoice } from './probe-invoices.js';

/** Everything known about one subscription: its PostgreSQL record and what 2C2P answered about it. */
export interface SubscriptionEvidence {
  subscription: SubscriptionRow;
  charges: readonly ChargeRow[];
  refunds: readonly RefundRow[];
  /** Invoice numbers asked about although no row holds them. */
  probes: readonly ProbedInvoice[];
  /** Payment Inquiry answers by invoice number, for every charge row and every probe. */
  payments: ReadonlyMap<string, PaymentAnswer>;
  /** The RPP inquiry answer; undefined when the subscription has no plan id. */
  plan?: PlanAnswer;
  /** Refund status answers by the invoice number of each refunded charge. */
  refundLists: ReadonlyMap<string, RefundListAnswer>;
}

/** Every disagreement between the record and 2C2P for one subscription; none when they agree. */
export function compareSubscription(e: SubscriptionEvidence): Disagreement[] {
  const subscriptionId = e.subscription.id;
  return [
    ...compareCharges({ subscriptionId, charges: e.charges, probes: e.probes, payments: e.payments }),
    ...comparePlan(e.subscription, e.plan),
    ...compareRefunds({ subscriptionId, charges: e.charges, refunds: e.refunds, refundLists: e.refundLists }),
  ];
}
