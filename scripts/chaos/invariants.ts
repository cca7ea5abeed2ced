// The invariants a chaos run must keep, each counted as violations: the sandbox's ledger (what 2C2P did)
// against PostgreSQL (what the merchant sees) and Temporal (what the workflows did).

/** Money the sandbox moved: authorised, ready for settlement or settled (not failed, voided or pending). */
const MOVED = new Set(['A', 'RS', 'S']);
const ENDED = new Set(['canceled', 'completed', 'unpaid', 'incomplete']);

export const INVARIANTS = [
  'chargeWithoutLedgerRow',
  'ledgerRowWithoutCharge',
  'duplicateCharges',
  'refundsOverCharge',
  'duplicateRefunds',
  'amountMismatches',
  'refundStatusMismatches',
  'failedWorkflowTasks',
  'workflowsWithoutProgress',
  'planStatusMismatches',
  'workflowStateMismatches',
  'reconcileDisagreements',
] as const;
export type Invariant = (typeof INVARIANTS)[number];

export interface Violation {
  invariant: Invariant;
  subscriptionId?: string;
  detail: string;
}

interface Money {
  minor?: number | string;
  amountMinor?: number | string;
  currency: string;
}

export interface SandboxLedger {
  transactions: Array<{
    invoiceNo: string;
    amount: Money;
    status: string;
    refundedAmount: Money;
    recurringUniqueID?: string;
    recurringSequenceNo?: number;
  }>;
  refunds: Array<{ invoiceNo: string; amount: Money; status: string; idempotencyID?: string }>;
  plans: Array<{ recurringUniqueID: string; recurringStatus: string; state: string; amount: Money }>;
}

export interface ChargeRow {
  invoice_no: string;
  subscription_id: string;
  sequence: number | null;
  kind: string;
  amount_minor: string;
  status: string;
}

export interface RefundRow {
  idempotency_id: string;
  subscription_id: string;
  invoice_no: string;
  amount_minor: string;
  status: string;
}

export interface SubscriptionRow {
  id: string;
  status: string;
  recurring_unique_id: string | null;
  workflow_id: string;
}

export interface WorkflowSeen {
  workflowId: string;
  running: boolean;
  /** The RecurSubscriptionStatus search attribute. */
  status?: string;
  failedTasks: number;
}

export interface InvariantInput {
  ledger: SandboxLedger;
  charges: ChargeRow[];
  refunds: RefundRow[];
  subscriptions: SubscriptionRow[];
  workflows: WorkflowSeen[];
  reconcile: Array<{ subscriptionId?: string; detail: string }>;
}

const minorOf = (money: Money): bigint => BigInt(money.minor ?? money.amountMinor ?? 0);

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}

/** Every violation of every invariant. */
export function checkInvariants(input: InvariantInput): Violation[] {
  const violations: Violation[] = [];
  const add = (invariant: Invariant, detail: string, subscriptionId?: string) =>
    violations.push({ invariant, detail, ...(subscriptionId ? { subscriptionId } : {}) });

  const moved = input.ledger.transactions.filter((t) => MOVED.has(t.status));
  const movedByInvoice = groupBy(moved, (t) => t.invoiceNo);
  const rowsByInvoice = groupBy(input.charges, (c) => c.invoice_no);
  const subscriptionOf = (invoiceNo: string) => rowsByInvoice.get(invoiceNo)?.[0]?.subscription_id;

  for (const [invoiceNo, transactions] of movedByInvoice) {
    const rows = (rowsByInvoice.get(invoiceNo) ?? []).filter((r) => r.status === 'succeeded');
    if (rows.length === 0) add('chargeWithoutLedgerRow', `${invoiceNo}: charged at 2C2P, no succeeded charge row`);
    if (transactions.length > 1) add('duplicateCharges', `${invoiceNo}: ${transactions.length} transactions`);
    const row = rows[0];
    const transaction = transactions[0];
    if (row && transaction && BigInt(row.amount_minor) !== minorOf(transaction.amount)) {
      add(
        'amountMismatches',
        `${invoiceNo}: charge row ${row.amount_minor}, 2C2P ${minorOf(transaction.amount)}`,
        row.subscription_id,
      );
    }
  }
  for (const plan of groupBy(
    moved.filter((t) => t.recurringUniqueID && t.recurringSequenceNo !== undefined),
    (t) => `${t.recurringUniqueID}#${t.recurringSequenceNo}`,
  )) {
    if (plan[1].length > 1) add('duplicateCharges', `plan charge ${plan[0]} taken ${plan[1].length} times`);
  }
  for (const row of input.charges) {
    if (row.status === 'succeeded' && !movedByInvoice.has(row.invoice_no)) {
      add('ledgerRowWithoutCharge', `${row.invoice_no}: succeeded row, no charge at 2C2P`, row.subscription_id);
    }
  }

  const liveRefunds = input.ledger.refunds;
  for (const [invoiceNo, refunds] of groupBy(liveRefunds, (r) => r.invoiceNo)) {
    const refunded = refunds.reduce((sum, r) => sum + minorOf(r.amount), 0n);
    const charged = movedByInvoice.get(invoiceNo)?.[0];
    if (!charged || refunded > minorOf(charged.amount)) {
      add(
        'refundsOverCharge',
        `${invoiceNo}: refunded ${refunded} of ${charged ? minorOf(charged.amount) : 'nothing'}`,
        subscriptionOf(invoiceNo),
      );
    }
  }
  for (const [invoiceNo, rows] of groupBy(
    input.refunds.filter((r) => r.status !== 'failed'),
    (r) => r.invoice_no,
  )) {
    const asked = rows.reduce((sum, r) => sum + BigInt(r.amount_minor), 0n);
    const charge = (rowsByInvoice.get(invoiceNo) ?? []).find((c) => c.status === 'succeeded');
    if (!charge || asked > BigInt(charge.amount_minor)) {
      add(
        'refundsOverCharge',
        `${invoiceNo}: refund rows ${asked} of ${charge?.amount_minor ?? 'no charge'}`,
        rows[0]?.subscription_id,
      );
    }
  }
  const refundRows = new Map(input.refunds.map((r) => [r.idempotency_id, r]));
  for (const [id, refunds] of groupBy(liveRefunds, (r) => r.idempotencyID ?? `(none) ${r.invoiceNo}`)) {
    const row = refundRows.get(id);
    if (refunds.length > 1) add('duplicateRefunds', `${id}: ${refunds.length} refunds at 2C2P`, row?.subscription_id);
    const refund = refunds[0];
    if (!refund) continue;
    if (!row) {
      add('duplicateRefunds', `${id}: a refund at 2C2P the engine has no row for`, subscriptionOf(refund.invoiceNo));
      continue;
    }
    if (BigInt(row.amount_minor) !== minorOf(refund.amount)) {
      add(
        'amountMismatches',
        `${id}: refund row ${row.amount_minor}, 2C2P ${minorOf(refund.amount)}`,
        row.subscription_id,
      );
    }
    const expected = refund.status === 'RF' ? 'succeeded' : 'pending';
    if (row.status !== expected) {
      add('refundStatusMismatches', `${id}: row ${row.status}, 2C2P ${refund.status}`, row.subscription_id);
    }
  }
  for (const row of input.refunds) {
    const atGateway = liveRefunds.some((r) => r.idempotencyID === row.idempotency_id);
    if (row.status === 'succeeded' && !atGateway) {
      add('refundStatusMismatches', `${row.idempotency_id}: succeeded row, no refund at 2C2P`, row.subscription_id);
    }
    if (['requested', 'waiting_settlement', 'pending'].includes(row.status) && !atGateway) {
      add('workflowsWithoutProgress', `${row.idempotency_id}: refund still ${row.status}`, row.subscription_id);
    }
  }

  const plans = new Map(input.ledger.plans.map((p) => [p.recurringUniqueID, p]));
  const workflows = new Map(input.workflows.map((w) => [w.workflowId, w]));
  for (const sub of input.subscriptions) {
    const plan = sub.recurring_unique_id ? plans.get(sub.recurring_unique_id) : undefined;
    const planLive = plan !== undefined && plan.state === 'active';
    if (ENDED.has(sub.status) && planLive) {
      add('planStatusMismatches', `status ${sub.status}, plan ${plan.recurringUniqueID} still active at 2C2P`, sub.id);
    }
    if (!ENDED.has(sub.status) && plan && !planLive) {
      add('planStatusMismatches', `status ${sub.status}, plan ${plan.state} at 2C2P`, sub.id);
    }
    const workflow = workflows.get(sub.workflow_id);
    if (!workflow) {
      add('workflowStateMismatches', `no workflow ${sub.workflow_id}`, sub.id);
      continue;
    }
    if (workflow.failedTasks > 0) add('failedWorkflowTasks', `${workflow.failedTasks} failed workflow tasks`, sub.id);
    if (workflow.running) add('workflowsWithoutProgress', `still running after quiescence (${sub.status})`, sub.id);
    if (workflow.status !== undefined && workflow.status !== sub.status) {
      add('workflowStateMismatches', `workflow says ${workflow.status}, PostgreSQL ${sub.status}`, sub.id);
    }
    if (!workflow.running && !ENDED.has(sub.status)) {
      add('workflowStateMismatches', `workflow closed, PostgreSQL still ${sub.status}`, sub.id);
    }
  }
  for (const item of input.reconcile) add('reconcileDisagreements', item.detail, item.subscriptionId);
  return violations;
}

/** Violations counted per invariant, every invariant present. */
export function countByInvariant(violations: readonly Violation[]): Record<Invariant, number> {
  const counts = Object.fromEntries(INVARIANTS.map((name) => [name, 0])) as Record<Invariant, number>;
  for (const v of violations) counts[v.invariant] += 1;
  return counts;
}
