// Rows and 2C2P answers for the reconciliation unit tests: one active subscription that agrees with 2C2P.
import type { ChargeRow, RefundRow, SubscriptionRow } from '../../../src/db/index.js';
import type { SubscriptionEvidence } from '../../../src/reconciliation/compare-subscription.js';
import type { PaymentAnswer } from '../../../src/reconciliation/disagreement.js';

export const subscription = (overrides: Partial<SubscriptionRow> = {}): SubscriptionRow => ({
  id: 'sub-1',
  merchantId: 'JT01',
  customerId: 'cust-1',
  status: 'active',
  currency: 'SGD',
  amountMinor: 3000,
  plan: {},
  recurringUniqueId: '900001',
  invoicePrefix: 'P1',
  customerToken: null,
  nextChargeDate: '2026-03-01',
  paymentUrl: null,
  workflowId: 'subscription/JT01/sub-1',
  endedReason: null,
  attention: null,
  stateVersion: 3,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-02-01T00:00:00.000Z',
  closedAt: null,
  ...overrides,
});

export const charge = (overrides: Partial<ChargeRow> = {}): ChargeRow => ({
  merchantId: 'JT01',
  invoiceNo: 'P1F0000',
  subscriptionId: 'sub-1',
  sequence: null,
  kind: 'initial',
  amountMinor: 3000,
  currency: 'SGD',
  status: 'succeeded',
  respCode: '0000',
  respDesc: 'Success',
  tranRef: null,
  referenceNo: null,
  approvalCode: null,
  transactionAt: '2026-01-01T00:00:00.000Z',
  periodStart: null,
  periodEnd: null,
  source: 'notification',
  recordedAt: '2026-01-01T00:00:00.000Z',
  ...overrides,
});

export const refund = (overrides: Partial<RefundRow> = {}): RefundRow => ({
  idempotencyId: 'P100001-R1',
  merchantId: 'JT01',
  subscriptionId: 'sub-1',
  invoiceNo: 'P100001',
  amountMinor: 1000,
  currency: 'SGD',
  reason: 'requested',
  status: 'succeeded',
  respCode: '00',
  respDesc: 'Success',
  referenceNo: 'REF1',
  createdAt: '2026-02-05T00:00:00.000Z',
  updatedAt: '2026-02-05T00:00:00.000Z',
  ...overrides,
});

/** A succeeded payment as Payment Inquiry reports it. */
export const paid = (invoiceNo: string, amountMinor = 3000, sequence?: number): PaymentAnswer => ({
  found: true,
  outcome: 'succeeded',
  amountMinor,
  currency: 'SGD',
  notification: {
    invoiceNo,
    respCode: '0000',
    respDesc: 'Success',
    amount: (amountMinor / 100).toFixed(2),
    currencyCode: 'SGD',
    recurringUniqueID: '900001',
    ...(sequence === undefined ? {} : { recurringSequenceNo: String(sequence) }),
  },
});

export const notFound: PaymentAnswer = { found: false, respCode: '2002', respDesc: 'Transaction not found' };

/**
 * An active subscription: first payment and charge 1 paid, a partial refund on charge 1, plan enabled at
 * 3000 with one charge made; 2C2P agrees on every point, and knows nothing of charge 2 or a dunning link.
 */
export function agreeingEvidence(): SubscriptionEvidence {
  const charges = [charge(), charge({ invoiceNo: 'P100001', kind: 'recurring', sequence: 1 })];
  return {
    subscription: subscription(),
    charges,
    refunds: [refund()],
    probes: [{ invoiceNo: 'P100002', kind: 'recurring', sequence: 2 }],
    payments: new Map<string, PaymentAnswer>([
      ['P1F0000', paid('P1F0000')],
      ['P100001', paid('P100001', 3000, 1)],
      ['P100002', notFound],
    ]),
    plan: { found: true, enabled: true, amountMinor: 3000, currency: 'SGD', currentCount: 1 },
    refundLists: new Map([
      [
        'P100001',
        { found: true, refunds: [{ amountMinor: 1000, status: 'succeeded', wireStatus: 'RF', referenceNo: 'REF1' }] },
      ],
    ]),
  } as SubscriptionEvidence;
}
