// Reads 2C2P's D(12,5) decimal amounts ("230.87", "1000.00000") into integer minor units, exactly.
import { currencyInfo } from './money.js';

/** Converts a decimal string to minor units of `currency`; RangeError when it has non-zero digits past the exponent. */
export function decimalToMinor(amount: string, currency: string): number {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) throw new RangeError(`not a decimal amount: ${JSON.stringify(amount)}`);
  const { exponent } = currencyInfo(currency);
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > exponent) throw new RangeError(`${amount} has more decimals than ${currency} allows`);
  const minor = Number(whole + fraction.padEnd(exponent, '0'));
  if (!Number.isSafeInteger(minor)) throw new RangeError(`${amount} is too large`);
  return minor;
}
