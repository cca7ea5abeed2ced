// Presenters: an ended subscription shows no next charge, and attention details show while they exist.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { presentRow, presentSummary, presentView } from '../../../src/resources/presenters.js';
import type { SubscriptionRow } from '../../../src/db/index.js';
import type { Attention, Plan, SubscriptionView } from '../../../src/workflows/definitions.js';
import { monthlyPlan } from '../../support/plans.js';

const plan: Plan = monthlyPlan({ amountMinor: 9990 });
const attention: Attention = {
  operation: 'Payment inquiry FABC00000003',
  failureType: 'ERR_GATEWAY_PROTOCOL',
  reason: 'the response signature does not verify',
  since: '2026-02-01T10:00:00.000Z',
  attempts: 2,
  nextAttemptAt: '2026-02-01T12:00:00.000Z',
  resumeStatus: 'active',
};

function view(fields: Partial<SubscriptionView>): SubscriptionView {
  return {
    merchantId: 'M1',
    subscriptionId: 'sub_1',
    customerId: 'cust_1',
    status: 'active',
    plan,
    invoicePrefix: 'FABC',
    nextChargeDate: '2026-04-01',
    nextSequence: 2,
    charges: [],
    refunds: [],
    version: 3,
    ...fields,
  };
}

function row(fields: Partial<SubscriptionRow>): SubscriptionRow {
  return {
    id: 'sub_1',
    merchantId: 'M1',
    customerId: 'cust_1',
    status: 'active',
    currency: 'SGD',
    amountMinor: 9990,
    plan,
    recurringUniqueId: null,
    invoicePrefix: 'FABC',
    customerToken: null,
    nextChargeDate: '2026-04-01',
    paymentUrl: null,
    workflowId: 'subscription/M1/sub_1',
    endedReason: null,
    attention: null,
    stateVersion: 3,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    closedAt: null,
    ...fields,
  };
}

describe('presenters', () => {
  for (const status of ['canceled', 'completed', 'incomplete', 'unpaid'] as const) {
    it(`when a subscription is ${status} but a next charge date is still known, then none is shown`, () => {
      assert.equal(presentView(view({ status })).nextChargeDate, undefined);
      assert.equal(presentRow(row({ status }), [], []).nextChargeDate, undefined);
      assert.equal(presentSummary(row({ status })).nextChargeDate, undefined);
    });
  }

  it('when a subscription can still be charged, then its next charge date is shown', () => {
    for (const status of ['pending_payment', 'active', 'past_due', 'needs_attention'] as const) {
      assert.equal(presentView(view({ status })).nextChargeDate, '2026-04-01', status);
      assert.equal(presentRow(row({ status }), [], []).nextChargeDate, '2026-04-01', status);
      assert.equal(presentSummary(row({ status })).nextChargeDate, '2026-04-01', status);
    }
  });

  it('when a subscription needs attention, then its attention details are shown from the workflow and the row', () => {
    assert.deepEqual(presentView(view({ status: 'needs_attention', attention })).attention, attention);
    assert.deepEqual(presentRow(row({ status: 'needs_attention', attention }), [], []).attention, attention);
    assert.equal('attention' in presentView(view({})), false);
    assert.equal('attention' in presentRow(row({}), [], []), false);
  });
});
