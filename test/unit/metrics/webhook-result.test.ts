// The webhook delivery result label: fixed values for every answer or failure.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { webhookDeliveryResult } from '../../../src/metrics/webhook-result.js';

describe('webhook delivery result', () => {
  it('when attempts end in each way, then each gets one of the fixed values', () => {
    const cases: Array<[{ httpStatus?: number; timedOut?: boolean }, string]> = [
      [{ httpStatus: 200 }, 'succeeded'],
      [{ httpStatus: 204 }, 'succeeded'],
      [{ httpStatus: 301 }, 'http_3xx'],
      [{ httpStatus: 410 }, 'http_4xx'],
      [{ httpStatus: 503 }, 'http_5xx'],
      [{ httpStatus: 101 }, 'http_5xx'],
      [{ timedOut: true }, 'timeout'],
      [{}, 'network_error'],
    ];
    for (const [attempt, expected] of cases)
      assert.equal(webhookDeliveryResult(attempt), expected, JSON.stringify(attempt));
  });
});
