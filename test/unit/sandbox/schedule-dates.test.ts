// Plan calendar arithmetic: interval steps, month-end clamping for chargeOnDate, catching up after a pause.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  catchUpChargeDate,
  followingChargeDate,
  isValidDayOfMonth,
  nextMonthlyDay,
} from '../../../src/sandbox/schedule-dates.js';

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const iso = (d: Date) => d.toISOString().slice(0, 10);

describe('sandbox schedule dates', () => {
  it('when a plan charges on day 31, then shorter months charge on their last day', () => {
    const dates: string[] = [];
    let current = day('2025-01-31');
    for (let i = 0; i < 4; i += 1) {
      current = nextMonthlyDay(current, 31);
      dates.push(iso(current));
    }
    assert.deepEqual(dates, ['2025-02-28', '2025-03-31', '2025-04-30', '2025-05-31']);
  });

  it('when the charge day is later in the same month, then that day is next', () => {
    assert.equal(iso(nextMonthlyDay(day('2024-02-10'), 30)), '2024-02-29');
    assert.equal(iso(nextMonthlyDay(day('2024-12-15'), 15)), '2025-01-15');
  });

  it('when a plan has an interval, then the next charge is that many days later', () => {
    assert.equal(iso(followingChargeDate(day('2025-01-30'), { intervalDays: 30 })), '2025-03-01');
    assert.equal(iso(followingChargeDate(day('2025-12-31'), { intervalDays: 1 })), '2026-01-01');
  });

  it('when a plan has neither interval nor chargeOnDate, then it is a TypeError', () => {
    assert.throws(() => followingChargeDate(day('2025-01-01'), {}), TypeError);
  });

  it('when a paused plan resumes, then it catches up to the first charge date not before today', () => {
    const next = catchUpChargeDate(day('2025-01-10'), new Date('2025-03-05T12:00:00Z'), {
      chargeOnDate: { day: 10, month: 1 },
    });
    assert.equal(iso(next), '2025-03-10');
    assert.equal(iso(catchUpChargeDate(day('2025-01-01'), day('2025-01-21'), { intervalDays: 10 })), '2025-01-21');
  });

  it('when a ddMM is impossible, then it is not a valid day of month', () => {
    assert.equal(isValidDayOfMonth({ day: 29, month: 2 }), true);
    assert.equal(isValidDayOfMonth({ day: 30, month: 2 }), false);
    assert.equal(isValidDayOfMonth({ day: 31, month: 4 }), false);
    assert.equal(isValidDayOfMonth({ day: 0, month: 1 }), false);
    assert.equal(isValidDayOfMonth({ day: 1, month: 13 }), false);
  });
});
