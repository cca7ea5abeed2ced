// The chaos run's judge: every invariant must be able to fail, or a passing run proves nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkInvariants,
  countByInvariant,
  INVARIANTS,
  type InvariantInput,
} from '../../../scripts/chaos/invariants.js';

const sgd = (minor: number) => ({ minor, currency: 'SGD' });

/** One subscription that agrees everywhere: a paid first charge, a recurring charge, a settled refund, ended. */
function agreeing(): InvariantInput {
  return {
    ledger: {
      transactions: [
        { invoiceNo: 'INV0', amount: sgd(3000), status: 'S', refundedAmount: sgd(0) },
        {
          invoiceNo: 'INV1',
          amount: sgd(3000),
          status: 'S',
          refundedAmount: sgd(1000),
          recurringUniqueID: '77',
          recurringSequenceNo: 1,
        },
      ],
      refunds: [{ invoiceNo: 'INV1', amount: sgd(1000), status: 'RF', idempotencyID: 'INV1-R1' }],
      plans: [{ recurringUniqueID: '77', recurringStatus: 'N', state: 'cancelled', amount: sgd(3000) }],
    },
    charges: [
      {
        invoice_no: 'INV0',
        subscription_id: 'sub_1',
        sequence: 0,
        kind: 'initial',
        amount_minor: '3000',
        status: 'succeeded',
      },
      {
        invoice_no: 'INV1',
        subscription_id: 'sub_1',
        sequence: 1,
        kind: 'recurring',
        amount_minor: '3000',
        status: 'succeeded',
      },
    ],
    refunds: [
      {
        idempotency_id: 'INV1-R1',
        subscription_id: 'sub_1',
        invoice_no: 'INV1',
        amount_minor: '1000',
        status: 'succeeded',
      },
    ],
    subscriptions: [{ id: 'sub_1', status: 'canceled', recurring_unique_id: '77', workflow_id: 'wf_1' }],
    workflows: [{ workflowId: 'wf_1', running: false, status: 'canceled', failedTasks: 0 }],
    reconcile: [],
  };
}

function broken(change: (input: InvariantInput) => void): Record<string, number> {
  const input = agreeing();
  change(input);
  const counts = countByInvariant(checkInvariants(input));
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}

describe('chaos invariants', () => {
  it('when 2C2P, PostgreSQL and Temporal agree, then every invariant counts zero', () => {
    const counts = countByInvariant(checkInvariants(agreeing()));
    assert.deepEqual(Object.keys(counts), [...INVARIANTS]);
    assert.ok(
      Object.values(counts).every((n) => n === 0),
      JSON.stringify(counts),
    );
  });

  it('when a charge at 2C2P has no row, or a succeeded row has no charge, then each is counted', () => {
    assert.deepEqual(
      broken((i) => i.charges.splice(1, 1)),
      // The refund row then refunds a charge the record does not have.
      { chargeWithoutLedgerRow: 1, refundsOverCharge: 1 },
    );
    assert.deepEqual(
      broken((i) => i.ledger.transactions.splice(0, 1)),
      { ledgerRowWithoutCharge: 1 },
    );
  });

  it('when an invoice or a plan sequence is charged twice, then it is a duplicate charge', () => {
    assert.deepEqual(
      broken((i) => i.ledger.transactions.push({ ...i.ledger.transactions[1]!, invoiceNo: 'INV2' })),
      { chargeWithoutLedgerRow: 1, duplicateCharges: 1 },
    );
    assert.deepEqual(
      broken((i) => i.ledger.transactions.push({ ...i.ledger.transactions[0]! })),
      { duplicateCharges: 1 },
    );
  });

  it('when refunds exceed the charge, repeat one id, or have no row, then each is counted', () => {
    assert.deepEqual(
      broken((i) => {
        i.ledger.refunds.push({ invoiceNo: 'INV1', amount: sgd(2500), status: 'RF', idempotencyID: 'INV1-R2' });
      }),
      { refundsOverCharge: 1, duplicateRefunds: 1 },
    );
    assert.deepEqual(
      broken((i) => i.ledger.refunds.push({ ...i.ledger.refunds[0]! })),
      { duplicateRefunds: 1 },
    );
    assert.deepEqual(
      broken((i) =>
        i.refunds.push({ ...i.refunds[0]!, idempotency_id: 'INV1-R2', amount_minor: '2500', status: 'pending' }),
      ),
      { refundsOverCharge: 1, workflowsWithoutProgress: 1 },
    );
  });

  it('when amounts or refund statuses differ between the record and 2C2P, then each is counted', () => {
    assert.deepEqual(
      broken((i) => (i.charges[1]!.amount_minor = '2999')),
      { amountMismatches: 1 },
    );
    assert.deepEqual(
      broken((i) => (i.ledger.refunds[0]!.status = 'RP')),
      { refundStatusMismatches: 1 },
    );
  });

  it('when a workflow failed a task, still runs, or disagrees with PostgreSQL, then each is counted', () => {
    assert.deepEqual(
      broken((i) => (i.workflows[0]!.failedTasks = 2)),
      { failedWorkflowTasks: 1 },
    );
    assert.deepEqual(
      broken((i) => (i.workflows[0]!.running = true)),
      { workflowsWithoutProgress: 1 },
    );
    assert.deepEqual(
      broken((i) => (i.workflows[0]!.status = 'active')),
      { workflowStateMismatches: 1 },
    );
    assert.deepEqual(
      broken((i) => (i.workflows = [])),
      { workflowStateMismatches: 1 },
    );
  });

  it('when an ended subscription keeps an active plan at 2C2P, then it is a plan status mismatch', () => {
    assert.deepEqual(
      broken((i) => (i.ledger.plans[0]!.state = 'active')),
      { planStatusMismatches: 1 },
    );
  });

  it('when reconciliation lists a disagreement, then it is counted', () => {
    assert.deepEqual(
      broken((i) => i.reconcile.push({ subscriptionId: 'sub_1', detail: 'charge INV1: amount differs' })),
      { reconcileDisagreements: 1 },
    );
  });
});
