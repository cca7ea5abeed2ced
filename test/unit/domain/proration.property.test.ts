// Property tests for proration: whole minor units, rounded down, the day of change used, for any amount and period.
import { describe, it, type TestContext } from 'node:test';
import fc from 'fast-check';
import { MAX_MINOR } from '../../../src/domain/money.js';
import { proratedAmount, unusedDays } from '../../../src/domain/proration.js';

const DAY_MS = 86_400_000;

/** fc.assert over `numRuns` cases; the test reports how many it ran. */
function holds<Ts>(t: TestContext, property: fc.IProperty<Ts>, numRuns: number): void {
  fc.assert(property, {
    numRuns,
    plugins: [() => ({ onAllRunsComplete: (details) => t.diagnostic(`${details.numRuns} cases`) })],
  });
}

// Date arithmetic of the test's own (epoch days), so the oracle does not lean on calendar-date.ts.
const plusDays = (date: string, days: number): string =>
  new Date(Date.parse(date) + days * DAY_MS).toISOString().slice(0, 10);
const dayArb = fc
  .date({ min: new Date('2023-01-01T00:00:00Z'), max: new Date('2029-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const amountArb = fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: MAX_MINOR }));

/** A period of 1 to 366 days starting 2023..2029, and a change day from 45 days before it to 45 days after. */
const caseArb = fc.record({ start: dayArb, length: fc.integer({ min: 1, max: 366 }) }).chain(({ start, length }) =>
  fc.integer({ min: -45, max: length + 45 }).map((offset) => ({
    period: { start, end: plusDays(start, length) },
    length,
    offset,
    today: plusDays(start, offset),
  })),
);

describe('proration (properties)', () => {
  it('when any amount is prorated on any day, then the refund is a whole number from 0 to the amount', (t) => {
    holds(
      t,
      fc.property(amountArb, caseArb, (amount, { period, today }) => {
        const refund = proratedAmount(amount, period, today);
        return Number.isSafeInteger(refund) && refund >= 0 && refund <= amount;
      }),
      1000,
    );
  });

  it('when prorated, then the refund is floor(amount × unused ÷ period days) in BigInt, the day of change used', (t) => {
    holds(
      t,
      fc.property(amountArb, caseArb, (amount, { period, length, offset, today }) => {
        const used = Math.min(length, Math.max(0, offset + 1));
        const expected = (BigInt(amount) * BigInt(length - used)) / BigInt(length);
        return (
          unusedDays(period, today) === length - used && proratedAmount(amount, period, today) === Number(expected)
        );
      }),
      1000,
    );
  });

  it('when the day of change moves later, then the refund never grows', (t) => {
    holds(
      t,
      fc.property(amountArb, caseArb, fc.integer({ min: 0, max: 400 }), (amount, { period, today }, later) => {
        return proratedAmount(amount, period, plusDays(today, later)) <= proratedAmount(amount, period, today);
      }),
      1000,
    );
  });

  it('when the change is on or after the last day, then nothing is refunded; before the first day, everything', (t) => {
    holds(
      t,
      fc.property(
        amountArb,
        dayArb,
        fc.integer({ min: 1, max: 366 }),
        fc.integer({ min: 0, max: 400 }),
        (amount, start, length, d) => {
          const period = { start, end: plusDays(start, length) };
          return (
            proratedAmount(amount, period, plusDays(period.end, -1 + d)) === 0 &&
            proratedAmount(amount, period, plusDays(start, -1 - d)) === amount
          );
        },
      ),
      1000,
    );
  });

  it('when an amount is split into parts, then the parts never refund more than the whole, and lose under a unit each', (t) => {
    const partsArb = fc.array(fc.integer({ min: 0, max: Math.floor(MAX_MINOR / 10) }), { minLength: 1, maxLength: 10 });
    holds(
      t,
      fc.property(partsArb, caseArb, (parts, { period, today }) => {
        const whole = proratedAmount(
          parts.reduce((sum, p) => sum + p, 0),
          period,
          today,
        );
        const split = parts.reduce((sum, p) => sum + proratedAmount(p, period, today), 0);
        return split <= whole && whole - split < parts.length;
      }),
      1000,
    );
  });

  it('when the amount is not whole minor units ≥ 0 or the period is empty, then it is a RangeError', (t) => {
    const badAmountArb = fc.oneof(
      fc.double({ noNaN: false }).filter((x) => !Number.isSafeInteger(x) || x < 0),
      fc.integer({ min: -MAX_MINOR, max: -1 }),
      fc.constantFrom(Number.MAX_SAFE_INTEGER + 1, Infinity, NaN),
    );
    holds(
      t,
      fc.property(
        badAmountArb,
        caseArb,
        amountArb,
        fc.integer({ min: 0, max: 30 }),
        (bad, { period, today }, amount, back) => {
          const empty = { start: period.start, end: plusDays(period.start, -back) };
          return (
            throwsRange(() => proratedAmount(bad, period, today)) &&
            throwsRange(() => proratedAmount(amount, empty, today))
          );
        },
      ),
      500,
    );
  });
});

function throwsRange(call: () => unknown): boolean {
  try {
    call();
    return false;
  } catch (error) {
    return error instanceof RangeError;
  }
}
