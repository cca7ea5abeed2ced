// POST /v1/subscriptions: update-with-start, one workflow per subscription, and every kind of bad input.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import {
  MerchantIdAttribute,
  CustomerIdAttribute,
  subscriptionWorkflowId,
  type SubscriptionInput,
} from '../../src/workflows/definitions.js';
import { FAIL_CHECKOUT } from '../fixtures/workflows/fake-subscription.js';
import { startApiHarness, type ApiHarness } from './support/api-harness.js';
import { assertProblem, subscriptionBody } from './support/requests.js';

describe('POST /v1/subscriptions', () => {
  let h: ApiHarness;
  before(async () => {
    h = await startApiHarness();
  });
  after(async () => {
    await h?.stop();
  });

  const post = (body: unknown, key = h.merchantA.key) => h.request('POST', '/v1/subscriptions', { key, body });

  /** Posts a bad body and checks the answer, then that no row, key or workflow appeared. */
  async function assertRefused(body: Record<string, any>, status: number, field: string) {
    await h.settleAll();
    const before = await h.counts();
    const answer = await post(body);
    assertProblem(answer, status, field);
    assert.deepEqual(await h.counts(), before);
    if (typeof body.subscriptionId === 'string')
      assert.equal(await h.workflowExists(h.merchantA.id, body.subscriptionId), false);
    return answer;
  }

  it('when a merchant starts a subscription, then it answers 201 with the payment page and starts the workflow', async () => {
    const body = subscriptionBody();
    const answer = await post(body);
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.equal(answer.body.subscriptionId, body.subscriptionId);
    assert.equal(answer.body.status, 'pending_payment');
    assert.match(answer.body.webPaymentUrl, /^https:\/\//);
    assert.ok(answer.body.paymentToken);
    assert.ok(!Number.isNaN(Date.parse(answer.body.expiresAt)));
    const handle = h.client.workflow.getHandle(subscriptionWorkflowId(h.merchantA.id, body.subscriptionId));
    const description = await handle.describe();
    assert.equal(description.type, 'subscriptionWorkflow');
    assert.equal(description.typedSearchAttributes.get(MerchantIdAttribute), h.merchantA.id);
    assert.equal(description.typedSearchAttributes.get(CustomerIdAttribute), 'cust_1');
    // The run's summary view in the Temporal UI shows who it is for and the plan it started with.
    assert.match((await description.staticSummary()) ?? '', /^cust_1: 99\.90 \w{3}, /);
    assert.match(
      (await description.staticDetails()) ?? '',
      new RegExp(`subscription \\*\\*${body.subscriptionId}\\*\\*[\\s\\S]*monthly on day 1, first recurring charge `),
    );
    const [input] =
      (await handle.fetchHistory()).events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
    const started = defaultPayloadConverter.fromPayload<SubscriptionInput>(input!);
    assert.equal(started.merchantId, h.merchantA.id);
    assert.equal(started.plan.amountMinor, 9990);
    assert.deepEqual(started.plan.interval, { kind: 'day-of-month', day: 1 });
    assert.deepEqual(started.dunning, { windowDays: 7, reminders: 2 });
    assert.equal(started.backendReturnUrl, 'http://127.0.0.1:3000/v1/2c2p/notifications');
    await h.waitForRow(body.subscriptionId);
  });

  it('when the same subscription is started twice, then both answers carry the same page and there is one workflow', async () => {
    const body = subscriptionBody();
    const first = await post(body);
    const second = await post(structuredClone(body));
    assert.equal(first.status, 201);
    assert.equal(second.status, 201);
    assert.deepEqual(second.body, first.body);
    const runs = [];
    for await (const run of h.client.workflow.list({
      query: `WorkflowId = '${subscriptionWorkflowId(h.merchantA.id, body.subscriptionId)}'`,
    }))
      runs.push(run);
    assert.equal(runs.length, 1);
    await h.waitForRow(body.subscriptionId);
  });

  it('when a subscriptionId is reused with another body, then it answers 409 naming the first field that differs', async () => {
    const body = subscriptionBody();
    const first = await post(body);
    assert.equal(first.status, 201);
    await h.waitForRow(body.subscriptionId);
    for (const [other, field] of [
      [{ ...body, plan: { ...body.plan, amount: '10.00' } }, 'plan.amount'],
      [{ ...body, customerId: 'cust_other' }, 'customerId'],
      [{ ...body, dunning: { windowDays: 3 } }, 'dunning.windowDays'],
      [{ ...body, refundPolicy: 'prorated' }, 'refundPolicy'],
    ] as const) {
      await h.settleAll();
      const before = await h.counts();
      const answer = await post(other);
      assertProblem(answer, 409, field);
      assert.equal(answer.body.type, '/problems/already-exists');
      assert.equal(JSON.stringify(answer.body).includes(first.body.webPaymentUrl), false, 'the first page never leaks');
      assert.deepEqual(await h.counts(), before);
    }
    // The first request still replays.
    assert.deepEqual((await post(body)).body, first.body);
  });

  it('when no subscriptionId is given, then one is generated', async () => {
    const { subscriptionId: _omit, ...body } = subscriptionBody();
    const answer = await post(body);
    assert.equal(answer.status, 201);
    assert.match(answer.body.subscriptionId, /^sub_[0-9a-f]{32}$/);
    assert.equal(await h.workflowExists(h.merchantA.id, answer.body.subscriptionId), true);
    await h.waitForRow(answer.body.subscriptionId);
  });

  it("when the body names a merchantId, then it answers 400 (the merchant is the API key's) and starts nothing", async () => {
    await assertRefused(subscriptionBody({ merchantId: h.merchantB.id }), 400, 'merchantId');
  });

  it('when required fields are missing, then it answers 400 naming each and starts nothing', async () => {
    const { customerId: _c, ...body } = subscriptionBody();
    await assertRefused(body, 400, 'customerId');
    const noPlan = subscriptionBody();
    delete noPlan.plan;
    await assertRefused(noPlan, 400, 'plan');
    const noAmount = subscriptionBody();
    delete noAmount.plan.amount;
    await assertRefused(noAmount, 400, 'plan.amount');
  });

  it('when fields have the wrong type, then it answers 400 naming the field and starts nothing', async () => {
    await assertRefused(subscriptionBody({}, { amount: 99.9 }), 400, 'plan.amount');
    await assertRefused(subscriptionBody({}, { recurringCount: '12' }), 400, 'plan.recurringCount');
    await assertRefused(subscriptionBody({}, { interval: { weeks: 2 } }), 400, 'plan.interval');
    await assertRefused(subscriptionBody({}, { allowAccumulate: 'yes' }), 400, 'plan.allowAccumulate');
    await assertRefused(subscriptionBody({ customerTokens: 'tok' }), 400, 'customerTokens');
    await assertRefused(subscriptionBody({ subscriptionId: 'has spaces' }), 400, 'subscriptionId');
  });

  it('when the body is not JSON, then it answers 400 and starts nothing', async () => {
    const before = await h.counts();
    const answer = await h.request('POST', '/v1/subscriptions', {
      key: h.merchantA.key,
      rawBody: '{"plan": ',
      headers: { 'content-type': 'application/json' },
    });
    assertProblem(answer, 400);
    assert.deepEqual(await h.counts(), before);
  });

  for (const [amount, why] of [
    ['99.999', 'three decimals'],
    ['-10.00', 'negative'],
    ['NaN', 'not a number'],
    ['1e3', 'exponent notation'],
    ['99999999999.00', 'more than 12 digits of minor units'],
    ['0.00', 'zero'],
  ] as const) {
    it(`when the amount is ${why} (${amount}), then it answers 422 naming plan.amount and starts nothing`, async () => {
      await assertRefused(subscriptionBody({}, { amount }), 422, 'plan.amount');
    });
  }

  it('when the currency is unknown or not an alphabetic code, then it answers 422 naming plan.currency', async () => {
    await assertRefused(subscriptionBody({}, { currency: 'XYZ' }), 422, 'plan.currency');
    await assertRefused(subscriptionBody({}, { currency: '702' }), 422, 'plan.currency');
  });

  it('when the amount has more decimals than a zero-decimal currency allows, then it answers 422', async () => {
    await assertRefused(subscriptionBody({}, { currency: 'JPY', amount: '1000.5' }), 422, 'plan.amount');
  });

  it('when the first charge date is impossible or not in the future, then it answers 422 naming it', async () => {
    await assertRefused(subscriptionBody({}, { firstChargeDate: '2030-02-30' }), 422, 'plan.firstChargeDate');
    await assertRefused(subscriptionBody({}, { firstChargeDate: '2020-01-01' }), 422, 'plan.firstChargeDate');
    await assertRefused(subscriptionBody({}, { firstChargeDate: '01/02/2030' }), 400, 'plan.firstChargeDate');
  });

  it('when a weekly plan names no dunning, then it starts with a window shorter than its week', async () => {
    const body = subscriptionBody({}, { interval: { days: 7 } });
    const answer = await post(body);
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    const handle = h.client.workflow.getHandle(subscriptionWorkflowId(h.merchantA.id, body.subscriptionId));
    const [input] =
      (await handle.fetchHistory()).events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
    assert.deepEqual(defaultPayloadConverter.fromPayload<SubscriptionInput>(input!).dunning, {
      windowDays: 6,
      reminders: 2,
    });
    await h.waitForRow(body.subscriptionId);
  });

  it('when the currency has three decimals (KWD, BHD), then it answers 422 naming plan.currency and starts nothing', async () => {
    for (const currency of ['KWD', 'BHD']) {
      const answer = await assertRefused(subscriptionBody({}, { currency, amount: '10.000' }), 422, 'plan.currency');
      assert.match(answer.body.detail, /3 decimals; 2C2P refund amounts carry at most two/);
    }
  });

  it('when the dunning window is not shorter than the shortest period, then it answers 422 naming dunning.windowDays', async () => {
    await assertRefused(
      subscriptionBody({ dunning: { windowDays: 7 } }, { interval: { days: 7 } }),
      422,
      'dunning.windowDays',
    );
  });

  it('when accumulation is allowed without a maximum, then it answers 422 naming plan.maxAccumulateAmount', async () => {
    await assertRefused(subscriptionBody({}, { allowAccumulate: true }), 422, 'plan.maxAccumulateAmount');
    await assertRefused(
      subscriptionBody({}, { allowAccumulate: true, maxAccumulateAmount: '1.001' }),
      422,
      'plan.maxAccumulateAmount',
    );
  });

  it('when 2C2P cannot create the payment page, then it answers 502 with the reason', async () => {
    const body = subscriptionBody({ description: FAIL_CHECKOUT });
    const answer = await post(body);
    assertProblem(answer, 502);
    assert.match(answer.body.detail, /payment page could not be created/);
    await h.client.workflow.getHandle(subscriptionWorkflowId(h.merchantA.id, body.subscriptionId)).result();
  });

  it('when another merchant already uses the subscriptionId, then it answers 409 and starts no workflow', async () => {
    const body = subscriptionBody();
    assert.equal((await post(body)).status, 201);
    await h.waitForRow(body.subscriptionId);
    const answer = await post(body, h.merchantB.key);
    assertProblem(answer, 409);
    assert.equal(await h.workflowExists(h.merchantB.id, body.subscriptionId), false);
    assert.equal(JSON.stringify(answer.body).includes(h.merchantA.id), false);
  });

  it('when an ended subscription is started again, then it answers 409 and starts no second plan', async () => {
    const body = subscriptionBody();
    assert.equal((await post(body)).status, 201);
    assert.equal(
      (
        await h.request('POST', `/v1/subscriptions/${body.subscriptionId}/cancel`, {
          key: h.merchantA.key,
          body: { refundPolicy: 'none' },
        })
      ).status,
      200,
    );
    await h.client.workflow.getHandle(subscriptionWorkflowId(h.merchantA.id, body.subscriptionId)).result();
    assertProblem(await post(body), 409);
    const other = await post({ ...body, customerId: 'cust_other' });
    assertProblem(other, 409, 'customerId');
  });
});
