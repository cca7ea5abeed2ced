// ISO 4217 currencies 2C2P merchants settle in: alpha code, numeric code and minor-unit exponent.
import type { CurrencyInfo } from './money.js';

const TABLE: ReadonlyArray<[alpha: string, numeric: string, exponent: number]> = [
  ['AUD', '036', 2],
  ['BND', '096', 2],
  ['CAD', '124', 2],
  ['CHF', '756', 2],
  ['CNY', '156', 2],
  ['EUR', '978', 2],
  ['GBP', '826', 2],
  ['HKD', '344', 2],
  ['IDR', '360', 2],
  ['INR', '356', 2],
  ['JPY', '392', 0],
  ['KHR', '116', 2],
  ['KRW', '410', 0],
  ['LAK', '418', 2],
  ['MMK', '104', 2],
  ['MYR', '458', 2],
  ['NZD', '554', 2],
  ['PHP', '608', 2],
  ['SGD', '702', 2],
  ['THB', '764', 2],
  ['TWD', '901', 2],
  ['USD', '840', 2],
  ['VND', '704', 0],
  ['KWD', '414', 3],
  ['BHD', '048', 3],
];

/** Every known currency, by alpha and by numeric code. */
export const CURRENCIES: ReadonlyMap<string, CurrencyInfo> = new Map(
  TABLE.flatMap(([alpha, numeric, exponent]) => {
    const info: CurrencyInfo = { alpha, numeric, exponent };
    return [
      [alpha, info],
      [numeric, info],
    ];
  }),
);
