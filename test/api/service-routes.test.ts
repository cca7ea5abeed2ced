// Health, readiness, OpenAPI and its docs page, the balance route, unknown routes, and Temporal being unreachable.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import type pg from 'pg';
import { buildApiServer } from '../../src/api/server.js';
import { createPool } from '../../src/db/index.js';
import { freePort } from '../../src/db/embedded-postgres.js';
import { startApiHarness, type ApiHarness } from './support/api-harness.js';
import { assertProblem, subscriptionBody } from './support/requests.js';

describe('service routes', () => {
  let h: ApiHarness;
  before(async () => {
    h = await startApiHarness();
  });
  after(async () => {
    await h?.stop();
  });

  it('when /healthz and /readyz are asked with everything up, then both answer 200', async () => {
    assert.deepEqual((await h.request('GET', '/healthz')).body, { status: 'ok' });
    const ready = await h.request('GET', '/readyz');
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body, { ready: true, checks: { temporal: 'ok', postgres: 'ok' } });
  });

  it('when the API listens on port 0, then it answers over real HTTP on 127.0.0.1', async () => {
    const app = buildApiServer({
      temporal: h.client,
      taskQueue: 'unused',
      pool: h.pool,
      publicBaseUrl: 'http://127.0.0.1',
      notificationMerchant: async () => undefined,
      balanceInquiry: async () => undefined,
    });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const response = await fetch(`${address}/v1/subscriptions`);
      assert.equal(response.status, 401);
      assert.match(response.headers.get('content-type') ?? '', /application\/problem\+json/);
    } finally {
      await app.close();
    }
  });

  describe('when PostgreSQL and Temporal are unreachable', () => {
    let pool: pg.Pool;
    let connection: Connection;
    before(async () => {
      pool = createPool(`postgres://nobody:nothing@127.0.0.1:${await freePort()}/none`);
      // Two attempts instead of the default ten keep the test short; the answer is the same.
      const interceptors = [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 2 }))];
      connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}`, interceptors });
    });
    after(async () => {
      await pool.end();
      await connection.close();
    });

    it('then /readyz answers 503 naming both, and /healthz still 200', async () => {
      const app = buildApiServer({
        temporal: new Client({ connection }),
        taskQueue: 'q',
        pool,
        publicBaseUrl: 'http://127.0.0.1',
        notificationMerchant: async () => undefined,
        balanceInquiry: async () => undefined,
      });
      try {
        const ready = await app.inject({ method: 'GET', url: '/readyz' });
        assert.equal(ready.statusCode, 503);
        assert.deepEqual(ready.json(), { ready: false, checks: { temporal: 'unavailable', postgres: 'unavailable' } });
        assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
      } finally {
        await app.close();
      }
    });

    it('then an authenticated route answers 503 rather than 401 or 500', async () => {
      const app = buildApiServer({
        temporal: h.client,
        taskQueue: 'q',
        pool,
        publicBaseUrl: 'http://127.0.0.1',
        notificationMerchant: async () => undefined,
        balanceInquiry: async () => undefined,
      });
      try {
        const response = await app.inject({
          method: 'GET',
          url: '/v1/subscriptions',
          headers: { authorization: `Bearer ${h.merchantA.key}` },
        });
        assert.equal(response.statusCode, 503, response.body);
        assert.equal(response.json().type, '/problems/unavailable');
      } finally {
        await app.close();
      }
    });

    it('then starting a subscription answers 503 and the Idempotency-Key is released', async () => {
      const app = buildApiServer({
        temporal: new Client({ connection }),
        taskQueue: 'q',
        pool: h.pool,
        publicBaseUrl: 'http://127.0.0.1',
        notificationMerchant: async () => undefined,
        balanceInquiry: async () => undefined,
      });
      try {
        const response = await app.inject({
          method: 'POST',
          url: '/v1/subscriptions',
          headers: { authorization: `Bearer ${h.merchantA.key}`, 'idempotency-key': 'idem-unreachable-1' },
          payload: subscriptionBody(),
        });
        assert.equal(response.statusCode, 503, response.body);
        assert.equal(response.json().type, '/problems/unavailable');
        assert.equal(
          (await h.pool.query(`SELECT 1 FROM idempotency_keys WHERE key = 'idem-unreachable-1'`)).rowCount,
          0,
        );
      } finally {
        await app.close();
      }
    });
  });

  it('when /openapi.json is asked, then it documents every route with its schemas', async () => {
    const answer = await h.request('GET', '/openapi.json');
    assert.equal(answer.status, 200);
    assert.equal(answer.body.openapi, '3.1.0');
    const paths = Object.keys(answer.body.paths);
    for (const path of [
      '/v1/subscriptions',
      '/v1/subscriptions/{id}',
      '/v1/subscriptions/{id}/cancel',
      '/v1/subscriptions/{id}/refunds',
      '/v1/subscriptions/{id}/retry',
      '/v1/subscriptions/{id}/charges',
      '/v1/subscriptions/{id}/exchanges',
      '/v1/events',
      '/v1/events/{id}',
      '/v1/events/{id}/redeliver',
      '/v1/webhook-endpoints',
      '/v1/webhook-endpoints/{id}',
      '/v1/webhook-endpoints/{id}/rotate-secret',
      '/v1/webhook-endpoints/{id}/deliveries',
      '/v1/merchants/{id}/balance',
      '/v1/2c2p/notifications',
      '/healthz',
      '/readyz',
    ]) {
      assert.ok(paths.includes(path), `missing ${path}`);
    }
    const create = answer.body.paths['/v1/subscriptions'].post;
    assert.ok(create.requestBody.content['application/json'].schema.properties.plan);
    assert.deepEqual(create.security, [{ apiKey: [] }]);
    assert.equal(answer.body.components.securitySchemes.apiKey.scheme, 'bearer');
    for (const [path, method] of [
      ['/v1/subscriptions', 'post'],
      ['/v1/subscriptions/{id}', 'patch'],
      ['/v1/subscriptions/{id}/cancel', 'post'],
      ['/v1/subscriptions/{id}/refunds', 'post'],
      ['/v1/subscriptions/{id}/retry', 'post'],
    ] as const) {
      const headers = (answer.body.paths[path][method].parameters ?? []).filter((p: any) => p.in === 'header');
      assert.deepEqual(
        headers.map((p: { name: string }) => p.name),
        ['idempotency-key'],
        `${method} ${path} documents its Idempotency-Key`,
      );
    }
    const resource =
      answer.body.paths['/v1/subscriptions/{id}'].get.responses['200'].content['application/json'].schema;
    assert.deepEqual(Object.keys(resource.properties.attention.properties).sort(), [
      'attempts',
      'failureType',
      'nextAttemptAt',
      'operation',
      'reason',
      'resumeStatus',
      'since',
    ]);
    const statusFilter = answer.body.paths['/v1/subscriptions'].get.parameters.find((p: any) => p.name === 'status');
    assert.ok(JSON.stringify(statusFilter.schema).includes('needs_attention'));
  });

  it('when /docs is opened, then the page and its assets are served locally', async () => {
    const page = await h.app.inject({ method: 'GET', url: '/docs/' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /swagger-ui/i);
    assert.doesNotMatch(page.body, /https?:\/\/(unpkg|cdn|cdnjs|jsdelivr)/);
    const bundle = await h.app.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' });
    assert.equal(bundle.statusCode, 200);
  });

  it("when a merchant asks for its balance, then it answers 2C2P's available balance", async () => {
    h.balances.set(h.merchantA.id, { availableBalance: '1234.5600', currency: 'SGD' });
    const answer = await h.request('GET', `/v1/merchants/${h.merchantA.id}/balance`, { key: h.merchantA.key });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { merchantId: h.merchantA.id, availableBalance: '1234.5600', currency: 'SGD' });
  });

  it("when a merchant asks for another merchant's balance, then it answers 404 and makes no inquiry", async () => {
    h.balances.set(h.merchantB.id, { availableBalance: '99.00', currency: 'SGD' });
    const answer = await h.request('GET', `/v1/merchants/${h.merchantB.id}/balance`, { key: h.merchantA.key });
    assertProblem(answer, 404);
    assert.equal(JSON.stringify(answer.body).includes('99.00'), false);
  });

  it('when the balance inquiry fails at 2C2P, then it answers 502', async () => {
    h.balances.set(h.merchantA.id, Object.assign(new Error('timeout'), { code: 'ERR_GATEWAY_TIMEOUT' }));
    assertProblem(await h.request('GET', `/v1/merchants/${h.merchantA.id}/balance`, { key: h.merchantA.key }), 502);
  });

  it('when a route does not exist, then it answers a 404 problem', async () => {
    assertProblem(await h.request('GET', '/v1/nothing', { key: h.merchantA.key }), 404);
  });
});
