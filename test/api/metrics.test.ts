// GET /metrics on the API: requests counted by route pattern and status with latency buckets, the
// subscriptions gauge read from PostgreSQL at scrape time, and the optional METRICS_TOKEN.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApiServer } from '../../src/api/server.js';
import { createRecurMetrics } from '../../src/metrics/recur-metrics.js';
import { parseExposition, samplesOf, valueOf, type Exposition } from '../support/prometheus-text.js';
import { startApiHarness, type ApiHarness } from './support/api-harness.js';
import { assertProblem, subscriptionBody } from './support/requests.js';

const REQUESTS = 'recur_http_requests_total';
const DURATION = 'recur_http_request_duration_seconds';

describe('GET /metrics on the API', () => {
  let h: ApiHarness;
  before(async () => {
    h = await startApiHarness();
  });
  after(async () => {
    await h?.stop();
  });

  async function scrape(): Promise<Exposition> {
    const answer = await h.request('GET', '/metrics');
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
    return parseExposition(answer.body as string);
  }

  it('when requests are answered, then each is counted under its route pattern and status, with its latency', async () => {
    const key = h.merchantA.key;
    const body = subscriptionBody();
    const id = body.subscriptionId as string;
    const before = await scrape();
    const labels = {
      created: { method: 'POST', route: '/v1/subscriptions', status: '201' },
      read: { method: 'GET', route: '/v1/subscriptions/:id', status: '200' },
      missing: { method: 'GET', route: '/v1/subscriptions/:id', status: '404' },
      unauthorised: { method: 'GET', route: '/v1/subscriptions', status: '401' },
      unmatched: { method: 'GET', route: 'unmatched', status: '404' },
      // Refused before routing (Fastify's frameworkErrors): counted too, under no route.
      malformed: { method: 'GET', route: 'unmatched', status: '400' },
    };

    assert.equal((await h.request('POST', '/v1/subscriptions', { key, body })).status, 201);
    assert.equal((await h.request('GET', `/v1/subscriptions/${id}`, { key })).status, 200);
    assert.equal((await h.request('GET', `/v1/subscriptions/${id}`, { key })).status, 200);
    assertProblem(await h.request('GET', '/v1/subscriptions/sub_nobody_has_this', { key }), 404);
    assertProblem(await h.request('GET', '/v1/subscriptions'), 401);
    assertProblem(await h.request('GET', `/no/such/path/${id}`), 404);
    assertProblem(await h.request('GET', '/v1/subscriptions/%E0%A4%A', { key }), 400);

    const after = await scrape();
    const moved = (name: string, l: Record<string, string>) => valueOf(after, name, l) - valueOf(before, name, l);
    assert.equal(moved(REQUESTS, labels.created), 1);
    assert.equal(moved(REQUESTS, labels.read), 2);
    assert.equal(moved(REQUESTS, labels.missing), 1);
    assert.equal(moved(REQUESTS, labels.unauthorised), 1);
    assert.equal(moved(REQUESTS, labels.unmatched), 1);
    assert.equal(moved(REQUESTS, labels.malformed), 1);
    for (const l of Object.values(labels)) assert.equal(moved(`${DURATION}_count`, l), moved(REQUESTS, l), l.route);

    // The buckets of the two reads: cumulative, ending at +Inf with both of them.
    const buckets = samplesOf(after, `${DURATION}_bucket`, labels.read);
    assert.ok(buckets.length > 5, 'the histogram has its buckets');
    assert.equal(buckets.at(-1)?.labels.le, '+Inf');
    assert.equal(buckets.at(-1)?.value, valueOf(after, `${DURATION}_count`, labels.read));
    for (let i = 1; i < buckets.length; i += 1) assert.ok(buckets[i]!.value >= buckets[i - 1]!.value);
    assert.ok(valueOf(after, `${DURATION}_sum`, labels.read) > 0);

    // No raw path reaches a label: the number of label values stays bounded whatever clients send.
    const routes = new Set(samplesOf(after, REQUESTS).map((s) => s.labels.route));
    for (const route of routes) assert.ok(!route?.includes(id) && !route?.includes('/no/such'), route);
  });

  it('when subscriptions exist, then recur_subscriptions shows the database count of each status at scrape time', async () => {
    const body = subscriptionBody();
    assert.equal((await h.request('POST', '/v1/subscriptions', { key: h.merchantB.key, body })).status, 201);
    await h.waitForRow(body.subscriptionId as string);
    await h.settleAll();
    const { rows } = await h.pool.query<{ status: string; n: string }>(
      'SELECT status, count(*) AS n FROM subscriptions GROUP BY status',
    );
    assert.ok(rows.length > 0);
    const exposition = await scrape();
    const gauge = Object.fromEntries(
      samplesOf(exposition, 'recur_subscriptions').map((s) => [s.labels.status, s.value]),
    );
    assert.deepEqual(gauge, Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])));
  });

  it('when /metrics is asked, then it needs no API key, and the OpenAPI document leaves it out', async () => {
    const exposition = await scrape();
    assert.ok(exposition.families.has('recur_process_resident_memory_bytes'), 'the Node.js default metrics');
    assert.ok(exposition.families.has('recur_gateway_calls_total'), 'every Recur metric is defined');
    const openapi = await h.request('GET', '/openapi.json');
    assert.equal(openapi.body.paths['/metrics'], undefined);
  });

  it('when METRICS_TOKEN is set, then a scrape without it gets a 401 problem and one with it the metrics', async () => {
    const token = `metrics-${Math.random().toString(36).slice(2)}`;
    const app = buildApiServer({
      temporal: h.client,
      taskQueue: 'unused',
      pool: h.pool,
      publicBaseUrl: 'http://127.0.0.1',
      notificationMerchant: async () => undefined,
      balanceInquiry: async () => undefined,
      metrics: createRecurMetrics({ defaultMetrics: false }),
      metricsToken: token,
    });
    try {
      const refused = await app.inject({ method: 'GET', url: '/metrics' });
      assert.equal(refused.statusCode, 401);
      assert.match(String(refused.headers['content-type']), /application\/problem\+json/);
      assert.equal(refused.json().type, '/problems/unauthorized');
      const wrong = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer nope' } });
      assert.equal(wrong.statusCode, 401);
      const ok = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${token}` } });
      assert.equal(ok.statusCode, 200);
      // This server's own registry: the refused scrapes are counted there, under the /metrics route.
      const exposition = parseExposition(ok.body);
      assert.equal(valueOf(exposition, REQUESTS, { method: 'GET', route: '/metrics', status: '401' }), 2);
    } finally {
      await app.close();
    }
  });
});
