// The pure comparison of `recur reconcile`: each kind of disagreement is found, and agreement yields none.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareSubscription, type SubscriptionEvidence } from '../../../src/reconciliation/compare-subscription.js';
import type { PaymentAnswer, PlanAnswer, RefundListAnswer } from '../../../src/reconciliation/disagreement.js';
import { agreeingEvidence, charge, notFound, paid, refund, subscription } from './fixtures.js';

const kinds = (e: SubscriptionEvidence) => compareSubscription(e).map((d) => [d.kind, d.invoiceNo]);
const withPayment = (e: SubscriptionEvidence, invoiceNo: string, answer: PaymentAnswer): SubscriptionEvidence => ({
  ...e,
  payments: new Map([...e.payments, [invoiceNo, answer]]),
});
const withPlan = (e: SubscriptionEvidence, plan: PlanAnswer): SubscriptionEvidence => ({ ...e, plan });
const withRefundList = (e: SubscriptionEvidence, answer: RefundListAnswer): SubscriptionEvidence => ({
  ...e,
  refundLists: new Map([['P100001', answer]]),
});

describe('compareSubscription', () => {
  it('when the record and 2C2P agree on charges, plan and refunds, then there is no disagreement', () => {
    assert.deepEqual(compareSubscription(agreeingEvidence()), []);
  });

  it('when a charge row names an invoice 2C2P does not know, then charge_missing_at_gateway', () => {
    assert.deepEqual(kinds(withPayment(agreeingEvidence(), 'P100001', notFound)), [
      ['charge_missing_at_gateway', 'P100001'],
    ]);
  });

  it('when 2C2P made the next charge and no row holds it, then charge_missing_in_db for that invoice', () => {
    const found = compareSubscription(withPayment(agreeingEvidence(), 'P100002', paid('P100002', 3000, 2)));
    assert.deepEqual(
      found.map((d) => [d.kind, d.invoiceNo, d.repair]),
      [['charge_missing_in_db', 'P100002', null]],
    );
    assert.match(found[0]?.detail ?? '', /succeeded recurring charge 2 of 3000 minor SGD/);
  });

  it('when a probed invoice is still pending at 2C2P, then it is not reported: the workflow waits for it', () => {
    const pending: PaymentAnswer = { ...(paid('P100002') as PaymentAnswer & { found: true }), outcome: 'pending' };
    assert.deepEqual(kinds(withPayment(agreeingEvidence(), 'P100002', pending)), []);
  });

  it('when the row says succeeded and 2C2P declined, then charge_outcome_mismatch', () => {
    const declined = { ...(paid('P100001') as PaymentAnswer & { found: true }), outcome: 'declined' as const };
    assert.deepEqual(kinds(withPayment(agreeingEvidence(), 'P100001', declined)), [
      ['charge_outcome_mismatch', 'P100001'],
    ]);
  });

  it('when 2C2P reports another amount or currency for a charge, then charge_amount_mismatch', () => {
    assert.deepEqual(kinds(withPayment(agreeingEvidence(), 'P100001', paid('P100001', 2500, 1))), [
      ['charge_amount_mismatch', 'P100001'],
    ]);
    const thb = { ...(paid('P100001') as PaymentAnswer & { found: true }), currency: 'THB' };
    assert.deepEqual(kinds(withPayment(agreeingEvidence(), 'P100001', thb)), [['charge_amount_mismatch', 'P100001']]);
  });

  it('when an inquiry failed, then inquiry_failed, and nothing is concluded about that invoice', () => {
    assert.deepEqual(kinds(withPayment(agreeingEvidence(), 'P100001', { error: 'ERR_GATEWAY_TIMEOUT' })), [
      ['inquiry_failed', 'P100001'],
    ]);
  });

  it('when an active subscription has a disabled plan, or an ended one an enabled plan, then plan_status_mismatch', () => {
    const disabled = withPlan(agreeingEvidence(), { found: true, enabled: false, amountMinor: 3000, currency: 'SGD' });
    assert.deepEqual(kinds(disabled), [['plan_status_mismatch', undefined]]);
    const ended = { ...agreeingEvidence(), subscription: subscription({ status: 'canceled' }) };
    assert.deepEqual(kinds(ended), [['plan_status_mismatch', undefined]]);
    assert.deepEqual(kinds({ ...disabled, subscription: subscription({ status: 'canceled' }) }), []);
  });

  it('when an active plan charges another amount than recorded, then plan_amount_mismatch', () => {
    const cheaper = withPlan(agreeingEvidence(), { found: true, enabled: true, amountMinor: 2000, currency: 'SGD' });
    assert.deepEqual(kinds(cheaper), [['plan_amount_mismatch', undefined]]);
  });

  it('when a live subscription names a plan 2C2P does not know, then plan_missing_at_gateway', () => {
    const gone = withPlan(agreeingEvidence(), { found: false, respCode: '16', respDesc: 'not found' });
    assert.deepEqual(kinds(gone), [['plan_missing_at_gateway', undefined]]);
  });

  it('when a refund row is settled but 2C2P says pending, then refund_status_mismatch', () => {
    const pending = withRefundList(agreeingEvidence(), {
      found: true,
      refunds: [{ amountMinor: 1000, status: 'pending', wireStatus: 'RP', referenceNo: 'REF1' }],
    });
    assert.deepEqual(kinds(pending), [['refund_status_mismatch', 'P100001']]);
  });

  it('when 2C2P lists no refund that a row says succeeded, then refund_missing_at_gateway', () => {
    assert.deepEqual(kinds(withRefundList(agreeingEvidence(), { found: true, refunds: [] })), [
      ['refund_missing_at_gateway', 'P100001'],
    ]);
  });

  it('when 2C2P lists a refund with no row, then refund_missing_in_db', () => {
    const extra = withRefundList(agreeingEvidence(), {
      found: true,
      refunds: [
        { amountMinor: 1000, status: 'succeeded', wireStatus: 'RF', referenceNo: 'REF1' },
        { amountMinor: 500, status: 'succeeded', wireStatus: 'RF', referenceNo: 'REF2' },
      ],
    });
    assert.deepEqual(kinds(extra), [['refund_missing_in_db', 'P100001']]);
  });

  it('when the refund with the same reference has another amount, then refund_amount_mismatch', () => {
    const other = withRefundList(agreeingEvidence(), {
      found: true,
      refunds: [{ amountMinor: 1200, status: 'succeeded', wireStatus: 'RF', referenceNo: 'REF1' }],
    });
    assert.deepEqual(kinds(other), [['refund_amount_mismatch', 'P100001']]);
  });

  it('when refunds take more than the charge, or refund a declined charge, then refund_exceeds_charge', () => {
    const e = agreeingEvidence();
    const big = { ...e, refunds: [refund({ amountMinor: 3500 })] };
    const list: RefundListAnswer = {
      found: true,
      refunds: [{ amountMinor: 3500, status: 'succeeded', wireStatus: 'RF', referenceNo: 'REF1' }],
    };
    assert.deepEqual(kinds(withRefundList(big, list)), [['refund_exceeds_charge', 'P100001']]);
    const declinedCharge = {
      ...e,
      charges: [
        charge(),
        charge({ invoiceNo: 'P100001', kind: 'recurring', sequence: 1, status: 'declined' as const }),
      ],
      payments: new Map([
        ...e.payments,
        ['P100001', { ...(paid('P100001') as PaymentAnswer & { found: true }), outcome: 'declined' as const }],
      ]),
    };
    assert.deepEqual(kinds(declinedCharge), [['refund_exceeds_charge', 'P100001']]);
  });

  it('when two rows record one 2C2P refund, or a cancel refund twice, then duplicate_refund', () => {
    const e = agreeingEvidence();
    const twice = {
      ...e,
      refunds: [refund(), refund({ idempotencyId: 'P100001-R2' })],
      refundLists: new Map([
        [
          'P100001',
          {
            found: true as const,
            refunds: [
              { amountMinor: 1000, status: 'succeeded' as const, wireStatus: 'RF', referenceNo: 'REF1' },
              { amountMinor: 1000, status: 'succeeded' as const, wireStatus: 'RF', referenceNo: 'REF9' },
            ],
          },
        ],
      ]),
    };
    assert.deepEqual(kinds(twice), [['duplicate_refund', 'P100001']]);
    const cancels = {
      ...twice,
      refunds: [
        refund({ reason: 'cancel_prorated', referenceNo: 'REF1' }),
        refund({ idempotencyId: 'P100001-R2', reason: 'cancel_prorated', referenceNo: 'REF9' }),
      ],
    };
    assert.deepEqual(kinds(cancels), [['duplicate_refund', 'P100001']]);
  });
});
