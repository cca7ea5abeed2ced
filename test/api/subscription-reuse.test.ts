// A subscriptionId used again: which field differs from the request that created the subscription.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstDifference } from '../../src/api/use-cases/subscription-reuse.js';
import type { SubscriptionInput } from '../../src/workflows/definitions.js';
import { monthlyPlan } from '../support/plans.js';

const started: SubscriptionInput = {
  merchantId: 'M1',
  subscriptionId: 'sub_1',
  customerId: 'cust_1',
  description: 'Gold plan',
  plan: monthlyPlan({ amountMinor: 9990 }),
  dunning: { windowDays: 7, reminders: 2 },
  backendReturnUrl: 'https://api.example.test/v1/2c2p/notifications',
  requestedAt: '2026-02-01T10:00:00.000Z',
};

describe('firstDifference', () => {
  it('when the request is the same but for its time and timings, then nothing differs', () => {
    const again = { ...started, requestedAt: '2026-02-01T10:05:00.000Z', timings: { chargeGraceMs: 1 } };
    assert.equal(firstDifference(started, again), undefined);
  });

  it('when an optional field is left out where the first request sent its default, then nothing differs', () => {
    assert.equal(firstDifference({ ...started, refundPolicy: 'none', customerTokens: [] }, started), undefined);
  });

  it('when fields differ, then the first one in body order is named by its API name', () => {
    const cases: [Partial<SubscriptionInput>, string][] = [
      [{ customerId: 'cust_2' }, 'customerId'],
      [{ description: 'Silver plan' }, 'description'],
      [{ customerTokens: ['tok_1'] }, 'customerTokens'],
      [{ plan: { ...started.plan, amountMinor: 1000 } }, 'plan.amount'],
      [{ plan: { ...started.plan, currency: 'USD' } }, 'plan.currency'],
      [{ plan: { ...started.plan, interval: { kind: 'days', days: 30 } } }, 'plan.interval'],
      [{ plan: { ...started.plan, recurringCount: 0 } }, 'plan.recurringCount'],
      [{ plan: { ...started.plan, firstChargeDate: '2026-03-02' } }, 'plan.firstChargeDate'],
      [{ plan: { ...started.plan, allowAccumulate: true, maxAccumulateMinor: 100 } }, 'plan.allowAccumulate'],
      [{ plan: { ...started.plan, maxAccumulateMinor: 100 } }, 'plan.maxAccumulateAmount'],
      [{ dunning: { windowDays: 3, reminders: 2 } }, 'dunning.windowDays'],
      [{ dunning: { windowDays: 7, reminders: 0 } }, 'dunning.reminders'],
      [{ refundPolicy: 'prorated' }, 'refundPolicy'],
      [{ backendReturnUrl: 'https://other.example.test/n' }, 'backendReturnUrl'],
      [{ frontendReturnUrl: 'https://shop.example.test/done' }, 'frontendReturnUrl'],
      [{ customerId: 'cust_2', plan: { ...started.plan, amountMinor: 1 } }, 'customerId'],
    ];
    for (const [change, field] of cases) assert.equal(firstDifference(started, { ...started, ...change }), field);
  });
});
