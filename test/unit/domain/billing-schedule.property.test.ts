// Property tests for the billing schedule: month-end anchors, leap days, N-day intervals, contiguous periods.
import { describe, it, type TestContext } from 'node:test';
import fc from 'fast-check';
import {
  assertBillingInterval,
  billingPeriod,
  chargeDate,
  shortestPeriodDays,
  type BillingInterval,
} from '../../../src/domain/billing-schedule.js';
import { addDays, calendarDate, daysBetween, isCalendarDate } from '../../../src/domain/calendar-date.js';

const DAY_MS = 86_400_000;
const CHARGES = 40; // more than three years of monthly charges: every month length, both kinds of February

/** fc.assert over `numRuns` cases; the test reports how many it ran. */
function holds<Ts>(t: TestContext, property: fc.IProperty<Ts>, numRuns: number): void {
  fc.assert(property, {
    numRuns,
    plugins: [() => ({ onAllRunsComplete: (details) => t.diagnostic(`${details.numRuns} cases`) })],
  });
}

// The test's own calendar (epoch days and Date.UTC), so the oracle does not lean on calendar-date.ts.
const epochDays = (date: string): number => Date.parse(date) / DAY_MS;
const lastDayOfMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();
const parts = (date: string): [number, number, number] => date.split('-').map(Number) as [number, number, number];
const isLeap = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

const dayArb = fc
  .date({ min: new Date('2023-01-01T00:00:00Z'), max: new Date('2029-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const monthEndAnchorArb = fc.integer({ min: 29, max: 31 });
const intervalArb: fc.Arbitrary<BillingInterval> = fc.oneof(
  fc.integer({ min: 1, max: 365 }).map((days) => ({ kind: 'days' as const, days })),
  fc.integer({ min: 1, max: 31 }).map((day) => ({ kind: 'day-of-month' as const, day })),
);

const schedule = (first: string, interval: BillingInterval, count = CHARGES): string[] =>
  Array.from({ length: count }, (_, i) => chargeDate(first, interval, i + 1));

describe('billing schedule (properties)', () => {
  it('when a plan charges on day 29, 30 or 31, then each charge is that day or the last day of a shorter month, a month apart', (t) => {
    holds(
      t,
      fc.property(dayArb, monthEndAnchorArb, (first, day) => {
        const dates = schedule(first, { kind: 'day-of-month', day });
        return dates.every((date, i) => {
          const [year, month, dayOfMonth] = parts(date);
          if (!isCalendarDate(date) || dayOfMonth !== Math.min(day, lastDayOfMonth(year, month))) return false;
          if (i === 0) return true;
          const [prevYear, prevMonth] = parts(dates[i - 1] as string);
          const gap = epochDays(date) - epochDays(dates[i - 1] as string);
          return year * 12 + month === prevYear * 12 + prevMonth + 1 && gap >= 28 && gap <= 31;
        });
      }),
      200,
    );
  });

  it('when a day-of-month plan starts, then its first charge is the first such day on or after the first charge date', (t) => {
    holds(
      t,
      fc.property(dayArb, fc.integer({ min: 1, max: 31 }), (first, day) => {
        const charge = chargeDate(first, { kind: 'day-of-month', day }, 1);
        const wait = epochDays(charge) - epochDays(first);
        // No day between the first charge date and the first charge is itself a charge day.
        const skipped = Array.from({ length: Math.max(0, wait) }, (_, i) => parts(addDays(first, i))).some(
          ([year, month, dayOfMonth]) => dayOfMonth === Math.min(day, lastDayOfMonth(year, month)),
        );
        return wait >= 0 && wait <= 31 && !skipped;
      }),
      1000,
    );
  });

  it('when periods follow each other, then each ends the day the next starts and none is empty', (t) => {
    holds(
      t,
      fc.property(dayArb, intervalArb, fc.integer({ min: 1, max: 120 }), (first, interval, sequence) => {
        const period = billingPeriod(first, interval, sequence);
        const next = billingPeriod(first, interval, sequence + 1);
        return period.end === next.start && daysBetween(period.start, period.end) >= shortestPeriodDays(interval);
      }),
      1000,
    );
  });

  it('when a plan repeats every N days, then charges are exactly N days apart from the first charge date', (t) => {
    holds(
      t,
      fc.property(
        dayArb,
        fc.integer({ min: 1, max: 365 }),
        fc.integer({ min: 1, max: 60 }),
        (first, days, sequence) => {
          const interval: BillingInterval = { kind: 'days', days };
          const charge = chargeDate(first, interval, sequence);
          const next = chargeDate(first, interval, sequence + 1);
          return (
            epochDays(charge) - epochDays(first) === days * (sequence - 1) &&
            epochDays(next) - epochDays(charge) === days
          );
        },
      ),
      1000,
    );
  });

  it('when any schedule runs, then its dates strictly increase and no gap is shorter than the shortest period', (t) => {
    holds(
      t,
      fc.property(dayArb, intervalArb, (first, interval) => {
        const dates = schedule(first, interval, 24);
        const shortest = shortestPeriodDays(interval);
        return dates.slice(1).every((date, i) => epochDays(date) - epochDays(dates[i] as string) >= shortest);
      }),
      200,
    );
  });

  it('when a day 29, 30 or 31 plan crosses February, then a leap year charges 29 February and any other year 28 February', (t) => {
    holds(
      t,
      fc.property(dayArb, monthEndAnchorArb, (first, day) => {
        // 49 monthly charges always cross a leap February.
        const februaries = schedule(first, { kind: 'day-of-month', day }, 49).filter((date) => parts(date)[1] === 2);
        return (
          februaries.some((date) => date.endsWith('-02-29')) &&
          februaries.every((date) => {
            const [year, , dayOfMonth] = parts(date);
            return dayOfMonth === (isLeap(year) ? 29 : 28);
          })
        );
      }),
      200,
    );
  });

  it('when an interval is validated, then exactly days 1..365 and day of month 1..31 pass, anything else is a RangeError', (t) => {
    const valueArb = fc.oneof(
      fc.integer({ min: -1000, max: 1000 }),
      fc.constantFrom(-1, 0, 1, 2, 30, 31, 32, 364, 365, 366), // the edges of both ranges
      fc.double(),
      fc.constantFrom(NaN, Infinity, 0.5, 31.5),
    );
    holds(
      t,
      fc.property(fc.constantFrom('days' as const, 'day-of-month' as const), valueArb, (kind, value) => {
        const interval: BillingInterval = kind === 'days' ? { kind, days: value } : { kind, day: value };
        const valid = Number.isInteger(value) && value >= 1 && value <= (kind === 'days' ? 365 : 31);
        try {
          assertBillingInterval(interval);
          return valid;
        } catch (error) {
          return !valid && error instanceof RangeError;
        }
      }),
      1000,
    );
  });

  it('when days are added and counted, then they agree, and a built date is always a real date', (t) => {
    holds(
      t,
      fc.property(
        dayArb,
        fc.integer({ min: -3000, max: 3000 }),
        fc.integer({ min: 2000, max: 2100 }),
        fc.integer({ min: -30, max: 30 }),
        fc.integer({ min: 1, max: 31 }),
        (date, days, year, month, day) => {
          const built = calendarDate(year, month, day);
          return (
            daysBetween(date, addDays(date, days)) === days &&
            epochDays(addDays(date, days)) - epochDays(date) === days &&
            isCalendarDate(built) &&
            parts(built)[2] === Math.min(day, lastDayOfMonth(...(parts(built).slice(0, 2) as [number, number])))
          );
        },
      ),
      1000,
    );
  });
});
