// Checks what a caller gives the client before anything is sent: bad input never reaches 2C2P.
import { money, type Money } from '../domain/money.js';

/** A validated Money (RangeError on float, negative, unknown currency or more than 12 digits). */
export function checkMoney(value: Money, field: string): Money {
  if (!value || typeof value !== 'object') throw new TypeError(`${field} must be a Money { minor, currency }`);
  try {
    return money(value.minor, value.currency);
  } catch (error) {
    throw new RangeError(`${field}: ${(error as Error).message}`, { cause: error });
  }
}

/** A non-empty printable string of at most `max` characters. */
export function checkText(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.trim() === '') throw new TypeError(`${field} is required`);
  if (value.length > max) throw new RangeError(`${field} is longer than ${max} characters`);
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f]/.test(value)) throw new RangeError(`${field} contains control characters`);
  return value;
}

/** recurringUniqueID: up to 20 digits (N20). */
export function checkRecurringId(value: unknown): string {
  if (typeof value !== 'string' || !/^\d{1,20}$/.test(value))
    throw new RangeError('recurringUniqueID must be 1 to 20 digits');
  return value;
}

/** A whole number within [min, max]. */
export function checkInteger(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${field} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/** A valid Date. */
export function checkDate(value: unknown, field: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new TypeError(`${field} must be a valid Date`);
  return value;
}

/** A day of month and month for chargeOnDate. */
export function checkDayOfMonth(value: { day: number; month: number }): { day: number; month: number } {
  return {
    day: checkInteger(value?.day, 'chargeOnDate.day', 1, 31),
    month: checkInteger(value?.month, 'chargeOnDate.month', 1, 12),
  };
}
