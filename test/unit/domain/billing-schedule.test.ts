import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertBillingInterval, billingPeriod, chargeDate } from '../../../src/domain/billing-schedule.js';
import { calendarDate, parseCalendarDate } from '../../../src/domain/calendar-date.js';

describe('billing schedule', () => {
  it('when a plan charges on day 31, then shorter months charge on their last day', () => {
    const dates = Array.from({ length: 6 }, (_, i) =>
      chargeDate('2027-01-31', { kind: 'day-of-month', day: 31 }, i + 1),
    );
    assert.deepEqual(dates, ['2027-01-31', '2027-02-28', '2027-03-31', '2027-04-30', '2027-05-31', '2027-06-30']);
  });

  it('when the year is a leap year, then day 30 falls on 29 February', () => {
    assert.equal(chargeDate('2028-01-30', { kind: 'day-of-month', day: 30 }, 2), '2028-02-29');
  });

  it('when the first charge date is after the day in its month, then the schedule starts next month', () => {
    assert.equal(chargeDate('2027-03-20', { kind: 'day-of-month', day: 5 }, 1), '2027-04-05');
    assert.equal(chargeDate('2027-12-20', { kind: 'day-of-month', day: 5 }, 2), '2028-02-05');
  });

  it('when a plan repeats every N days, then charges are N days apart across month and year ends', () => {
    assert.equal(chargeDate('2027-12-15', { kind: 'days', days: 30 }, 2), '2028-01-14');
    assert.equal(chargeDate('2027-01-01', { kind: 'days', days: 7 }, 53), '2027-12-31');
  });

  it('when asked for a period, then it runs from one charge to the next', () => {
    assert.deepEqual(billingPeriod('2027-01-31', { kind: 'day-of-month', day: 31 }, 1), {
      start: '2027-01-31',
      end: '2027-02-28',
    });
  });

  it('when an interval is outside what 2C2P accepts, then it is a RangeError', () => {
    assert.throws(() => assertBillingInterval({ kind: 'days', days: 366 }), RangeError);
    assert.throws(() => assertBillingInterval({ kind: 'days', days: 0 }), RangeError);
    assert.throws(() => assertBillingInterval({ kind: 'day-of-month', day: 32 }), RangeError);
    assert.throws(() => chargeDate('2027-01-01', { kind: 'days', days: 1 }, 0), RangeError);
  });

  it('when a date is impossible, then parsing refuses it', () => {
    assert.throws(() => parseCalendarDate('2027-02-29'), RangeError);
    assert.throws(() => parseCalendarDate('27-02-01'), RangeError);
    assert.equal(calendarDate(2027, 13, 1), '2028-01-01');
  });
});
