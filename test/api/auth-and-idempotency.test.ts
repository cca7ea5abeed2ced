// API keys (bearer, hashed, one merchant each) and Stripe-style Idempotency-Key on POST routes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { revokeApiKey, createApiKey } from '../../src/db/index.js';
import { subscriptionWorkflowId } from '../../src/workflows/definitions.js';
import { FAIL_CHECKOUT, HOLD_CHECKOUT, releaseCheckoutSignal } from '../fixtures/workflows/fake-subscription.js';
import { startApiHarness, type ApiHarness } from './support/api-harness.js';
import { assertProblem, subscriptionBody } from './support/requests.js';

describe('API keys and Idempotency-Key', () => {
  let h: ApiHarness;
  before(async () => {
    h = await startApiHarness();
  });
  after(async () => {
    await h?.stop();
  });

  const post = (body: unknown, idempotencyKey?: string) =>
    h.request('POST', '/v1/subscriptions', {
      key: h.merchantA.key,
      body,
      headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
    });

  async function waitForClaim(key: string) {
    for (let i = 0; i < 200; i += 1) {
      if (
        (await h.pool.query(`SELECT 1 FROM idempotency_keys WHERE key = $1 AND state = 'in_progress'`, [key])).rowCount
      )
        return;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.fail('the first request never claimed its key');
  }

  it('when no API key is sent, then every /v1 route answers 401 with a problem and a Bearer challenge', async () => {
    for (const [method, url] of [
      ['POST', '/v1/subscriptions'],
      ['GET', '/v1/subscriptions'],
      ['GET', '/v1/subscriptions/sub_1'],
      ['PATCH', '/v1/subscriptions/sub_1'],
      ['POST', '/v1/subscriptions/sub_1/cancel'],
      ['POST', '/v1/subscriptions/sub_1/refunds'],
      ['POST', '/v1/subscriptions/sub_1/retry'],
      ['GET', '/v1/subscriptions/sub_1/charges'],
      ['GET', '/v1/subscriptions/sub_1/refunds'],
      ['GET', '/v1/subscriptions/sub_1/exchanges'],
      ['GET', `/v1/merchants/${h.merchantA.id}/balance`],
    ] as const) {
      const answer = await h.request(method, url, { body: method === 'GET' ? undefined : {} });
      assertProblem(answer, 401);
      assert.match(String(answer.headers['www-authenticate']), /^Bearer/);
    }
  });

  it('when the API key is wrong, malformed or revoked, then it answers 401 and starts nothing', async () => {
    await h.settleAll();
    const before = await h.counts();
    const body = subscriptionBody();
    assertProblem(await h.request('POST', '/v1/subscriptions', { key: `${h.merchantA.key.slice(0, -1)}x`, body }), 401);
    assertProblem(
      await h.request('POST', '/v1/subscriptions', { body, headers: { authorization: `Basic ${h.merchantA.key}` } }),
      401,
    );
    assertProblem(await h.request('POST', '/v1/subscriptions', { key: 'not-a-key', body }), 401);
    const revoked = await createApiKey(h.pool, h.merchantA.id, { mode: 'test' });
    await revokeApiKey(h.pool, revoked.id);
    const answer = await h.request('POST', '/v1/subscriptions', { key: revoked.key, body });
    assertProblem(answer, 401);
    assert.equal(JSON.stringify(answer.body).includes(revoked.key), false);
    assert.deepEqual(await h.counts(), before);
    assert.equal(await h.workflowExists(h.merchantA.id, body.subscriptionId), false);
  });

  it('when API keys are stored, then only their SHA-256 is kept', async () => {
    const { rows } = await h.pool.query<{ key_hash: string }>('SELECT key_hash FROM api_keys');
    assert.ok(rows.length >= 2);
    for (const row of rows) {
      assert.match(row.key_hash, /^[0-9a-f]{64}$/);
      assert.notEqual(row.key_hash, h.merchantA.key);
    }
  });

  it('when a request is repeated with the same Idempotency-Key and body, then the first answer is replayed', async () => {
    const body = subscriptionBody();
    const first = await post(body, 'idem-replay-1');
    assert.equal(first.status, 201);
    const second = await post(body, 'idem-replay-1');
    assert.equal(second.status, 201);
    assert.deepEqual(second.body, first.body);
    assert.equal(second.headers['idempotent-replayed'], 'true');
  });

  it('when the same Idempotency-Key comes with another body, then it answers 422 and starts nothing', async () => {
    const body = subscriptionBody();
    assert.equal((await post(body, 'idem-mismatch-1')).status, 201);
    await h.waitForRow(body.subscriptionId);
    await h.settleAll();
    const other = subscriptionBody();
    const before = await h.counts();
    assertProblem(await post(other, 'idem-mismatch-1'), 422);
    assert.deepEqual(await h.counts(), before);
    assert.equal(await h.workflowExists(h.merchantA.id, other.subscriptionId), false);
  });

  it('when the same Idempotency-Key is used by another merchant, then it is another key', async () => {
    const body = subscriptionBody();
    assert.equal((await post(body, 'idem-shared-1')).status, 201);
    const answer = await h.request('POST', '/v1/subscriptions', {
      key: h.merchantB.key,
      body: subscriptionBody(),
      headers: { 'idempotency-key': 'idem-shared-1' },
    });
    assert.equal(answer.status, 201);
    assert.equal(answer.headers['idempotent-replayed'], undefined);
  });

  it('when a duplicate arrives while the first request still runs, then it answers 409; afterwards the key replays', async () => {
    const body = subscriptionBody({ description: HOLD_CHECKOUT });
    const first = post(body, 'idem-concurrent-1');
    await waitForClaim('idem-concurrent-1');
    assertProblem(await post(body, 'idem-concurrent-1'), 409);
    await h.client.workflow
      .getHandle(subscriptionWorkflowId(h.merchantA.id, body.subscriptionId))
      .signal(releaseCheckoutSignal);
    const answer = await first;
    assert.equal(answer.status, 201);
    const replay = await post(body, 'idem-concurrent-1');
    assert.deepEqual([replay.status, replay.body], [201, answer.body]);
  });

  it('when the first request ends in a 5xx, then the key is released and a retry runs again', async () => {
    const body = subscriptionBody({ description: FAIL_CHECKOUT });
    assertProblem(await post(body, 'idem-5xx-1'), 502);
    assert.equal((await h.pool.query(`SELECT 1 FROM idempotency_keys WHERE key = 'idem-5xx-1'`)).rowCount, 0);
    await h.client.workflow.getHandle(subscriptionWorkflowId(h.merchantA.id, body.subscriptionId)).result();
    const retry = await post(body, 'idem-5xx-1');
    assert.equal(retry.headers['idempotent-replayed'], undefined);
    // The retry ran: it found the ended subscription (not a replayed 502).
    assertProblem(retry, 409);
  });

  it('when the first request ends in a 4xx from the handler, then the same key and body replay that 4xx', async () => {
    const body = subscriptionBody({}, { amount: '1.001' });
    assertProblem(await post(body, 'idem-4xx-1'), 422, 'plan.amount');
    const replay = await post(body, 'idem-4xx-1');
    assertProblem(replay, 422, 'plan.amount');
    assert.equal(replay.headers['idempotent-replayed'], 'true');
  });

  it('when the Idempotency-Key is too long, then it answers 400 naming it', async () => {
    assertProblem(await post(subscriptionBody(), 'k'.repeat(256)), 400, 'idempotency-key');
  });
});
