// PATCH (plan change), /cancel and /refunds: Workflow Updates, their refusals, and bad input that changes nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { stateQuery, subscriptionWorkflowId } from '../../src/workflows/definitions.js';
import { needsAttentionSignal, REFUSED_AMOUNT_MINOR } from '../fixtures/workflows/fake-subscription.js';
import { startApiHarness, type ApiHarness } from './support/api-harness.js';
import { activeSubscription, eventually, startSubscription } from './support/flows.js';
import { assertProblem } from './support/requests.js';

describe('changing subscriptions', () => {
  let h: ApiHarness;
  before(async () => {
    h = await startApiHarness();
  });
  after(async () => {
    await h?.stop();
  });

  const state = (subscriptionId: string, merchantId = h.merchantA.id) =>
    h.client.workflow.getHandle(subscriptionWorkflowId(merchantId, subscriptionId)).query(stateQuery);
  const handle = (subscriptionId: string, merchantId = h.merchantA.id) =>
    h.client.workflow.getHandle(subscriptionWorkflowId(merchantId, subscriptionId));
  const withKey = (idempotencyKey?: string): Record<string, string> =>
    idempotencyKey ? { 'idempotency-key': idempotencyKey } : {};
  const patch = (id: string, body: unknown, key = h.merchantA.key, idempotencyKey?: string) =>
    h.request('PATCH', `/v1/subscriptions/${id}`, { key, body, headers: withKey(idempotencyKey) });
  const cancel = (id: string, body: unknown, key = h.merchantA.key, idempotencyKey?: string) =>
    h.request('POST', `/v1/subscriptions/${id}/cancel`, { key, body, headers: withKey(idempotencyKey) });
  const refund = (id: string, body: unknown, key = h.merchantA.key, idempotencyKey?: string) =>
    h.request('POST', `/v1/subscriptions/${id}/refunds`, { key, body, headers: withKey(idempotencyKey) });
  const retry = (id: string, key = h.merchantA.key, idempotencyKey?: string) =>
    h.request('POST', `/v1/subscriptions/${id}/retry`, { key, body: {}, headers: withKey(idempotencyKey) });

  /** The id and name of every Update the workflow accepted after its checkout, in order. */
  async function acceptedUpdates(subscriptionId: string): Promise<{ id: string; name: string }[]> {
    const { events } = await handle(subscriptionId).fetchHistory();
    return (events ?? []).flatMap((e) => {
      const accepted = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest;
      const name = accepted?.input?.name ?? 'checkout';
      return name === 'checkout' ? [] : [{ id: accepted?.meta?.updateId ?? '', name }];
    });
  }

  /** Sends a bad request and checks the answer, then that the workflow's state did not move. */
  async function assertUnchanged(subscriptionId: string, send: () => Promise<any>, status: number, field?: string) {
    await h.settleAll();
    const before = await state(subscriptionId);
    const counts = await h.counts();
    const answer = await send();
    assertProblem(answer, status, field);
    assert.deepEqual(await state(subscriptionId), before);
    assert.deepEqual(await h.counts(), counts);
    return answer;
  }

  describe('PATCH /v1/subscriptions/{id}', () => {
    it('when an active subscription changes its plan, then the new plan answers in decimal form', async () => {
      const s = await activeSubscription(h, h.merchantA);
      const answer = await patch(s.subscriptionId, { amount: '120.50', interval: { days: 30 }, recurringCount: 6 });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.plan.amount, '120.50');
      assert.deepEqual(answer.body.plan.interval, { days: 30 });
      const view = await state(s.subscriptionId);
      assert.equal(view.plan.amountMinor, 12050);
      assert.deepEqual(view.plan.interval, { kind: 'days', days: 30 });
      assert.equal(view.plan.recurringCount, 6);
    });

    it('when the subscription is still waiting for its first payment, then it answers 409 and changes nothing', async () => {
      const s = await startSubscription(h, h.merchantA);
      const answer = await assertUnchanged(s.subscriptionId, () => patch(s.subscriptionId, { amount: '10.00' }), 409);
      assert.equal(answer.body.subscriptionStatus, 'pending_payment');
    });

    it("when 2C2P refuses the change, then it answers 422 with 2C2P's code and reason", async () => {
      const s = await activeSubscription(h, h.merchantA);
      const answer = await assertUnchanged(
        s.subscriptionId,
        () => patch(s.subscriptionId, { amount: (REFUSED_AMOUNT_MINOR / 100).toFixed(2) }),
        422,
      );
      assert.equal(answer.body.type, '/problems/gateway-refused');
      assert.equal(answer.body.gatewayCode, '14');
      assert.equal(answer.body.gatewayReason, 'Invalid recurring amount');
    });

    it('when the change is malformed, then it answers 400/422 naming the field and changes nothing', async () => {
      const s = await activeSubscription(h, h.merchantA);
      await assertUnchanged(s.subscriptionId, () => patch(s.subscriptionId, { amount: '10.001' }), 422, 'amount');
      await assertUnchanged(s.subscriptionId, () => patch(s.subscriptionId, { amount: '-5.00' }), 422, 'amount');
      await assertUnchanged(
        s.subscriptionId,
        () => patch(s.subscriptionId, { amount: '1000000000000' }),
        422,
        'amount',
      );
      await assertUnchanged(
        s.subscriptionId,
        () => patch(s.subscriptionId, { maxAccumulateAmount: 'lots' }),
        422,
        'maxAccumulateAmount',
      );
      await assertUnchanged(s.subscriptionId, () => patch(s.subscriptionId, { amount: 10 }), 400, 'amount');
      await assertUnchanged(
        s.subscriptionId,
        () => patch(s.subscriptionId, { interval: { days: 0 } }),
        400,
        'interval',
      );
      await assertUnchanged(
        s.subscriptionId,
        () => patch(s.subscriptionId, { recurringCount: -1 }),
        400,
        'recurringCount',
      );
      await assertUnchanged(s.subscriptionId, () => patch(s.subscriptionId, { currency: 'USD' }), 400, 'currency');
      await assertUnchanged(s.subscriptionId, () => patch(s.subscriptionId, { prorate: true }), 422, 'body');
      await assertUnchanged(s.subscriptionId, () => patch(s.subscriptionId, {}), 422, 'body');
    });

    it("when the new interval leaves the subscription's dunning window no room, then it answers 422 naming interval", async () => {
      const s = await activeSubscription(h, h.merchantA);
      // The plan is monthly with the default 7-day window: a weekly interval is not longer than the window.
      const answer = await assertUnchanged(
        s.subscriptionId,
        () => patch(s.subscriptionId, { interval: { days: 7 } }),
        422,
        'interval',
      );
      assert.match(
        answer.body.detail,
        /7-day dunning window must be shorter than the plan's shortest period \(7 days\)/,
      );
      assert.equal((await acceptedUpdates(s.subscriptionId)).length, 0, 'nothing reached the workflow');
    });

    it('when accumulation is switched on without a maximum, then it answers 422 naming maxAccumulateAmount', async () => {
      const s = await activeSubscription(h, h.merchantA);
      await assertUnchanged(
        s.subscriptionId,
        () => patch(s.subscriptionId, { allowAccumulate: true }),
        422,
        'maxAccumulateAmount',
      );
      await assertUnchanged(
        s.subscriptionId,
        () => patch(s.subscriptionId, { allowAccumulate: true, maxAccumulateAmount: '0.00' }),
        422,
        'maxAccumulateAmount',
      );
      const allowed = await patch(s.subscriptionId, { allowAccumulate: true, maxAccumulateAmount: '50.00' });
      assert.equal(allowed.status, 200, JSON.stringify(allowed.body));
    });

    it('when the subscription was created with a short dunning window, then a weekly interval is accepted', async () => {
      const s = await activeSubscription(h, h.merchantA, {}, { dunning: { windowDays: 3 } });
      const answer = await patch(s.subscriptionId, { interval: { days: 7 } });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.deepEqual(answer.body.plan.interval, { days: 7 });
    });

    it('when a plan change carries an Idempotency-Key, then a repeat replays the first answer', async () => {
      const s = await activeSubscription(h, h.merchantA);
      const first = await patch(s.subscriptionId, { amount: '80.00' }, h.merchantA.key, 'idem-patch-1');
      assert.equal(first.status, 200, JSON.stringify(first.body));
      const again = await patch(s.subscriptionId, { amount: '80.00' }, h.merchantA.key, 'idem-patch-1');
      assert.deepEqual([again.status, again.body], [200, first.body]);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assertProblem(await patch(s.subscriptionId, { amount: '70.00' }, h.merchantA.key, 'idem-patch-1'), 422);
      const updates = await acceptedUpdates(s.subscriptionId);
      assert.equal(updates.length, 1);
      assert.match(updates[0]?.id ?? '', /^changePlan-[0-9a-f]{32}$/);
    });

    it('when another merchant changes the plan, then it answers 404 and changes nothing', async () => {
      const s = await activeSubscription(h, h.merchantA);
      await assertUnchanged(s.subscriptionId, () => patch(s.subscriptionId, { amount: '1.00' }, h.merchantB.key), 404);
    });
  });

  describe('POST /v1/subscriptions/{id}/cancel', () => {
    it('when a subscription is cancelled with a refund of the last charge, then it answers the status and the refund', async () => {
      const s = await activeSubscription(h, h.merchantA);
      const answer = await cancel(s.subscriptionId, { refundPolicy: 'full_last_charge' });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.status, 'canceled');
      assert.equal(answer.body.refund.invoiceNo, s.invoiceNo);
      assert.equal(answer.body.refund.amount, '99.90');
    });

    it('when it is cancelled again after it ended, then it answers 409', async () => {
      const s = await activeSubscription(h, h.merchantA);
      assert.equal((await cancel(s.subscriptionId, { refundPolicy: 'none' })).status, 200);
      await h.client.workflow.getHandle(subscriptionWorkflowId(h.merchantA.id, s.subscriptionId)).result();
      const answer = await cancel(s.subscriptionId, { refundPolicy: 'none' });
      assertProblem(answer, 409);
      assert.equal(answer.body.subscriptionStatus, 'canceled');
    });

    it('when a cancel carries an Idempotency-Key, then its Update id comes from the key; without one, Temporal picks it', async () => {
      const keyed = await activeSubscription(h, h.merchantA);
      assert.equal((await cancel(keyed.subscriptionId, {}, h.merchantA.key, 'idem-cancel-1')).status, 200);
      assert.match((await acceptedUpdates(keyed.subscriptionId))[0]?.id ?? '', /^cancel-[0-9a-f]{32}$/);
      const plain = await activeSubscription(h, h.merchantA);
      assert.equal((await cancel(plain.subscriptionId, {})).status, 200);
      assert.doesNotMatch((await acceptedUpdates(plain.subscriptionId))[0]?.id ?? '', /^cancel-/);
    });

    it('when the cancel names no refund policy, then the one the subscription was created with applies', async () => {
      const s = await activeSubscription(h, h.merchantA, {}, { refundPolicy: 'full_last_charge' });
      const answer = await cancel(s.subscriptionId, {});
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.refund?.amount, '99.90');
      const plain = await activeSubscription(h, h.merchantA);
      const none = await cancel(plain.subscriptionId, {});
      assert.equal(none.status, 200, JSON.stringify(none.body));
      assert.equal(none.body.refund, undefined, 'without one, a cancel refunds nothing');
    });

    it('when the refund policy is unknown, then it answers 400 and cancels nothing', async () => {
      const s = await activeSubscription(h, h.merchantA);
      await assertUnchanged(
        s.subscriptionId,
        () => cancel(s.subscriptionId, { refundPolicy: 'everything' }),
        400,
        'refundPolicy',
      );
      assert.equal((await state(s.subscriptionId)).status, 'active');
    });

    it('when another merchant cancels, then it answers 404 and cancels nothing', async () => {
      const s = await activeSubscription(h, h.merchantA);
      await assertUnchanged(
        s.subscriptionId,
        () => cancel(s.subscriptionId, { refundPolicy: 'none' }, h.merchantB.key),
        404,
      );
    });
  });

  describe('POST /v1/subscriptions/{id}/refunds', () => {
    it('when part of a charge is refunded, then it answers 202 with the refund under way', async () => {
      const s = await activeSubscription(h, h.merchantA);
      const answer = await refund(s.subscriptionId, { invoiceNo: s.invoiceNo, amount: '40.00' });
      assert.equal(answer.status, 202, JSON.stringify(answer.body));
      assert.equal(answer.body.amount, '40.00');
      assert.equal(answer.body.status, 'requested');
      assert.equal(answer.body.refundId, `${s.invoiceNo}-R1`);
    });

    it('when the refund exceeds what is left of the charge, then it answers 422 naming amount in decimals and refunds nothing', async () => {
      const s = await activeSubscription(h, h.merchantA);
      assert.equal((await refund(s.subscriptionId, { invoiceNo: s.invoiceNo, amount: '90.00' })).status, 202);
      const answer = await assertUnchanged(
        s.subscriptionId,
        () => refund(s.subscriptionId, { invoiceNo: s.invoiceNo, amount: '10.00' }),
        422,
        'amount',
      );
      assert.equal(answer.body.type, '/problems/unprocessable-request');
      assert.match(answer.body.detail, /exceeds what is left/);
      assert.match(answer.body.detail, /10\.00 SGD .*\(9\.90 SGD\)/);
      assert.doesNotMatch(answer.body.detail, /\b(1000|990)\b/, 'no minor units');
    });

    it('when the refund names no charge of the subscription or a bad amount, then it answers 400/422 and refunds nothing', async () => {
      const s = await activeSubscription(h, h.merchantA);
      await assertUnchanged(
        s.subscriptionId,
        () => refund(s.subscriptionId, { invoiceNo: 'NOPE00000' }),
        422,
        'invoiceNo',
      );
      await assertUnchanged(
        s.subscriptionId,
        () => refund(s.subscriptionId, { invoiceNo: s.invoiceNo, amount: '1.005' }),
        422,
        'amount',
      );
      await assertUnchanged(
        s.subscriptionId,
        () => refund(s.subscriptionId, { invoiceNo: s.invoiceNo, amount: '-1.00' }),
        422,
        'amount',
      );
      await assertUnchanged(
        s.subscriptionId,
        () => refund(s.subscriptionId, { invoiceNo: s.invoiceNo, amount: 1 }),
        400,
        'amount',
      );
      await assertUnchanged(s.subscriptionId, () => refund(s.subscriptionId, { amount: '1.00' }), 400, 'invoiceNo');
    });

    it('when a refund is retried with the same Idempotency-Key after its key was released, then no second refund runs', async () => {
      const s = await activeSubscription(h, h.merchantA);
      const body = { invoiceNo: s.invoiceNo, amount: '40.00' };
      const first = await refund(s.subscriptionId, body, h.merchantA.key, 'idem-refund-1');
      assert.equal(first.status, 202, JSON.stringify(first.body));
      // As after a 503 or a timeout whose update had in fact run: the key is released, the client retries.
      await h.pool.query(`DELETE FROM idempotency_keys WHERE key = 'idem-refund-1'`);
      const retried = await refund(s.subscriptionId, body, h.merchantA.key, 'idem-refund-1');
      assert.equal(retried.status, 202, JSON.stringify(retried.body));
      assert.equal(retried.headers['idempotent-replayed'], undefined, 'the retry ran, it was not replayed');
      assert.equal(retried.body.refundId, first.body.refundId);
      assert.equal((await state(s.subscriptionId)).refunds.length, 1);
      // Another key is another request.
      const other = await refund(s.subscriptionId, body, h.merchantA.key, 'idem-refund-2');
      assert.equal(other.status, 202);
      assert.equal((await state(s.subscriptionId)).refunds.length, 2);
    });

    it('when another merchant asks for a refund, then it answers 404 and refunds nothing', async () => {
      const s = await activeSubscription(h, h.merchantA);
      await assertUnchanged(
        s.subscriptionId,
        () => refund(s.subscriptionId, { invoiceNo: s.invoiceNo }, h.merchantB.key),
        404,
      );
    });
  });

  describe('POST /v1/subscriptions/{id}/retry', () => {
    const attention = {
      operation: 'Payment inquiry F00000000003',
      failureType: 'ERR_GATEWAY_PROTOCOL',
      reason: 'the response signature does not verify',
    };

    it('when a subscription needs attention, then GET shows why, the list finds it, and a retry resumes it', async () => {
      const s = await activeSubscription(h, h.merchantA);
      await handle(s.subscriptionId).signal(needsAttentionSignal, attention);
      const shown = await eventually(async () => {
        const answer = await h.request('GET', `/v1/subscriptions/${s.subscriptionId}`, { key: h.merchantA.key });
        return answer.body.status === 'needs_attention' ? answer : undefined;
      }, 'needs_attention');
      assert.deepEqual(
        { ...shown.body.attention, since: undefined, nextAttemptAt: undefined },
        { ...attention, attempts: 1, resumeStatus: 'active', since: undefined, nextAttemptAt: undefined },
      );
      assert.ok(shown.body.nextChargeDate, 'needs_attention is not an end');
      await h.settle(h.merchantA.id, s.subscriptionId);
      const listed = await h.request('GET', '/v1/subscriptions?status=needs_attention&limit=100', {
        key: h.merchantA.key,
      });
      assert.equal(listed.status, 200);
      assert.ok(listed.body.items.some((i: { subscriptionId: string }) => i.subscriptionId === s.subscriptionId));

      const answer = await retry(s.subscriptionId, h.merchantA.key, 'idem-retry-1');
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.deepEqual(answer.body, { subscriptionId: s.subscriptionId, status: 'active' });
      const after = await h.request('GET', `/v1/subscriptions/${s.subscriptionId}`, { key: h.merchantA.key });
      assert.equal(after.body.status, 'active');
      assert.equal(after.body.attention, undefined);
      const [update] = await acceptedUpdates(s.subscriptionId);
      assert.deepEqual(update?.name, 'retry');
      assert.match(update?.id ?? '', /^retry-[0-9a-f]{32}$/);
    });

    it('when nothing awaits a retry, then the workflow refuses it and it answers 409', async () => {
      const s = await activeSubscription(h, h.merchantA);
      const answer = await assertUnchanged(s.subscriptionId, () => retry(s.subscriptionId), 409);
      assert.equal(answer.body.type, '/problems/state-conflict');
      assert.match(answer.body.detail, /awaits no retry/);
    });

    it("when the subscription has ended or is another merchant's, then it answers 409 or 404", async () => {
      const s = await activeSubscription(h, h.merchantA);
      await assertUnchanged(s.subscriptionId, () => retry(s.subscriptionId, h.merchantB.key), 404);
      assert.equal((await cancel(s.subscriptionId, {})).status, 200);
      await handle(s.subscriptionId).result();
      const answer = await retry(s.subscriptionId);
      assertProblem(answer, 409);
      assert.equal(answer.body.subscriptionStatus, 'canceled');
    });
  });
});
