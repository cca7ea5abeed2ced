// The worker's /metrics listener over real HTTP on 127.0.0.1, and the optional METRICS_TOKEN.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { startMetricsServer } from '../../../src/metrics/metrics-server.js';
import { bearerTokenMatches } from '../../../src/metrics/metrics-token.js';
import { createRecurMetrics } from '../../../src/metrics/recur-metrics.js';
import { parseExposition, valueOf } from '../../support/prometheus-text.js';

describe('metrics server', () => {
  it('when GET /metrics is asked, then it answers the registry in the Prometheus text format', async () => {
    const metrics = createRecurMetrics();
    const server = await startMetricsServer({ registry: metrics.registry, port: 0, host: '127.0.0.1' });
    try {
      metrics.refunds.inc({ status: 'succeeded' });
      const response = await fetch(server.url);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
      const exposition = parseExposition(await response.text());
      assert.equal(valueOf(exposition, 'recur_refunds_total', { status: 'succeeded' }), 1);
      assert.ok(exposition.families.has('recur_process_cpu_user_seconds_total'));

      assert.equal((await fetch(server.url.replace('/metrics', '/'))).status, 404);
      assert.equal((await fetch(server.url, { method: 'POST' })).status, 405);
    } finally {
      await server.close();
    }
  });

  it('when METRICS_TOKEN is set, then a scrape without it or with another gets 401, and with it 200', async () => {
    const metrics = createRecurMetrics({ defaultMetrics: false });
    const token = `t-${Math.random().toString(36).slice(2)}`;
    const server = await startMetricsServer({ registry: metrics.registry, port: 0, host: '127.0.0.1', token });
    try {
      assert.equal((await fetch(server.url)).status, 401);
      assert.equal((await fetch(server.url, { headers: { authorization: 'Bearer wrong' } })).status, 401);
      const ok = await fetch(server.url, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(ok.status, 200);
      parseExposition(await ok.text());
    } finally {
      await server.close();
    }
  });

  it('when its port is taken, then the start fails with EADDRINUSE', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as { port: number };
    try {
      const metrics = createRecurMetrics({ defaultMetrics: false });
      await assert.rejects(startMetricsServer({ registry: metrics.registry, port, host: '127.0.0.1' }), {
        code: 'EADDRINUSE',
      });
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });

  it('when Authorization headers are compared with the token, then only "Bearer <token>" matches', () => {
    const cases: Array<[string | undefined, boolean]> = [
      ['Bearer s3cret', true],
      ['bearer s3cret', true],
      ['Bearer  s3cret ', true],
      ['Bearer s3cre', false],
      ['Bearer s3cret2', false],
      ['Basic s3cret', false],
      ['s3cret', false],
      ['Bearer ', false],
      [undefined, false],
    ];
    for (const [header, expected] of cases)
      assert.equal(bearerTokenMatches(header, 's3cret'), expected, String(header));
  });
});
