import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatDdMMyyHHmmss,
  formatDdMMyyyy,
  formatYyyyMMddHHmmss,
  parseDdMMyyHHmmss,
  parseDdMMyyyy,
  parseYyyyMMddHHmmss,
} from '../../../src/domain/wire-dates.js';

describe('2C2P wire dates', () => {
  const instant = new Date(Date.UTC(2026, 1, 28, 7, 5, 9)); // 28 Feb 2026 07:05:09 UTC

  it('when an instant is written in each 2C2P format, then the digits are exact and read back', () => {
    assert.equal(formatDdMMyyyy(instant), '28022026');
    assert.equal(formatDdMMyyHHmmss(instant), '280226070509');
    assert.equal(formatYyyyMMddHHmmss(instant), '20260228070509');
    assert.equal(parseDdMMyyHHmmss('280226070509').getTime(), instant.getTime());
    assert.equal(parseYyyyMMddHHmmss('20260228070509').getTime(), instant.getTime());
    assert.equal(formatDdMMyyyy(parseDdMMyyyy('31122026')), '31122026');
  });

  it('when a date is impossible or malformed, then it is refused rather than rolled over', () => {
    for (const text of ['30022026', '32012026', '2802026', 'ab022026', ''])
      assert.throws(() => parseDdMMyyyy(text), `ddMMyyyy ${text}`);
    for (const text of ['20260230070509', '20260228250509', '2026022807050'])
      assert.throws(() => parseYyyyMMddHHmmss(text), `yyyyMMddHHmmss ${text}`);
  });
});
