// A monthly plan for tests that need one and care about little of it: 12 charges of SGD on the 1st from March 2026.
import type { Plan } from '../../src/domain/subscription-model.js';

/** The plan, with `overrides` (e.g. `{ amountMinor: 9990 }`) taking precedence. */
export function monthlyPlan(overrides: Partial<Plan> = {}): Plan {
  return {
    amountMinor: 2990,
    currency: 'SGD',
    interval: { kind: 'day-of-month', day: 1 },
    recurringCount: 12,
    firstChargeDate: '2026-03-01',
    allowAccumulate: false,
    maxAccumulateMinor: 0,
    ...overrides,
  };
}
