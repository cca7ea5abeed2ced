// PATCH (plan change), /cancel and /refunds: Workflow Updates, their refusals, and bad input that changes nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { stateQuery, subscriptionWorkflowId } from '../../src/workflows/definitions.js';
import { REFUSED_AMOUNT_MINOR } from '../fixtures/workflows/fake-subscription.js';
import { startApiHarness, type ApiHarness } from './support/api-harness.js';
import { activeSubscription, startSubscription } from './support/flows.js';
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
  const patch = (id: string, body: unknown, key = h.merchantA.key) =>
    h.request('PATCH', `/v1/subscriptions/${id}`, { key, body });
  const cancel = (id: string, body: unknown, key = h.merchantA.key) =>
    h.request('POST', `/v1/subscriptions/${id}/cancel`, { key, body });
  const refund = (id: string, body: unknown, key = h.merchantA.key) =>
    h.request('POST', `/v1/subscriptions/${id}/refunds`, { key, body });

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

    it('when the refund exceeds what is left of the charge, then it answers 422 with the reason and refunds nothing', async () => {
      const s = await activeSubscription(h, h.merchantA);
      assert.equal((await refund(s.subscriptionId, { invoiceNo: s.invoiceNo, amount: '90.00' })).status, 202);
      const answer = await assertUnchanged(
        s.subscriptionId,
        () => refund(s.subscriptionId, { invoiceNo: s.invoiceNo, amount: '10.00' }),
        422,
      );
      assert.match(answer.body.detail, /exceeds what is left/);
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

    it('when another merchant asks for a refund, then it answers 404 and refunds nothing', async () => {
      const s = await activeSubscription(h, h.merchantA);
      await assertUnchanged(
        s.subscriptionId,
        () => refund(s.subscriptionId, { invoiceNo: s.invoiceNo }, h.merchantB.key),
        404,
      );
    });
  });
});
