// POST /v1/2c2p/notifications: verified with the merchant's secret, stored once, signalled; forgeries change nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { stateQuery, subscriptionWorkflowId } from '../../src/workflows/definitions.js';
import { startApiHarness, type ApiHarness } from './support/api-harness.js';
import { eventually, startSubscription } from './support/flows.js';
import { assertProblem, notificationJson, signNotification } from './support/requests.js';

describe('POST /v1/2c2p/notifications', () => {
  let h: ApiHarness;
  before(async () => {
    h = await startApiHarness();
  });
  after(async () => {
    await h?.stop();
  });

  const notify = (payload: unknown) => h.request('POST', '/v1/2c2p/notifications', { body: { payload } });
  const view = (subscriptionId: string) =>
    h.client.workflow.getHandle(subscriptionWorkflowId(h.merchantA.id, subscriptionId)).query(stateQuery);

  /** Sends a notification that must be refused, then checks nothing was stored and the workflow did not move. */
  async function assertRejected(send: () => Promise<any>, subscriptionId: string) {
    await h.settleAll();
    const counts = await h.counts();
    const before = await view(subscriptionId);
    const answer = await send();
    assertProblem(answer, 400);
    assert.deepEqual(await h.counts(), counts);
    assert.deepEqual(await view(subscriptionId), before);
    return answer;
  }

  it('when 2C2P notifies a payment, then it answers 200, stores it and signals the subscription', async () => {
    const s = await startSubscription(h, h.merchantA);
    const invoiceNo = `${s.invoicePrefix}00000`;
    const answer = await notify(signNotification(notificationJson(h.merchantA.id, invoiceNo), h.merchantA.secret));
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { received: true });
    const { rows } = await h.pool.query(
      'SELECT merchant_id, invoice_no, resp_code, subscription_id, dedupe_key FROM notifications WHERE invoice_no = $1',
      [invoiceNo],
    );
    assert.equal(rows.length, 1);
    assert.equal(rows[0].subscription_id, s.subscriptionId);
    assert.match(rows[0].dedupe_key, /^[0-9a-f]{64}$/);
    const state = await eventually(async () => {
      const v = await view(s.subscriptionId);
      return v.status === 'active' ? v : undefined;
    }, 'the signal');
    assert.equal(state.charges[0]?.invoiceNo, invoiceNo);
    assert.equal(state.maskedCard, '411111XXXXXX1111');
  });

  it('when the same notification arrives twice, then both answer 200 and it is stored once', async () => {
    const s = await startSubscription(h, h.merchantA);
    const token = signNotification(notificationJson(h.merchantA.id, `${s.invoicePrefix}00000`), h.merchantA.secret);
    assert.equal((await notify(token)).status, 200);
    assert.equal((await notify(token)).status, 200);
    const { rowCount } = await h.pool.query('SELECT 1 FROM notifications WHERE invoice_no = $1', [
      `${s.invoicePrefix}00000`,
    ]);
    assert.equal(rowCount, 1);
    const v = await view(s.subscriptionId);
    assert.equal(v.charges.length, 1);
  });

  it('when the notification names card data as cardNo, then the masked card reaches the workflow', async () => {
    const s = await startSubscription(h, h.merchantA);
    const json = JSON.parse(notificationJson(h.merchantA.id, `${s.invoicePrefix}00000`));
    delete json.accountNo;
    json.cardNo = '520000XXXXXX0007';
    assert.equal((await notify(signNotification(JSON.stringify(json), h.merchantA.secret))).status, 200);
    const v = await eventually(async () => {
      const current = await view(s.subscriptionId);
      return current.status === 'active' ? current : undefined;
    }, 'the signal');
    assert.equal(v.maskedCard, '520000XXXXXX0007');
  });

  it('when the notification is signed with the wrong secret, then it answers 400 and nothing is stored or signalled', async () => {
    const s = await startSubscription(h, h.merchantA);
    const json = notificationJson(h.merchantA.id, `${s.invoicePrefix}00000`);
    await assertRejected(() => notify(signNotification(json, 'not-the-secret')), s.subscriptionId);
    // Merchant B's genuine secret does not vouch for a notification that claims to be merchant A's.
    await assertRejected(() => notify(signNotification(json, h.merchantB.secret)), s.subscriptionId);
  });

  it('when the signed payload was altered, then it answers 400 and changes nothing', async () => {
    const s = await startSubscription(h, h.merchantA);
    const token = signNotification(
      notificationJson(h.merchantA.id, `${s.invoicePrefix}00000`, { respCode: '4200' }),
      h.merchantA.secret,
    );
    const [header, , signature] = token.split('.');
    const forged = Buffer.from(notificationJson(h.merchantA.id, `${s.invoicePrefix}00000`)).toString('base64url');
    await assertRejected(() => notify(`${header}.${forged}.${signature}`), s.subscriptionId);
  });

  it('when the token or body is malformed, then it answers 400 and changes nothing', async () => {
    const s = await startSubscription(h, h.merchantA);
    await assertRejected(() => notify('not-a-jwt'), s.subscriptionId);
    await assertRejected(() => notify('a.b.c'), s.subscriptionId);
    await assertRejected(() => notify(42), s.subscriptionId);
    await assertRejected(() => h.request('POST', '/v1/2c2p/notifications', { body: {} }), s.subscriptionId);
    await assertRejected(
      () =>
        h.request('POST', '/v1/2c2p/notifications', {
          rawBody: 'payload=abc',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
      s.subscriptionId,
    );
    await assertRejected(
      () =>
        h.request('POST', '/v1/2c2p/notifications', {
          rawBody: '{"payload": ',
          headers: { 'content-type': 'application/json' },
        }),
      s.subscriptionId,
    );
    await assertRejected(
      () =>
        h.request('POST', '/v1/2c2p/notifications', { rawBody: 'hello', headers: { 'content-type': 'text/plain' } }),
      s.subscriptionId,
    );
  });

  it('when the merchant is unknown or the claims lack invoiceNo, then it answers 400 and changes nothing', async () => {
    const s = await startSubscription(h, h.merchantA);
    await assertRejected(
      () => notify(signNotification(notificationJson('UNKNOWN01', `${s.invoicePrefix}00000`), h.merchantA.secret)),
      s.subscriptionId,
    );
    const json = JSON.parse(notificationJson(h.merchantA.id, `${s.invoicePrefix}00000`));
    delete json.invoiceNo;
    await assertRejected(() => notify(signNotification(JSON.stringify(json), h.merchantA.secret)), s.subscriptionId);
    await assertRejected(() => notify(signNotification('[1,2,3]', h.merchantA.secret)), s.subscriptionId);
  });

  it('when the invoice belongs to no subscription, then it answers 200 and stores it unmatched', async () => {
    const answer = await notify(
      signNotification(notificationJson(h.merchantA.id, 'ZZZZZZZZZZZZ00000'), h.merchantA.secret),
    );
    assert.equal(answer.status, 200);
    const { rows } = await h.pool.query('SELECT subscription_id FROM notifications WHERE invoice_no = $1', [
      'ZZZZZZZZZZZZ00000',
    ]);
    assert.deepEqual(rows, [{ subscription_id: null }]);
  });

  it("when merchant B's secret signs a notification for merchant A's invoice, then it answers 400 and changes nothing", async () => {
    const s = await startSubscription(h, h.merchantA);
    const answer = await assertRejected(
      () => notify(signNotification(notificationJson(h.merchantB.id, `${s.invoicePrefix}00000`), h.merchantB.secret)),
      s.subscriptionId,
    );
    assert.equal(answer.body.type, '/problems/malformed-request');
  });
});
