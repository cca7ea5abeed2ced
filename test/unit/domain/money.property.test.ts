// Property tests for money's wire formats: exact round trips for exponents 0, 2 and 3, refusals where not exact.
import { describe, it, type TestContext } from 'node:test';
import fc from 'fast-check';
import { CURRENCIES } from '../../../src/domain/currencies.js';
import { decimalToMinor } from '../../../src/domain/decimal-amount.js';
import {
  currencyInfo,
  formatActionAmount,
  formatMoney,
  formatRppAmount,
  MAX_MINOR,
  money,
  parseMoney,
  parseRppAmount,
  type CurrencyInfo,
} from '../../../src/domain/money.js';

/** fc.assert over `numRuns` cases; the test reports how many it ran. */
function holds<Ts>(t: TestContext, property: fc.IProperty<Ts>, numRuns: number): void {
  fc.assert(property, {
    numRuns,
    plugins: [() => ({ onAllRunsComplete: (details) => t.diagnostic(`${details.numRuns} cases`) })],
  });
}

function throwsRange(call: () => unknown): boolean {
  try {
    call();
    return false;
  } catch (error) {
    return error instanceof RangeError;
  }
}

const currencies = [...new Map([...CURRENCIES.values()].map((c) => [c.alpha, c])).values()];
const withExponent = (exponent: number): CurrencyInfo[] => currencies.filter((c) => c.exponent === exponent);
const currencyArb = fc.constantFrom(...currencies);
const minorArb = fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: MAX_MINOR }));
/** The decimal text of `minor` units with `exponent` decimals, built with BigInt as the oracle. */
const decimalOf = (minor: number, exponent: number): string => {
  if (exponent === 0) return String(minor);
  const scale = 10n ** BigInt(exponent);
  return `${BigInt(minor) / scale}.${String(BigInt(minor) % scale).padStart(exponent, '0')}`;
};

describe('money (properties)', () => {
  it('when the currency table is read, then every exponent is 0, 2 or 3 and each of them has a currency', () => {
    for (const exponent of [0, 2, 3])
      if (withExponent(exponent).length === 0) throw new Error(`no exponent ${exponent}`);
    if (currencies.some((c) => ![0, 2, 3].includes(c.exponent))) throw new Error('an exponent without properties');
  });

  it('when an amount is formatted and parsed back, then it is the same amount, with exactly the currency decimals', (t) => {
    holds(
      t,
      fc.property(minorArb, currencyArb, (minor, { alpha, exponent }) => {
        const text = formatMoney(money(minor, alpha));
        const back = parseMoney(text, alpha);
        return text === decimalOf(minor, exponent) && back.minor === minor && back.currency === alpha;
      }),
      1000,
    );
  });

  it('when a decimal has fewer decimals than the currency, then it parses as padded; more, and it is a RangeError', (t) => {
    holds(
      t,
      fc.property(
        fc.bigInt({ min: 0n, max: 999_999_999n }),
        currencyArb,
        fc.stringMatching(/^\d{0,8}$/),
        (whole, { alpha, exponent }, fraction) => {
          const text = fraction === '' ? String(whole) : `${whole}.${fraction}`;
          if (fraction.length > exponent) return throwsRange(() => parseMoney(text, alpha));
          const minor = whole * 10n ** BigInt(exponent) + BigInt(fraction.padEnd(exponent, '0') || '0');
          if (minor > BigInt(MAX_MINOR)) return throwsRange(() => parseMoney(text, alpha));
          return parseMoney(text, alpha).minor === Number(minor);
        },
      ),
      1000,
    );
  });

  it('when a decimal is not plain digits, then parsing it is a RangeError', (t) => {
    const junkArb = fc.oneof(
      fc.string().filter((s) => !/^\d{1,15}(\.\d+)?$/.test(s)),
      minorArb.map((n) => `-${n}`),
      minorArb.map((n) => `${n}e2`),
      minorArb.map((n) => ` ${n}`),
      minorArb.map((n) => `${n}.`),
      minorArb.map((n) => `.${n}`),
    );
    holds(
      t,
      fc.property(junkArb, currencyArb, (text, { alpha }) => throwsRange(() => parseMoney(text, alpha))),
      1000,
    );
  });

  it('when an actionAmount is written for 0 or 2 decimals, then it has two decimals and reads back exactly', (t) => {
    // actionAmount is D(10,2): a zero-decimal amount gains ".00", so only up to 10 digits fit.
    holds(
      t,
      fc.property(minorArb, fc.constantFrom(...withExponent(0), ...withExponent(2)), (minor, { alpha, exponent }) => {
        const fits = exponent === 2 || minor <= 9_999_999_999;
        if (!fits) return throwsRange(() => formatActionAmount(money(minor, alpha)));
        const text = formatActionAmount(money(minor, alpha));
        return /^\d{1,10}\.\d{2}$/.test(text) && decimalToMinor(text, alpha) === minor;
      }),
      1000,
    );
  });

  it('when an actionAmount is written for 3 decimals, then it is exact or a RangeError, never rounded', (t) => {
    holds(
      t,
      fc.property(minorArb, fc.constantFrom(...withExponent(3)), (minor, { alpha }) => {
        if (minor % 10 !== 0) return throwsRange(() => formatActionAmount(money(minor, alpha)));
        const text = formatActionAmount(money(minor, alpha));
        return /^\d+\.\d{2}$/.test(text) && decimalToMinor(text, alpha) === minor;
      }),
      1000,
    );
  });

  it('when an RPP amount is written, then it is 12 digits of minor units and reads back as the same money', (t) => {
    holds(
      t,
      fc.property(minorArb, currencyArb, (minor, { alpha }) => {
        const text = formatRppAmount(money(minor, alpha));
        const back = parseRppAmount(text, alpha);
        return (
          /^\d{12}$/.test(text) && BigInt(text) === BigInt(minor) && back.minor === minor && back.currency === alpha
        );
      }),
      1000,
    );
  });

  it('when 2C2P sends a D(12,5) amount with trailing zeros, then it reads as the exact minor units', (t) => {
    holds(
      t,
      fc.property(minorArb, currencyArb, fc.nat({ max: 5 }), (minor, { alpha, exponent }, extra) => {
        const text = decimalOf(minor, exponent);
        const point = exponent === 0 ? `${text}.` : text;
        const zeros = Math.min(extra, 5 - exponent);
        const padded = zeros === 0 ? text : point + '0'.repeat(zeros);
        const overPrecise = `${point}${'0'.repeat(4 - exponent)}1`; // a real digit past the exponent, within 5 decimals
        return decimalToMinor(padded, alpha) === minor && throwsRange(() => decimalToMinor(overPrecise, alpha));
      }),
      1000,
    );
  });

  it('when minor units are not a whole number from 0 to 12 digits, then money() refuses them', (t) => {
    const badArb = fc.oneof(
      fc.integer({ min: MAX_MINOR + 1, max: Number.MAX_SAFE_INTEGER }),
      fc.integer({ min: Number.MIN_SAFE_INTEGER, max: -1 }),
      fc.double().filter((x) => !Number.isInteger(x)),
      fc.constantFrom(NaN, Infinity, -Infinity, 2 ** 53),
    );
    holds(
      t,
      fc.property(
        badArb,
        currencyArb,
        (minor, { alpha }) =>
          throwsRange(() => money(minor, alpha)) && throwsRange(() => formatRppAmount({ minor, currency: alpha })),
      ),
      500,
    );
  });

  it('when a currency is looked up by alpha, numeric or lower-case code, then each finds the same currency', (t) => {
    holds(
      t,
      fc.property(currencyArb, (c) => {
        const byNumeric = currencyInfo(c.numeric);
        const byLower = currencyInfo(c.alpha.toLowerCase());
        return byNumeric === byLower && byNumeric.alpha === c.alpha && /^\d{3}$/.test(c.numeric);
      }),
      200,
    );
  });
});
