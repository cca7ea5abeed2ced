// Money as integer minor units of an ISO 4217 currency, and its 2C2P wire formats. Never floats.
import { CURRENCIES } from './currencies.js';

/** An amount in minor units (a safe integer ≥ 0) of an ISO 4217 alpha currency. */
export interface Money {
  readonly minor: number;
  readonly currency: string;
}

/** A currency's codes and how many decimals its minor unit has. */
export interface CurrencyInfo {
  alpha: string;
  numeric: string;
  exponent: number;
}

/** 2C2P's largest amount: 12 digits of minor units (N12). */
export const MAX_MINOR = 999_999_999_999;

/** Looks a currency up by alpha (SGD) or numeric (702) code; RangeError when unknown. */
export function currencyInfo(code: string): CurrencyInfo {
  const info = CURRENCIES.get(code.toUpperCase());
  if (!info) throw new RangeError(`unknown currency ${JSON.stringify(code)}`);
  return info;
}

/**
 * The ISO 4217 alphabetic code of a currency given alphabetically or numerically ("702" → "SGD"), also a
 * numeric code that lost its leading zeros as a JSON number (36 for AUD's 036); RangeError when unknown.
 */
export function alphaCurrencyCode(code: string): string {
  return currencyInfo(/^\d{1,2}$/.test(code) ? code.padStart(3, '0') : code).alpha;
}

/** A validated Money from minor units. */
export function money(minor: number, currency: string): Money {
  const { alpha } = currencyInfo(currency);
  if (!Number.isSafeInteger(minor) || minor < 0)
    throw new RangeError(`amount must be whole minor units ≥ 0, got ${minor}`);
  if (minor > MAX_MINOR) throw new RangeError(`amount exceeds 12 digits of minor units`);
  return { minor, currency: alpha };
}

/** Parses a decimal string ('99.90') in a currency; RangeError on more decimals than the currency has, signs, exponents or NaN. */
export function parseMoney(decimal: string, currency: string): Money {
  const { alpha, exponent } = currencyInfo(currency);
  if (typeof decimal !== 'string') throw new RangeError('amount must be a decimal string such as "99.90"');
  const match = /^(\d{1,15})(?:\.(\d+))?$/.exec(decimal);
  if (!match) throw new RangeError(`amount must be a decimal string such as "99.90", got ${JSON.stringify(decimal)}`);
  const fraction = match[2] ?? '';
  if (fraction.length > exponent) {
    throw new RangeError(
      `${alpha} amounts have at most ${exponent} decimal${exponent === 1 ? '' : 's'}, got ${JSON.stringify(decimal)}`,
    );
  }
  return money(Number((match[1] ?? '0') + fraction.padEnd(exponent, '0')), alpha);
}

/** The amount as a decimal string with the currency's decimals ('99.90'; JPY '1000'). */
export function formatMoney(m: Money): string {
  const { exponent } = currencyInfo(m.currency);
  if (exponent === 0) return String(m.minor);
  const digits = String(m.minor).padStart(exponent + 1, '0');
  return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** PaymentAction actionAmount: always two decimals ('25.00'; JPY 1000 → '1000.00'); RangeError if it cannot be exact. */
export function formatActionAmount(m: Money): string {
  const { exponent } = currencyInfo(m.currency);
  if (exponent <= 2) return formatMoney(money(m.minor * 10 ** (2 - exponent), 'USD'));
  const cut = 10 ** (exponent - 2);
  if (m.minor % cut !== 0) throw new RangeError(`${formatMoney(m)} ${m.currency} cannot be written with two decimals`);
  return formatMoney(money(m.minor / cut, 'USD'));
}

/** RPP amount: 12-digit zero-padded minor units ('000000009990'). */
export function formatRppAmount(m: Money): string {
  money(m.minor, m.currency);
  return String(m.minor).padStart(12, '0');
}

/** Reads a 12-digit RPP amount back into Money. */
export function parseRppAmount(twelveDigits: string, currency: string): Money {
  if (!/^\d{1,12}$/.test(twelveDigits))
    throw new RangeError(`expected up to 12 digits, got ${JSON.stringify(twelveDigits)}`);
  return money(Number(twelveDigits), currency);
}
