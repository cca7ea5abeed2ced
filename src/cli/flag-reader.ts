// Reads the `recur 2c2p` flags into typed request values, rejecting malformed ones before any request.
import { currencyInfo, parseMoney, type Money } from '../domain/money.js';
import { parseDdMMyyyy, parseYyyyMMdd } from '../domain/wire-dates.js';
import { UsageError } from './usage-error.js';

/** Every flag `recur 2c2p` understands, in the shape node:util parseArgs expects. */
export const GATEWAY_FLAGS = {
  invoice: { type: 'string' },
  amount: { type: 'string' },
  currency: { type: 'string' },
  id: { type: 'string' },
  interval: { type: 'string' },
  count: { type: 'string' },
  'charge-next-date': { type: 'string' },
  'charge-on-date': { type: 'string' },
  description: { type: 'string' },
  'customer-token': { type: 'string', multiple: true },
  recurring: { type: 'boolean' },
  'invoice-prefix': { type: 'string' },
  'recurring-amount': { type: 'string' },
  'allow-accumulate': { type: 'boolean' },
  'no-allow-accumulate': { type: 'boolean' },
  'max-accumulate-amount': { type: 'string' },
  'recurring-status': { type: 'string' },
  'payment-token': { type: 'string' },
  'idempotency-id': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** A flag name of `recur 2c2p`. */
export type FlagName = keyof typeof GATEWAY_FLAGS;

/** Parsed flag values as parseArgs returns them. */
export type FlagValues = Partial<Record<FlagName, string | boolean | string[]>>;

/** Typed access to parsed flags; every failure is a UsageError naming the flag. */
export class FlagReader {
  constructor(
    private readonly values: FlagValues,
    /** Currency of every amount: --currency, else the configured default. */
    readonly currency: string,
  ) {
    try {
      if (currencyInfo(currency).alpha !== currency) throw new RangeError('not an alpha code');
    } catch {
      throw new UsageError(`--currency: ${currency} is not an ISO 4217 alpha code such as SGD`);
    }
  }

  /** Whether a flag was given at all. */
  has(name: FlagName): boolean {
    return this.values[name] !== undefined;
  }

  /** A string flag, or undefined. */
  string(name: FlagName): string | undefined {
    const value = this.values[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} needs a value`);
    return value.trim();
  }

  /** A string flag that must be present. */
  requireString(name: FlagName): string {
    const value = this.string(name);
    if (value === undefined) throw new UsageError(`--${name} is required`);
    return value;
  }

  /** A repeatable string flag (empty when absent). */
  list(name: FlagName): string[] {
    const value = this.values[name];
    return Array.isArray(value) ? value : [];
  }

  /** A boolean switch. */
  flag(name: FlagName): boolean {
    return this.values[name] === true;
  }

  /** A decimal amount in the command's currency, e.g. 99.90, or undefined. */
  money(name: FlagName): Money | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    try {
      return parseMoney(text, this.currency);
    } catch (error) {
      throw new UsageError(`--${name}: ${text} is not a valid ${this.currency} amount (${(error as Error).message})`);
    }
  }

  /** A decimal amount that must be present. */
  requireMoney(name: FlagName): Money {
    const amount = this.money(name);
    if (amount === undefined) throw new UsageError(`--${name} is required`);
    return amount;
  }

  /** A whole number within [min, max], or undefined. */
  integer(name: FlagName, min: number, max: number): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const value = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(value >= min && value <= max))
      throw new UsageError(`--${name}: expected a whole number from ${min} to ${max}, got ${text}`);
    return value;
  }

  /** A calendar date given as ddMMyyyy or yyyy-mm-dd (UTC midnight), or undefined. */
  date(name: FlagName): Date | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    try {
      if (/^\d{8}$/.test(text)) return parseDdMMyyyy(text);
      if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return parseYyyyMMdd(text.replaceAll('-', ''));
    } catch {
      // Falls through to the one message for every malformed or impossible date.
    }
    throw new UsageError(`--${name}: expected a date as ddMMyyyy or yyyy-mm-dd, got ${text}`);
  }

  /** A day of the month and month given as ddMM (e.g. 0103 for 1 March), or undefined. */
  dayMonth(name: FlagName): { day: number; month: number } | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const day = Number(text.slice(0, 2));
    const month = Number(text.slice(2, 4));
    if (!/^\d{4}$/.test(text) || day < 1 || day > 31 || month < 1 || month > 12) {
      throw new UsageError(`--${name}: expected ddMM such as 0103, got ${text}`);
    }
    return { day, month };
  }

  /** --allow-accumulate / --no-allow-accumulate as a boolean, or undefined when neither is given. */
  accumulate(): boolean | undefined {
    const yes = this.flag('allow-accumulate');
    const no = this.flag('no-allow-accumulate');
    if (yes && no) throw new UsageError('--allow-accumulate and --no-allow-accumulate contradict each other');
    return yes ? true : no ? false : undefined;
  }
}
