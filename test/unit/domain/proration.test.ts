import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { proratedAmount, unusedDays } from '../../../src/domain/proration.js';

const january = { start: '2027-01-01', end: '2027-01-31' }; // 30 days

describe('proration', () => {
  const table: Array<[string, number, string, number]> = [
    ['cancelled on the first day: that day is used', 3000, '2027-01-01', 2900],
    ['cancelled mid-period', 3000, '2027-01-16', 1400],
    ['cancelled on the last day', 3000, '2027-01-30', 0],
    ['cancelled after the period', 3000, '2027-02-10', 0],
    ['cancelled before the period started: all unused', 3000, '2026-12-20', 3000],
    ['a fraction of a minor unit is rounded down', 999, '2027-01-02', 932], // 999 × 28 / 30 = 932.4
    ['a zero-decimal amount', 1000, '2027-01-21', 300],
  ];
  for (const [title, amount, today, expected] of table) {
    it(`when ${title}, then the refund is ${expected} minor units`, () => {
      assert.equal(proratedAmount(amount, january, today), expected);
    });
  }

  it('when the amount is at the 12-digit limit, then the arithmetic stays exact', () => {
    assert.equal(proratedAmount(999_999_999_999, january, '2027-01-01'), 966_666_666_665);
  });

  it('when unused days are counted, then they are clamped to the period', () => {
    assert.equal(unusedDays(january, '2026-01-01'), 30);
    assert.equal(unusedDays(january, '2028-01-01'), 0);
  });

  it('when the amount is not whole minor units, then it is a RangeError', () => {
    assert.throws(() => proratedAmount(10.5, january, '2027-01-02'), RangeError);
    assert.throws(() => proratedAmount(-1, january, '2027-01-02'), RangeError);
  });
});
