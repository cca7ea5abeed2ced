// Conversions between pg's column values and the plain objects the repositories return.
// Amounts and other bigint columns come back from pg as strings; we hand them out as JS numbers,
// but only after checking they are safe integers, so a value too large for a number fails loudly.
import { createHash } from 'node:crypto';

/** Hex SHA-256 of a UTF-8 string (API keys and notification tokens are stored only as this). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A bigint/int column value as a safe JS integer; RangeError naming the column otherwise. */
export function toSafeInteger(value: unknown, column: string): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number)) throw new RangeError(`${column} is not a safe integer`);
  return number;
}

/** Like toSafeInteger, but SQL NULL stays null. */
export function toSafeIntegerOrNull(value: unknown, column: string): number | null {
  return value === null || value === undefined ? null : toSafeInteger(value, column);
}

/** A timestamptz column (pg gives a Date) as an ISO 8601 UTC string. */
export function toIso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return new Date(String(value)).toISOString();
}

/** Like toIso, but SQL NULL stays null. */
export function toIsoOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : toIso(value);
}

/** A value for a jsonb parameter: pg would turn a JS array into a PostgreSQL array, so serialise here. */
export function jsonParam(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** Checks an amount in minor units before it reaches a bigint column. */
export function assertMinor(value: number, field: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${field} must be a non-negative safe integer of minor units`);
  }
}

/** Checks an ISO 4217 alphabetic code before it reaches a char(3) column. */
export function assertCurrency(value: string, field = 'currency'): void {
  if (typeof value !== 'string' || !/^[A-Z]{3}$/.test(value)) {
    throw new RangeError(`${field} must be an ISO 4217 code of three capital letters`);
  }
}

/** Checks a required text argument. */
export function assertText(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) throw new TypeError(`${field} must be a non-empty string`);
}
