// The webhook retry schedule: the first retry within a minute, doubling, capped, and given up after 3 days.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DELIVERY_WINDOW_MS, LONGEST_RETRY_MS, retryDelayMs, shouldRetry } from '../../../src/domain/webhook-retry.js';

describe('webhook retry schedule', () => {
  it('when attempts fail, then the waits double from 30 s and never pass 6 h', () => {
    assert.deepEqual([1, 2, 3, 4].map(retryDelayMs), [30_000, 60_000, 120_000, 240_000]);
    assert.equal(retryDelayMs(12), LONGEST_RETRY_MS);
    assert.equal(retryDelayMs(500), LONGEST_RETRY_MS);
    assert.throws(() => retryDelayMs(0), RangeError);
  });

  it('when every attempt fails, then attempts stop once the next would start after 3 days, and not before', () => {
    let elapsed = 0;
    let attempt = 1;
    while (shouldRetry(attempt, elapsed)) {
      elapsed += retryDelayMs(attempt);
      attempt += 1;
    }
    assert.ok(elapsed <= DELIVERY_WINDOW_MS);
    assert.ok(elapsed + retryDelayMs(attempt) > DELIVERY_WINDOW_MS);
    assert.ok(elapsed > DELIVERY_WINDOW_MS - LONGEST_RETRY_MS);
  });
});
