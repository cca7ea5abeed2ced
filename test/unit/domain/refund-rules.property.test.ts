// Property tests for refund amounts: never negative, never above the charge, never more than was paid and unused.
import { describe, it, type TestContext } from 'node:test';
import fc from 'fast-check';
import { MAX_MINOR } from '../../../src/domain/money.js';
import { proratedAmount } from '../../../src/domain/proration.js';
import {
  cancelRefundMinor,
  downgradeRefundMinor,
  refundableMinor,
  type PaidPeriod,
  type RefundAmount,
} from '../../../src/domain/refund-rules.js';
import type { RefundStatus } from '../../../src/domain/subscription-model.js';

const DAY_MS = 86_400_000;
const STATUSES: readonly RefundStatus[] = ['requested', 'waiting_settlement', 'pending', 'succeeded', 'failed'];
const IN_FLIGHT: readonly string[] = ['requested', 'waiting_settlement', 'pending'];

/** fc.assert over `numRuns` cases; the test reports how many it ran. */
function holds<Ts>(t: TestContext, property: fc.IProperty<Ts>, numRuns: number): void {
  fc.assert(property, {
    numRuns,
    plugins: [() => ({ onAllRunsComplete: (details) => t.diagnostic(`${details.numRuns} cases`) })],
  });
}

const plusDays = (date: string, days: number): string =>
  new Date(Date.parse(date) + days * DAY_MS).toISOString().slice(0, 10);
const dayArb = fc
  .date({ min: new Date('2023-01-01T00:00:00Z'), max: new Date('2029-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const chargeArb = fc.oneof(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: MAX_MINOR }));

/** A period of 1..366 days and two change days a ≤ b, each from 5 days before it to 5 days after. */
const periodArb = fc.record({ start: dayArb, length: fc.integer({ min: 1, max: 366 }) }).chain(({ start, length }) =>
  fc.tuple(fc.integer({ min: -5, max: length + 5 }), fc.integer({ min: -5, max: length + 5 })).map(([a, b]) => ({
    period: { start, end: plusDays(start, length) },
    first: plusDays(start, Math.min(a, b)),
    later: plusDays(start, Math.max(a, b)),
  })),
);

const refundsArb = (charge: number): fc.Arbitrary<RefundAmount[]> =>
  fc.array(fc.record({ amountMinor: fc.integer({ min: 0, max: charge * 2 }), status: fc.constantFrom(...STATUSES) }), {
    maxLength: 12,
  });

/** A period paid by a charge: the rate at or below the charge, the refundable part at most the charge. */
const paidArb = fc
  .tuple(chargeArb, periodArb)
  .chain(([charge, { period, first }]) =>
    fc
      .record({ rateMinor: fc.integer({ min: 0, max: charge }), refundableMinor: fc.integer({ min: 0, max: charge }) })
      .map((amounts): { paid: PaidPeriod; today: string } => ({ paid: { period, ...amounts }, today: first })),
  );

const notFailedSum = (refunds: readonly RefundAmount[]): number =>
  refunds.filter((r) => r.status !== 'failed').reduce((sum, r) => sum + r.amountMinor, 0);

describe('refund rules (properties)', () => {
  it('when refunds of any amount and status exist, then what is refundable is from 0 to the charge', (t) => {
    holds(
      t,
      fc.property(
        chargeArb.chain((charge) => fc.tuple(fc.constant(charge), refundsArb(charge))),
        ([charge, refunds]) => {
          const left = refundableMinor(charge, refunds);
          return Number.isSafeInteger(left) && left >= 0 && left <= charge;
        },
      ),
      1000,
    );
  });

  it('when a refund fails, then its amount is refundable again and nothing else changes', (t) => {
    holds(
      t,
      fc.property(
        chargeArb.chain((charge) => fc.tuple(fc.constant(charge), refundsArb(charge), fc.nat())),
        ([charge, refunds, pick]) => {
          const left = refundableMinor(charge, refunds);
          const withoutFailed = refunds.filter((r) => r.status !== 'failed');
          if (left !== refundableMinor(charge, withoutFailed)) return false;
          if (left !== Math.max(0, charge - notFailedSum(refunds))) return false;
          if (withoutFailed.length === 0) return true;
          const failing = withoutFailed[pick % withoutFailed.length] as RefundAmount;
          const after = refundableMinor(
            charge,
            refunds.map((r) => (r === failing ? { ...r, status: 'failed' } : r)),
          );
          return after >= left && after - left <= failing.amountMinor;
        },
      ),
      1000,
    );
  });

  it('when refunds are requested one after another, each capped at what is refundable, then they never sum above the charge', (t) => {
    const stepArb = fc.oneof(
      fc.record({
        kind: fc.constant('refund' as const),
        requested: fc.nat({ max: MAX_MINOR }),
        status: fc.constantFrom(...STATUSES),
      }),
      fc.record({ kind: fc.constant('fail' as const), pick: fc.nat() }),
    );
    holds(
      t,
      fc.property(chargeArb, fc.array(stepArb, { maxLength: 30 }), (charge, steps) => {
        const refunds: RefundAmount[] = [];
        for (const step of steps) {
          if (step.kind === 'refund') {
            refunds.push({
              amountMinor: Math.min(step.requested, refundableMinor(charge, refunds)),
              status: step.status,
            });
          } else {
            // Only a refund still in flight can fail; a succeeded one is money already returned.
            const inFlight = refunds.filter((r) => IN_FLIGHT.includes(r.status));
            const failing = inFlight[step.pick % Math.max(1, inFlight.length)];
            if (failing) failing.status = 'failed';
          }
          const taken = notFailedSum(refunds);
          if (taken > charge || refundableMinor(charge, refunds) !== charge - taken) return false;
        }
        return true;
      }),
      500,
    );
  });

  it('when a plan is downgraded, then the refund is at most the prorated difference and what is refundable, 0 unless cheaper', (t) => {
    holds(
      t,
      fc.property(paidArb, fc.integer({ min: 0, max: MAX_MINOR }), ({ paid, today }, newAmount) => {
        const refund = downgradeRefundMinor(paid, newAmount, today);
        const difference = Math.max(0, paid.rateMinor - newAmount);
        return (
          Number.isSafeInteger(refund) &&
          refund >= 0 &&
          refund <= proratedAmount(difference, paid.period, today) &&
          refund <= paid.refundableMinor &&
          (newAmount < paid.rateMinor || refund === 0)
        );
      }),
      1000,
    );
  });

  it('when a plan is cancelled, then the refund is at most the prorated rate and what is refundable', (t) => {
    holds(
      t,
      fc.property(paidArb, ({ paid, today }) => {
        const refund = cancelRefundMinor(paid, today);
        return (
          Number.isSafeInteger(refund) &&
          refund >= 0 &&
          refund === Math.min(proratedAmount(paid.rateMinor, paid.period, today), paid.refundableMinor) &&
          refund <= paid.rateMinor
        );
      }),
      1000,
    );
  });

  it('when a downgrade is followed by a cancel, then both refunds together never exceed the unused part of the charge', (t) => {
    holds(
      t,
      fc.property(
        chargeArb,
        periodArb,
        fc.double({ min: 0, max: 1, noNaN: true }),
        (charge, { period, first, later }, share) => {
          const newAmount = Math.floor(charge * share);
          const downgrade = downgradeRefundMinor(
            { period, rateMinor: charge, refundableMinor: charge },
            newAmount,
            first,
          );
          // After a prorated downgrade the rest of the period is paid at the new price: that is the rate.
          const after: PaidPeriod = {
            period,
            rateMinor: Math.min(charge, newAmount),
            refundableMinor: refundableMinor(charge, [{ amountMinor: downgrade, status: 'succeeded' }]),
          };
          const total = downgrade + cancelRefundMinor(after, later);
          return total <= charge && total <= proratedAmount(charge, period, first);
        },
      ),
      1000,
    );
  });

  it('when a period sees many plan changes and then a cancel, then the refunds never exceed the unused part of the charge', (t) => {
    const changeArb = fc.record({
      amount: fc.integer({ min: 0, max: MAX_MINOR }),
      prorate: fc.boolean(),
      wait: fc.nat({ max: 40 }),
    });
    holds(
      t,
      fc.property(
        chargeArb,
        dayArb,
        fc.integer({ min: 28, max: 366 }),
        fc.array(changeArb, { minLength: 1, maxLength: 8 }),
        (charge, start, length, changes) => {
          const period = { start, end: plusDays(start, length) };
          const refunds: RefundAmount[] = [];
          let rate = charge;
          let day = start;
          for (const change of changes) {
            day = plusDays(day, change.wait);
            if (!change.prorate) continue; // a change that does not prorate refunds nothing and keeps the rate paid
            const paid = { period, rateMinor: rate, refundableMinor: refundableMinor(charge, refunds) };
            refunds.push({ amountMinor: downgradeRefundMinor(paid, change.amount, day), status: 'succeeded' });
            rate = Math.min(rate, change.amount); // an upgrade charges nothing extra, so it never raises the rate
          }
          const firstDay = plusDays(start, changes[0]?.wait ?? 0);
          const cancel = cancelRefundMinor(
            { period, rateMinor: rate, refundableMinor: refundableMinor(charge, refunds) },
            day,
          );
          const total = notFailedSum(refunds) + cancel;
          return total <= charge && total <= proratedAmount(charge, period, firstDay);
        },
      ),
      500,
    );
  });
});
