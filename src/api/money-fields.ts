// Reads the API's decimal amounts and currency codes into minor units, naming the field on failure (422).
import { currencyInfo, formatMoney, parseMoney } from '../domain/money.js';
import { unprocessable } from './problem.js';

/** The currency code if the currency table knows it as an alphabetic code; 422 naming `field` otherwise. */
export function readCurrency(field: string, code: string): string {
  let known: boolean;
  try {
    known = /^[A-Z]{3}$/.test(code) && currencyInfo(code).alpha === code;
  } catch {
    known = false;
  }
  if (!known)
    throw unprocessable(field, `${JSON.stringify(code)} is not a supported ISO 4217 alphabetic currency code`);
  return code;
}

/** Minor units of a decimal amount in `currency`; 422 naming `field` for too many decimals, a sign, NaN or a huge value. */
export function readAmount(
  field: string,
  decimal: string,
  currency: string,
  options: { allowZero?: boolean } = {},
): number {
  let minor: number;
  try {
    minor = parseMoney(decimal, currency).minor;
  } catch (error) {
    // parseMoney's RangeError says what is wrong with the amount (decimals, sign, size); it holds no secrets.
    const reason = error instanceof RangeError ? error.message : 'is not a decimal amount';
    throw unprocessable(field, reason);
  }
  if (minor === 0 && !options.allowZero) throw unprocessable(field, 'must be greater than zero');
  return minor;
}

/** A minor-unit amount as the API's decimal string. */
export function decimalOf(minor: number, currency: string): string {
  return formatMoney({ minor, currency });
}
