// GET /v1/subscriptions, /v1/subscriptions/{id} and its charges, refunds and events: scoped to the key's merchant.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { recordExchange } from '../../src/db/index.js';
import { subscriptionWorkflowId } from '../../src/workflows/definitions.js';
import { startApiHarness, type ApiHarness } from './support/api-harness.js';
import { activeSubscription, startSubscription } from './support/flows.js';
import { assertProblem } from './support/requests.js';

describe('reading subscriptions', () => {
  let h: ApiHarness;
  before(async () => {
    h = await startApiHarness();
  });
  after(async () => {
    await h?.stop();
  });

  const get = (url: string, key = h.merchantA.key) => h.request('GET', url, { key });

  it('when a subscription runs, then GET answers its live state from the workflow with decimal amounts', async () => {
    const s = await activeSubscription(h, h.merchantA);
    const answer = await get(`/v1/subscriptions/${s.subscriptionId}`);
    assert.equal(answer.status, 200);
    assert.equal(answer.body.source, 'workflow');
    assert.equal(answer.body.status, 'active');
    assert.equal(answer.body.merchantId, h.merchantA.id);
    assert.deepEqual(answer.body.plan, {
      amount: '99.90',
      currency: 'SGD',
      interval: { dayOfMonth: 1 },
      recurringCount: 12,
      firstChargeDate: answer.body.plan.firstChargeDate,
      allowAccumulate: false,
      maxAccumulateAmount: '0.00',
    });
    assert.equal(answer.body.charges.length, 1);
    assert.equal(answer.body.charges[0].invoiceNo, s.invoiceNo);
    assert.equal(answer.body.charges[0].amount, '99.90');
  });

  it('when the workflow has ended, then GET answers the stored record with its charges and refunds', async () => {
    const s = await activeSubscription(h, h.merchantA);
    const cancel = await h.request('POST', `/v1/subscriptions/${s.subscriptionId}/cancel`, {
      key: h.merchantA.key,
      body: { refundPolicy: 'full_last_charge' },
    });
    assert.equal(cancel.status, 200);
    await h.client.workflow.getHandle(subscriptionWorkflowId(h.merchantA.id, s.subscriptionId)).result();
    const answer = await get(`/v1/subscriptions/${s.subscriptionId}`);
    assert.equal(answer.status, 200);
    assert.equal(answer.body.source, 'database');
    assert.equal(answer.body.status, 'canceled');
    assert.equal(answer.body.plan.amount, '99.90');
    assert.deepEqual(
      answer.body.charges.map((c: { invoiceNo: string }) => c.invoiceNo),
      [s.invoiceNo],
    );
    assert.equal(answer.body.refunds.length, 1);
    assert.equal(answer.body.refunds[0].amount, '99.90');
  });

  it("when the subscription is unknown or another merchant's, then GET answers 404 without its data", async () => {
    const s = await startSubscription(h, h.merchantA);
    assertProblem(await get('/v1/subscriptions/sub_unknown'), 404);
    const answer = await get(`/v1/subscriptions/${s.subscriptionId}`, h.merchantB.key);
    assertProblem(answer, 404);
    assert.equal(JSON.stringify(answer.body).includes(s.invoicePrefix), false);
    for (const part of ['charges', 'refunds', 'events'])
      assertProblem(await get(`/v1/subscriptions/${s.subscriptionId}/${part}`, h.merchantB.key), 404);
  });

  it('when the id is not a valid subscription id, then GET answers 400 naming id', async () => {
    assertProblem(await get(`/v1/subscriptions/${encodeURIComponent('bad id!')}`), 400, 'id');
  });

  it("when listing, then only the key's merchant's subscriptions come back, filtered and paginated", async () => {
    const b = await startSubscription(h, h.merchantB);
    const all = await get('/v1/subscriptions?limit=100', h.merchantB.key);
    assert.equal(all.status, 200);
    assert.deepEqual(
      all.body.items.map((i: { subscriptionId: string }) => i.subscriptionId),
      [b.subscriptionId],
    );
    assert.equal(all.body.nextCursor, null);

    const a1 = await startSubscription(h, h.merchantA);
    const a2 = await startSubscription(h, h.merchantA);
    const first = await get('/v1/subscriptions?status=pending_payment&limit=1');
    assert.equal(first.status, 200);
    assert.equal(first.body.items.length, 1);
    assert.equal(first.body.items[0].subscriptionId, a2.subscriptionId);
    assert.equal(first.body.items[0].plan.amount, '99.90');
    const second = await get(`/v1/subscriptions?status=pending_payment&limit=1&cursor=${first.body.nextCursor}`);
    assert.equal(second.body.items[0].subscriptionId, a1.subscriptionId);
    const byCustomer = await get('/v1/subscriptions?customerId=nobody');
    assert.deepEqual(byCustomer.body.items, []);
    const byOwnMerchant = await get(`/v1/subscriptions?merchantId=${h.merchantA.id}&status=pending_payment&limit=100`);
    assert.equal(byOwnMerchant.status, 200);
    const ownIds = byOwnMerchant.body.items.map((i: { subscriptionId: string }) => i.subscriptionId);
    assert.deepEqual(ownIds.slice(0, 2), [a2.subscriptionId, a1.subscriptionId]);
    assert.ok(!ownIds.includes(b.subscriptionId));
    const otherMerchant = await get(`/v1/subscriptions?merchantId=${h.merchantB.id}`);
    assert.equal(otherMerchant.status, 404, 'a key for merchant A cannot list merchant B');
  });

  it('when list parameters are wrong, then it answers 400 naming the parameter', async () => {
    assertProblem(await get('/v1/subscriptions?limit=0'), 400, 'limit');
    assertProblem(await get('/v1/subscriptions?limit=abc'), 400, 'limit');
    assertProblem(await get('/v1/subscriptions?limit=101'), 400, 'limit');
    assertProblem(await get('/v1/subscriptions?status=bogus'), 400, 'status');
    assertProblem(await get('/v1/subscriptions?cursor=garbage'), 400, 'cursor');
  });

  it('when charges, refunds and events are read, then they come from the database for that subscription only', async () => {
    const s = await activeSubscription(h, h.merchantA);
    await recordExchange(h.pool, {
      merchantId: h.merchantA.id,
      subscriptionId: s.subscriptionId,
      operation: 'paymentToken',
      url: 'https://sandbox-pgw.2c2p.com/payment/4.3/paymentToken',
      startedAt: new Date().toISOString(),
      durationMs: 12,
      httpStatus: 200,
      request: { invoiceNo: `${s.invoicePrefix}00000` },
      response: { respCode: '0000' },
    });
    const charges = await get(`/v1/subscriptions/${s.subscriptionId}/charges`);
    assert.equal(charges.status, 200);
    assert.deepEqual(
      charges.body.items.map((c: { invoiceNo: string; status: string }) => [c.invoiceNo, c.status]),
      [[s.invoiceNo, 'succeeded']],
    );
    const refunds = await get(`/v1/subscriptions/${s.subscriptionId}/refunds`);
    assert.deepEqual(refunds.body, { items: [] });
    const events = await get(`/v1/subscriptions/${s.subscriptionId}/exchanges`);
    assert.equal(events.status, 200);
    assert.equal(events.body.items.length, 1);
    assert.equal(events.body.items[0].operation, 'paymentToken');
    assert.deepEqual(events.body.items[0].response, { respCode: '0000' });
    const after = await get(`/v1/subscriptions/${s.subscriptionId}/exchanges?after=${events.body.items[0].id}`);
    assert.deepEqual(after.body, { items: [] });
    assertProblem(await get(`/v1/subscriptions/${s.subscriptionId}/exchanges?limit=0`), 400, 'limit');
  });
});
