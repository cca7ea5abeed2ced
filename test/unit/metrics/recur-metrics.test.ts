// The metric definitions: Prometheus naming conventions, an exposition a Prometheus server parses, counters
// and histograms that move, and the subscriptions gauge read at scrape time.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { createRecurMetrics, METRIC_PREFIX, processMetrics } from '../../../src/metrics/recur-metrics.js';
import { ExpositionError, parseExposition, samplesOf, valueOf } from '../../support/prometheus-text.js';

const RECUR_METRICS = {
  recur_http_requests_total: { type: 'counter', labels: ['method', 'route', 'status'] },
  recur_http_request_duration_seconds: { type: 'histogram', labels: ['method', 'route', 'status'] },
  recur_gateway_calls_total: { type: 'counter', labels: ['operation', 'result'] },
  recur_gateway_call_duration_seconds: { type: 'histogram', labels: ['operation'] },
  recur_charges_total: { type: 'counter', labels: ['outcome', 'kind'] },
  recur_refunds_total: { type: 'counter', labels: ['status'] },
  recur_dunning_outcomes_total: { type: 'counter', labels: ['outcome'] },
  recur_webhook_deliveries_total: { type: 'counter', labels: ['result'] },
  recur_subscriptions: { type: 'gauge', labels: ['status'] },
  recur_metrics_collect_errors_total: { type: 'counter', labels: ['collector'] },
} as const;

async function scrape(registry: Registry) {
  return parseExposition(await registry.metrics());
}

describe('Recur metrics', () => {
  it('when defined, then every metric has the recur_ prefix, a unit or _total suffix by its type, and help', async () => {
    const metrics = createRecurMetrics();
    const families = (await scrape(metrics.registry)).families;
    for (const [name, expected] of Object.entries(RECUR_METRICS)) {
      assert.equal(families.get(name)?.type, expected.type, name);
      const labels = metrics.registry.getMetricsAsArray().find((m) => m.name === name) as unknown as {
        labelNames: string[];
      };
      assert.deepEqual([...labels.labelNames].sort(), [...expected.labels].sort(), `labels of ${name}`);
    }
    assert.ok(families.size > Object.keys(RECUR_METRICS).length + 10, 'the Node.js default metrics are there too');
    for (const family of families.values()) {
      assert.ok(family.name.startsWith(METRIC_PREFIX), `${family.name} has the recur_ prefix`);
      assert.ok(family.help.length > 0, `${family.name} has help`);
      // prom-client names its Node.js gauges *_total (nodejs_active_handles_total); Recur's own follow the rule.
      if (/^recur_(process|nodejs)_/.test(family.name)) continue;
      if (family.type === 'counter') assert.match(family.name, /_total$/, `counter ${family.name} ends in _total`);
      else assert.doesNotMatch(family.name, /_total$/, `${family.type} ${family.name} does not end in _total`);
      // Durations are seconds and sizes bytes: base units, never _ms or _milliseconds.
      assert.doesNotMatch(family.name, /_(ms|milliseconds|minutes|kilobytes|mb)(_|$)/, family.name);
    }
    for (const name of ['recur_http_request_duration_seconds', 'recur_gateway_call_duration_seconds'])
      assert.match(name, /_seconds$/);
  });

  it('when counters are increased and durations observed, then the exposition parses and shows them', async () => {
    const metrics = createRecurMetrics();
    metrics.charges.inc({ outcome: 'succeeded', kind: 'recurring' });
    metrics.charges.inc({ outcome: 'succeeded', kind: 'recurring' });
    metrics.charges.inc({ outcome: 'declined', kind: 'recurring' });
    metrics.gatewayCalls.inc({ operation: 'refund', result: '00' });
    metrics.gatewayCallDuration.observe({ operation: 'refund' }, 0.2);
    metrics.gatewayCallDuration.observe({ operation: 'refund' }, 3);
    metrics.webhookDeliveries.inc({ result: 'http_2xx' });
    // A label value with a quote, a backslash and a newline is escaped, and reads back as it was.
    metrics.httpRequests.inc({ method: 'GET', route: 'odd "route"\\\n', status: '200' });

    const exposition = await scrape(metrics.registry);
    assert.equal(valueOf(exposition, 'recur_charges_total', { outcome: 'succeeded', kind: 'recurring' }), 2);
    assert.equal(valueOf(exposition, 'recur_charges_total', { outcome: 'declined', kind: 'recurring' }), 1);
    assert.equal(valueOf(exposition, 'recur_charges_total', { outcome: 'declined', kind: 'dunning' }), 0);
    assert.equal(valueOf(exposition, 'recur_gateway_calls_total', { operation: 'refund', result: '00' }), 1);
    assert.equal(valueOf(exposition, 'recur_webhook_deliveries_total', { result: 'http_2xx' }), 1);
    assert.equal(
      valueOf(exposition, 'recur_http_requests_total', { method: 'GET', route: 'odd "route"\\\n', status: '200' }),
      1,
    );

    const buckets = samplesOf(exposition, 'recur_gateway_call_duration_seconds_bucket', { operation: 'refund' });
    const at = (le: string) => buckets.find((b) => b.labels.le === le)?.value;
    assert.equal(at('0.1'), 0);
    assert.equal(at('0.25'), 1);
    assert.equal(at('5'), 2);
    assert.equal(at('+Inf'), 2);
    for (let i = 1; i < buckets.length; i += 1)
      assert.ok(buckets[i]!.value >= buckets[i - 1]!.value, 'buckets are cumulative');
    assert.equal(valueOf(exposition, 'recur_gateway_call_duration_seconds_count', { operation: 'refund' }), 2);
    assert.equal(valueOf(exposition, 'recur_gateway_call_duration_seconds_sum', { operation: 'refund' }), 3.2);
  });

  it('when the reader is given what Prometheus refuses, then it throws, so the parse check can fail', () => {
    const bad = [
      'recur_x_total 1\n', // no family declared
      '# TYPE recur_x_total counter\nrecur_x_total{a="1} 1\n', // unterminated label value
      '# TYPE recur_x_total counter\nrecur_x_total one\n', // not a number
      '# TYPE recur_x_total countr\n', // unknown type
      '# TYPE recur_x_total counter\nrecur_x_total{a="1",a="2"} 1\n', // repeated label
    ];
    for (const text of bad) assert.throws(() => parseExposition(text), ExpositionError, text);
  });

  it('when the subscriptions gauge is scraped, then it shows the counts its source gives at that moment', async () => {
    const metrics = createRecurMetrics({ defaultMetrics: false });
    let counts = [{ status: 'active', count: 3 }];
    const release = metrics.countSubscriptionsWith(async () => counts);
    assert.equal(valueOf(await scrape(metrics.registry), 'recur_subscriptions', { status: 'active' }), 3);
    counts = [{ status: 'past_due', count: 1 }];
    const second = await scrape(metrics.registry);
    assert.equal(valueOf(second, 'recur_subscriptions', { status: 'past_due' }), 1);
    assert.deepEqual(samplesOf(second, 'recur_subscriptions', { status: 'active' }), [], 'a status gone is gone');
    release();
    assert.deepEqual(samplesOf(await scrape(metrics.registry), 'recur_subscriptions'), []);
  });

  it('when the subscriptions source fails, then the scrape still answers and counts the failure', async () => {
    const metrics = createRecurMetrics({ defaultMetrics: false });
    metrics.charges.inc({ outcome: 'succeeded', kind: 'initial' });
    metrics.countSubscriptionsWith(async () => {
      throw new Error('connection refused');
    });
    const exposition = await scrape(metrics.registry);
    assert.deepEqual(samplesOf(exposition, 'recur_subscriptions'), []);
    assert.equal(valueOf(exposition, 'recur_metrics_collect_errors_total', { collector: 'subscriptions' }), 1);
    assert.equal(valueOf(exposition, 'recur_charges_total', { outcome: 'succeeded', kind: 'initial' }), 1);
  });

  it('when a source is replaced, then releasing the first one leaves the second in place', async () => {
    const metrics = createRecurMetrics({ defaultMetrics: false });
    const releaseFirst = metrics.countSubscriptionsWith(async () => [{ status: 'active', count: 1 }]);
    metrics.countSubscriptionsWith(async () => [{ status: 'active', count: 2 }]);
    releaseFirst();
    assert.equal(valueOf(await scrape(metrics.registry), 'recur_subscriptions', { status: 'active' }), 2);
  });

  it('when the process asks twice, then it gets one registry; a second definition in it is refused', () => {
    assert.equal(processMetrics(), processMetrics());
    const registry = new Registry();
    createRecurMetrics({ registry, defaultMetrics: false });
    assert.throws(() => createRecurMetrics({ registry, defaultMetrics: false }), /already been registered/);
  });
});
