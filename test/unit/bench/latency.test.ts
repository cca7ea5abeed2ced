import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { percentile, summarize } from '../../../bench/latency.js';

describe('bench latency summary', () => {
  it('when given 100 samples 1..100, then nearest-rank p50 is 50 and p99 is 99', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    const summary = summarize(samples);
    assert.deepEqual(
      { p50: summary.p50Ms, p90: summary.p90Ms, p99: summary.p99Ms, max: summary.maxMs, mean: summary.meanMs },
      { p50: 50, p90: 90, p99: 99, max: 100, mean: 50.5 },
    );
  });

  it('when given one sample, then every percentile is that sample; none is an error', () => {
    assert.equal(percentile([7], 1), 7);
    assert.equal(percentile([7], 99), 7);
    assert.throws(() => percentile([], 50), RangeError);
  });
});
