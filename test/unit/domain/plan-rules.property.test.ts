// Property tests for plan validation: defaults always valid, dunning windows shorter than every period, 3 decimals refused.
import { describe, it, type TestContext } from 'node:test';
import fc from 'fast-check';
import { chargeDate, shortestPeriodDays, type BillingInterval } from '../../../src/domain/billing-schedule.js';
import { CURRENCIES } from '../../../src/domain/currencies.js';
import { MAX_MINOR } from '../../../src/domain/money.js';
import {
  billingCurrencyProblem,
  defaultDunning,
  maxAmountMinor,
  planProblems,
} from '../../../src/domain/plan-rules.js';
import type { DunningPolicy, Plan } from '../../../src/domain/subscription-model.js';

const DAY_MS = 86_400_000;

/** fc.assert over `numRuns` cases; the test reports how many it ran. */
function holds<Ts>(t: TestContext, property: fc.IProperty<Ts>, numRuns: number): void {
  fc.assert(property, {
    numRuns,
    plugins: [() => ({ onAllRunsComplete: (details) => t.diagnostic(`${details.numRuns} cases`) })],
  });
}

const currencies = [...new Map([...CURRENCIES.values()].map((c) => [c.alpha, c])).values()];
const billableArb = fc.constantFrom(...currencies.filter((c) => c.exponent <= 2).map((c) => c.alpha));
const threeDecimalArb = fc.constantFrom(...currencies.filter((c) => c.exponent === 3).map((c) => c.alpha));
const dayArb = fc
  .date({ min: new Date('2023-01-01T00:00:00Z'), max: new Date('2029-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const intervalArb: fc.Arbitrary<BillingInterval> = fc.oneof(
  fc.integer({ min: 1, max: 365 }).map((days) => ({ kind: 'days' as const, days })),
  fc.integer({ min: 1, max: 31 }).map((day) => ({ kind: 'day-of-month' as const, day })),
);

/**
 * A plan 2C2P accepts: a 0- or 2-decimal currency, a positive amount every 2C2P amount field can carry
 * (12 digits of minor units; 10 for currencies without decimals, whose refunds are written with two),
 * a valid interval.
 */
const planArb: fc.Arbitrary<Plan> = fc
  .record({
    amountMinor: fc.constant(0),
    currency: billableArb,
    interval: intervalArb,
    recurringCount: fc.nat({ max: 999 }),
    firstChargeDate: dayArb,
    allowAccumulate: fc.boolean(),
    maxAccumulateMinor: fc.integer({ min: 1, max: MAX_MINOR }),
  })
  .chain((plan) =>
    fc
      .oneof(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: maxAmountMinor(plan.currency) }))
      .map((amountMinor) => ({ ...plan, amountMinor })),
  )
  .chain((plan) =>
    plan.allowAccumulate ? fc.constant(plan) : fc.constantFrom(plan, { ...plan, maxAccumulateMinor: 0 }),
  );

/** A dunning policy the plan accepts: a window shorter than its shortest period, reminders within it. */
const acceptedArb = planArb.chain((plan) =>
  fc
    .integer({ min: 0, max: shortestPeriodDays(plan.interval) - 1 })
    .chain((windowDays) => fc.integer({ min: 0, max: windowDays }).map((reminders) => ({ windowDays, reminders })))
    .map((dunning): [Plan, DunningPolicy] => [plan, dunning]),
);

const fields = (plan: Plan, dunning: DunningPolicy): string[] => planProblems(plan, dunning).map((p) => p.field);
const sameFields = (actual: string[], expected: string[]): boolean => actual.join() === expected.join();

describe('plan rules (properties)', () => {
  it('when a plan names no dunning policy, then the default is one planProblems accepts', (t) => {
    holds(
      t,
      fc.property(planArb, (plan) => {
        const dunning = defaultDunning(plan.interval);
        return (
          planProblems(plan, dunning).length === 0 &&
          dunning.windowDays <= 7 &&
          dunning.windowDays < shortestPeriodDays(plan.interval) &&
          dunning.reminders <= Math.min(2, dunning.windowDays)
        );
      }),
      1000,
    );
  });

  it('when the dunning window is shorter than the shortest period and reminders fit in it, then the plan is accepted', (t) => {
    holds(
      t,
      fc.property(acceptedArb, ([plan, dunning]) => planProblems(plan, dunning).length === 0),
      1000,
    );
  });

  it('when the dunning window is as long as the shortest period or longer, then it is refused, and only it', (t) => {
    holds(
      t,
      fc.property(planArb, fc.nat({ max: 400 }), fc.nat(), (plan, extra, pick) => {
        const windowDays = shortestPeriodDays(plan.interval) + extra;
        return sameFields(fields(plan, { windowDays, reminders: pick % (windowDays + 1) }), ['dunning.windowDays']);
      }),
      1000,
    );
  });

  it('when a plan is accepted, then a dunning window that opens on a due date closes before the next one', (t) => {
    holds(
      t,
      fc.property(acceptedArb, fc.integer({ min: 1, max: 36 }), ([plan, dunning], sequence) => {
        const due = Date.parse(chargeDate(plan.firstChargeDate, plan.interval, sequence));
        const next = Date.parse(chargeDate(plan.firstChargeDate, plan.interval, sequence + 1));
        return due + dunning.windowDays * DAY_MS < next;
      }),
      1000,
    );
  });

  it('when the currency has three decimals or is unknown, then it is refused whatever the rest of the plan', (t) => {
    const refusedArb = fc.oneof(
      threeDecimalArb,
      fc.stringMatching(/^[A-Z]{3}$/).filter((code) => !CURRENCIES.has(code)),
    );
    holds(
      t,
      fc.property(acceptedArb, refusedArb, ([plan, dunning], currency) => {
        return (
          billingCurrencyProblem(currency) !== undefined &&
          sameFields(fields({ ...plan, currency }, dunning), ['currency'])
        );
      }),
      500,
    );
  });

  it('when the amount is not positive, not whole, or beyond what every 2C2P amount field carries, then it is refused, and only it', (t) => {
    const badAmountArb = (currency: string) =>
      fc.oneof(
        fc.integer({ min: maxAmountMinor(currency) + 1, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: Number.MIN_SAFE_INTEGER, max: 0 }),
        fc.double().filter((x) => !Number.isInteger(x)),
        fc.constantFrom(0, maxAmountMinor(currency) + 1, MAX_MINOR + 1, NaN, Infinity, 2 ** 53),
      );
    holds(
      t,
      fc.property(
        acceptedArb.chain(([plan, dunning]) =>
          badAmountArb(plan.currency).map((amountMinor) => ({ plan, dunning, amountMinor })),
        ),
        ({ plan, dunning, amountMinor }) => sameFields(fields({ ...plan, amountMinor }, dunning), ['amountMinor']),
      ),
      1000,
    );
  });

  it('when a currency has no decimals, then its largest amount is 10 digits, so a refund can be written with two', (t) => {
    holds(
      t,
      fc.property(fc.constantFrom('JPY', 'KRW', 'VND'), (currency) => maxAmountMinor(currency) === 9_999_999_999),
      10,
    );
  });

  it('when the interval is out of range, then the interval is refused and the window is not judged against it', (t) => {
    const badIntervalArb: fc.Arbitrary<BillingInterval> = fc.oneof(
      fc
        .oneof(
          fc.integer({ min: -400, max: 0 }),
          fc.integer({ min: 366, max: 5000 }),
          fc.double({ min: 1.01, max: 364.99 }).filter((x) => !Number.isInteger(x)),
        )
        .map((days) => ({ kind: 'days' as const, days })),
      fc
        .oneof(fc.integer({ min: -40, max: 0 }), fc.integer({ min: 32, max: 400 }), fc.constant(15.5))
        .map((day) => ({ kind: 'day-of-month' as const, day })),
    );
    holds(
      t,
      fc.property(planArb, badIntervalArb, fc.nat({ max: 400 }), (plan, interval, windowDays) =>
        sameFields(fields({ ...plan, interval }, { windowDays, reminders: 0 }), ['interval']),
      ),
      500,
    );
  });

  it('when reminders are negative, fractional or more than the window has days, then they are refused, and only they', (t) => {
    holds(
      t,
      fc.property(
        acceptedArb,
        fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: -100, max: -1 }), fc.constant(0.5)),
        ([plan, { windowDays }], offset) => {
          const reminders = offset > 0 ? windowDays + offset : offset === 0.5 ? windowDays + 0.5 : offset;
          return sameFields(fields(plan, { windowDays, reminders }), ['dunning.reminders']);
        },
      ),
      500,
    );
  });
});
