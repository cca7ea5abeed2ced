// Parses decimal amounts as 2C2P receives them (actionAmount strings, PGW JSON numbers) into Money.
import { currencyInfo, money, type Money } from '../domain/money.js';

/**
 * Converts a decimal text to minor units of `currency`. Decimals beyond the currency's exponent
 * are accepted only when they are zeros (`1000.00` JPY is 1000). RangeError otherwise.
 */
export function decimalToMoney(text: string, currency: string, maxDecimals = 5): Money {
  const match = /^(\d{1,12})(?:\.(\d+))?$/.exec(text);
  if (!match || (match[2] ?? '').length > maxDecimals) throw new RangeError('amount: not a valid decimal');
  const exponent = currencyInfo(currency).exponent;
  const fraction = match[2] ?? '';
  if (/[^0]/.test(fraction.slice(exponent))) throw new RangeError('amount: more decimals than the currency has');
  const digits = `${match[1]}${fraction.slice(0, exponent).padEnd(exponent, '0')}`.replace(/^0+(?=\d)/, '');
  if (digits.length > 12) throw new RangeError('amount: more than 12 digits of minor units');
  return money(Number(digits), currency);
}

/** A PaymentAction actionAmount: D(10,2), e.g. `25.00`. */
export function parseActionAmount(text: string, currency: string): Money {
  if (!/^\d{1,10}(\.\d{1,2})?$/.test(text))
    throw new RangeError('actionAmount: expected up to 10 digits and 2 decimals');
  return decimalToMoney(text, currency, 2);
}

/** A PGW JSON amount: a number (`1000.00` arrives as 1000) or a numeric string (`"10"`). */
export function parsePgwAmount(value: unknown, currency: string): Money {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new RangeError('amount: not a valid number');
    return decimalToMoney(String(value), currency);
  }
  if (typeof value === 'string') return decimalToMoney(value.trim(), currency);
  throw new RangeError('amount: expected a number or a numeric string');
}
