// The result label of a 2C2P exchange: its respCode when an answer was read, else the error's code.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gatewayResultOf, observeGatewayExchange } from '../../../src/activities/gateway-metrics.js';
import type { GatewayExchange } from '../../../src/gateway/client.js';
import { createRecurMetrics } from '../../../src/metrics/recur-metrics.js';
import { parseExposition, valueOf } from '../../support/prometheus-text.js';

const exchange = (overrides: Partial<GatewayExchange>): GatewayExchange => ({
  operation: 'refund',
  url: 'http://127.0.0.1/PaymentAction/2.0/action',
  startedAt: '2026-12-06T00:00:00.000Z',
  durationMs: 120,
  request: {},
  ...overrides,
});

describe('gateway call metrics', () => {
  it('when exchanges end in each way, then the result is the respCode or the error code', () => {
    const cases: Array<[Partial<GatewayExchange>, string]> = [
      [{ httpStatus: 200, response: { respCode: '00' } }, '00'],
      [{ httpStatus: 200, response: { respCode: '0000' } }, '0000'],
      // A decline was read: its code says more than ERR_GATEWAY_DECLINED.
      [
        { httpStatus: 200, response: { respCode: '4051' }, error: { code: 'ERR_GATEWAY_DECLINED', message: 'x' } },
        '4051',
      ],
      [{ error: { code: 'ERR_GATEWAY_TIMEOUT', message: 'timed out' } }, 'ERR_GATEWAY_TIMEOUT'],
      [{ httpStatus: 503, error: { code: 'ERR_GATEWAY_UNAVAILABLE', message: '503' } }, 'ERR_GATEWAY_UNAVAILABLE'],
      // A code that is not one keeps the label's values few.
      [{ httpStatus: 200, response: { respCode: '<script>alert(1)</script>' }, error: undefined }, 'unrecognised'],
      [{ httpStatus: 200, response: { balance: '1' } }, 'no_code'],
    ];
    for (const [overrides, expected] of cases)
      assert.equal(gatewayResultOf(exchange(overrides)), expected, JSON.stringify(overrides));
  });

  it('when an exchange is observed, then it is counted by operation and result, its duration in seconds', async () => {
    const metrics = createRecurMetrics({ defaultMetrics: false });
    observeGatewayExchange(metrics, exchange({ operation: 'paymentInquiry', response: { respCode: '0000' } }));
    const exposition = parseExposition(await metrics.registry.metrics());
    assert.equal(valueOf(exposition, 'recur_gateway_calls_total', { operation: 'paymentInquiry', result: '0000' }), 1);
    assert.equal(valueOf(exposition, 'recur_gateway_call_duration_seconds_sum', { operation: 'paymentInquiry' }), 0.12);
  });
});
