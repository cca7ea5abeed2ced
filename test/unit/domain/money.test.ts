import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decimalToMinor } from '../../../src/domain/decimal-amount.js';
import {
  currencyInfo,
  formatActionAmount,
  formatMoney,
  formatRppAmount,
  money,
  parseMoney,
  parseRppAmount,
} from '../../../src/domain/money.js';

describe('money', () => {
  const parsing: Array<[string, string, number]> = [
    ['99.90', 'SGD', 9990],
    ['99.9', 'SGD', 9990],
    ['0.01', 'THB', 1],
    ['1000', 'JPY', 1000],
    ['1.234', 'KWD', 1234],
    ['9999999999.99', 'SGD', 999_999_999_999],
  ];
  for (const [text, currency, minor] of parsing) {
    it(`when "${text}" ${currency} is parsed, then it is ${minor} minor units`, () => {
      assert.deepEqual(parseMoney(text, currency), { minor, currency });
    });
  }

  const refused: Array<[string, string]> = [
    ['99.901', 'SGD'],
    ['1.5', 'JPY'],
    ['-1.00', 'SGD'],
    ['NaN', 'SGD'],
    ['1e3', 'SGD'],
    ['', 'SGD'],
    [' 1.00', 'SGD'],
    ['10000000000.00', 'SGD'],
    ['1.00', 'XXX'],
  ];
  for (const [text, currency] of refused) {
    it(`when "${text}" ${currency} is parsed, then it is a RangeError`, () => {
      assert.throws(() => parseMoney(text, currency), RangeError);
    });
  }

  it('when amounts are formatted, then each currency keeps its exponent', () => {
    assert.equal(formatMoney(money(9990, 'SGD')), '99.90');
    assert.equal(formatMoney(money(5, 'SGD')), '0.05');
    assert.equal(formatMoney(money(1000, 'JPY')), '1000');
    assert.equal(formatMoney(money(1234, 'KWD')), '1.234');
  });

  it('when an actionAmount is written, then it always has two decimals', () => {
    assert.equal(formatActionAmount(money(2500, 'SGD')), '25.00');
    assert.equal(formatActionAmount(money(1000, 'JPY')), '1000.00');
    assert.equal(formatActionAmount(money(1230, 'KWD')), '1.23');
    assert.throws(() => formatActionAmount(money(1234, 'KWD')), RangeError);
  });

  it('when an RPP amount is written, then it is 12 digits of minor units and reads back', () => {
    assert.equal(formatRppAmount(money(9990, 'SGD')), '000000009990');
    assert.equal(formatRppAmount(money(1000, 'JPY')), '000000001000');
    assert.deepEqual(parseRppAmount('000000009990', 'SGD'), money(9990, 'SGD'));
    assert.throws(() => parseRppAmount('0000000099.90', 'SGD'), RangeError);
  });

  it('when a currency is looked up by alpha or numeric code, then both agree', () => {
    assert.deepEqual(currencyInfo('702'), { alpha: 'SGD', numeric: '702', exponent: 2 });
    assert.deepEqual(currencyInfo('thb'), currencyInfo('764'));
    assert.throws(() => currencyInfo('ZZZ'), RangeError);
  });

  it('when minor units are not a safe whole number, then money() refuses them', () => {
    assert.throws(() => money(1.5, 'SGD'), RangeError);
    assert.throws(() => money(-1, 'SGD'), RangeError);
    assert.throws(() => money(1e12, 'SGD'), RangeError);
  });

  it('when 2C2P sends a D(12,5) amount, then trailing zeros are accepted and real extra digits refused', () => {
    assert.equal(decimalToMinor('230.87000', 'THB'), 23087);
    assert.equal(decimalToMinor('1000', 'SGD'), 100000);
    assert.throws(() => decimalToMinor('230.871', 'THB'), RangeError);
  });
});
