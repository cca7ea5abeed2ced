// Many merchants in one deployment: two merchants onboarded through the admin API, each with its own 2C2P
// credentials in one sandbox, run side by side; neither's key, credentials or data ever serve the other.
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { generateKeyPair } from '../../src/gateway/keys.js';
import { notificationJson, signNotification, subscriptionBody } from '../api/support/requests.js';
import { eventually } from '../support/eventually.js';
import {
  startTwoMerchantStack,
  WORKER_CREDENTIALS_TTL_MS,
  type StackMerchant,
  type TwoMerchantStack,
} from '../support/two-merchant-stack.js';

interface Answer {
  status: number;
  text: string;
  body: any;
}

interface Paid {
  subscriptionId: string;
  invoiceNo: string;
  invoicePrefix: string;
}

describe('many merchants in one deployment', () => {
  let stack: TwoMerchantStack;
  let A: StackMerchant;
  let B: StackMerchant;
  const paid = new Map<string, Paid>();

  const call = async (method: string, path: string, key: string | undefined, body?: unknown): Promise<Answer> => {
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, text, body: text ? JSON.parse(text) : {} };
  };
  const admin = (method: string, path: string, body?: unknown) => call(method, path, stack.adminKey, body);
  const onboarding = (m: StackMerchant) => ({
    id: m.id,
    name: `Shop ${m.id}`,
    gatewayMerchantId: m.gatewayMerchantId,
    privateKey: m.privateKeyPem,
    gatewayPublicKey: stack.sandboxPublicKeyPem,
    secret: m.secret,
  });

  before(async () => {
    stack = await startTwoMerchantStack();
    A = stack.merchantA;
    B = stack.merchantB;
    for (const m of [A, B]) {
      const onboarded = await admin('POST', '/v1/admin/merchants', onboarding(m));
      assert.equal(onboarded.status, 201, onboarded.text);
      const issued = await admin('POST', `/v1/admin/merchants/${m.id}/api-keys`);
      assert.equal(issued.status, 201, issued.text);
      assert.match(issued.body.key, /^rk_test_/);
      m.apiKey = issued.body.key;
    }
  });
  after(async () => {
    await stack?.stop();
  });

  async function subscribeAndPay(m: StackMerchant): Promise<Paid> {
    const created = await call('POST', '/v1/subscriptions', m.apiKey, subscriptionBody({ customerId: `cust_${m.id}` }));
    assert.equal(created.status, 201, created.text);
    const { subscriptionId, webPaymentUrl } = created.body;
    const page = await fetch(webPaymentUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=approve',
    });
    await page.text();
    assert.ok(page.status < 400, `payment page answered ${page.status}`);
    const charge = await eventually(async () => {
      const charges = await call('GET', `/v1/subscriptions/${subscriptionId}/charges`, m.apiKey);
      assert.equal(charges.body.items?.[0]?.status, 'succeeded', charges.text);
      return charges.body.items[0] as { invoiceNo: string };
    });
    await eventually(async () => {
      assert.equal((await call('GET', `/v1/subscriptions/${subscriptionId}`, m.apiKey)).body.status, 'active');
    });
    const { rows } = await stack.pool.query<{ invoice_prefix: string }>(
      'SELECT invoice_prefix FROM subscriptions WHERE id = $1',
      [subscriptionId],
    );
    return { subscriptionId, invoiceNo: charge.invoiceNo, invoicePrefix: rows[0]!.invoice_prefix };
  }

  it('when two merchants subscribe and pay side by side, then each call went to 2C2P under its own merchant id and keys', async () => {
    const [a, b] = await Promise.all([subscribeAndPay(A), subscribeAndPay(B)]);
    paid.set(A.id, a);
    paid.set(B.id, b);
    const ledger = stack.sandbox.ledger();
    const owner = (invoiceNo: string) => ledger.transactions.find((t) => t.invoiceNo === invoiceNo)?.merchantId;
    // The sandbox verified each request with the public key of the merchant it names: A's came signed by A.
    assert.equal(owner(a.invoiceNo), A.gatewayMerchantId);
    assert.equal(owner(b.invoiceNo), B.gatewayMerchantId);
    for (const [m, other, s] of [
      [A, B, a],
      [B, A, b],
    ] as const) {
      const { rows } = await stack.pool.query<{ merchant_id: string; request: unknown }>(
        'SELECT merchant_id, request FROM gateway_exchanges WHERE subscription_id = $1',
        [s.subscriptionId],
      );
      assert.ok(rows.length > 0);
      for (const row of rows) {
        assert.equal(row.merchant_id, m.id);
        const request = JSON.stringify(row.request);
        assert.ok(request.includes(m.gatewayMerchantId), request);
        assert.equal(request.includes(`"${other.gatewayMerchantId}"`), false, request);
      }
      const stored = await stack.pool.query('SELECT merchant_id FROM notifications WHERE invoice_no = $1', [
        s.invoiceNo,
      ]);
      assert.deepEqual(stored.rows, [{ merchant_id: m.id }]);
    }
  });

  it("when each merchant asks for its balance, then 2C2P's answer is its own, and the other's is 404", async () => {
    for (const m of [A, B]) {
      const balance = await call('GET', `/v1/merchants/${m.id}/balance`, m.apiKey);
      assert.equal(balance.status, 200, balance.text);
      const atSandbox = stack.sandbox.ledger().merchants.find((x) => x.merchantId === m.gatewayMerchantId)!;
      assert.equal(Math.round(Number(balance.body.availableBalance) * 100), atSandbox.balance.minor);
    }
    const own = (await call('GET', `/v1/merchants/${A.id}/balance`, A.apiKey)).body.availableBalance;
    assert.notEqual(own, (await call('GET', `/v1/merchants/${B.id}/balance`, B.apiKey)).body.availableBalance);
    assert.equal((await call('GET', `/v1/merchants/${B.id}/balance`, A.apiKey)).status, 404);
    assert.equal((await call('GET', `/v1/merchants/${A.id}/balance`, B.apiKey)).status, 404);
  });

  it("when one merchant's key is used on every merchant route against the other's data, then nothing of it is seen or changed", async () => {
    const merchantRoutes = stack.routes.filter(
      (r) =>
        r.url.startsWith('/v1/') &&
        !r.url.startsWith('/v1/admin/') &&
        !r.url.startsWith('/v1/2c2p/') &&
        r.method !== 'HEAD',
    );
    assert.ok(merchantRoutes.length >= 10, JSON.stringify(merchantRoutes));
    for (const [caller, owner] of [
      [A, B],
      [B, A],
    ] as const) {
      const theirs = paid.get(owner.id)!;
      const before = await call('GET', `/v1/subscriptions/${theirs.subscriptionId}`, owner.apiKey);
      // The owner's webhook endpoint and one of its events: the ids the webhook and event routes take.
      const ownerUrl = `http://127.0.0.1:9/${owner.id}-hooks`;
      const created = await call('POST', '/v1/webhook-endpoints', owner.apiKey, {
        url: ownerUrl,
        enabledEvents: ['*'],
      });
      assert.equal(created.status, 201, created.text);
      const theirEndpoint = created.body.id as string;
      const theirEvents = await call('GET', `/v1/events?subscriptionId=${theirs.subscriptionId}`, owner.apiKey);
      const theirEvent = theirEvents.body.items?.[0]?.id as string;
      assert.match(theirEvent, /^evt_/, theirEvents.text);
      const endpointsBefore = await call('GET', `/v1/webhook-endpoints/${theirEndpoint}`, owner.apiKey);
      // The owner's data a response could leak; an id only where the caller did not send it.
      const leaks = (answer: Answer, sent: string[] = []) =>
        [
          theirs.subscriptionId,
          theirs.invoicePrefix,
          `cust_${owner.id}`,
          owner.gatewayMerchantId,
          theirEndpoint,
          theirEvent,
          ownerUrl,
        ].filter((x) => !sent.includes(x) && answer.text.includes(x));
      const idFor = (url: string) =>
        url.startsWith('/v1/merchants/')
          ? owner.id
          : url.startsWith('/v1/webhook-endpoints/')
            ? theirEndpoint
            : url.startsWith('/v1/events/')
              ? theirEvent
              : theirs.subscriptionId;
      // Bodies that pass each route's schema, so the answer comes from the ownership check and not validation.
      const bodies: Record<string, unknown> = {
        'PATCH /v1/subscriptions/:id': { amount: '20.00' },
        'POST /v1/subscriptions/:id/cancel': { refundPolicy: 'full_last_charge' },
        'POST /v1/subscriptions/:id/refunds': { invoiceNo: theirs.invoiceNo, amount: '1.00' },
        'POST /v1/subscriptions/:id/retry': {},
        'PATCH /v1/webhook-endpoints/:id': { description: 'taken over' },
        'POST /v1/webhook-endpoints/:id/rotate-secret': {},
        'POST /v1/events/:id/redeliver': {},
      };
      for (const route of merchantRoutes) {
        const name = `${route.method} ${route.url}`;
        let answer: Answer;
        let sent: string[] = [];
        if (route.url.includes(':id')) {
          const id = idFor(route.url);
          sent = [id];
          answer = await call(route.method, route.url.replace(':id', id), caller.apiKey, bodies[name]);
          assert.equal(answer.status, 404, `${name} as ${caller.id}: ${answer.text}`);
        } else if (route.method === 'GET') {
          answer = await call('GET', route.url, caller.apiKey);
          assert.ok(answer.status < 500, `${name}: ${answer.text}`);
          // Naming the other merchant in the query: refused where the route reads merchantId, never answered with its data.
          const asOwner = await call('GET', `${route.url}?merchantId=${owner.id}`, caller.apiKey);
          if (name === 'GET /v1/subscriptions') assert.equal(asOwner.status, 404, asOwner.text);
          assert.ok(asOwner.status < 500, `${name}?merchantId=${owner.id}: ${asOwner.text}`);
          assert.deepEqual(leaks(asOwner), [], name);
        } else if (name === 'POST /v1/subscriptions') {
          sent = [theirs.subscriptionId];
          answer = await call(
            'POST',
            route.url,
            caller.apiKey,
            subscriptionBody({ subscriptionId: theirs.subscriptionId }),
          );
          assert.equal(answer.status, 409, `${name} with ${owner.id}'s subscription id: ${answer.text}`);
        } else if (name === 'POST /v1/webhook-endpoints') {
          // An endpoint is always the caller's own: the new one is listed for the caller, never for the owner.
          answer = await call('POST', route.url, caller.apiKey, {
            url: `http://127.0.0.1:9/${caller.id}-own`,
            enabledEvents: ['*'],
          });
          assert.equal(answer.status, 201, answer.text);
          const ownerList = await call('GET', '/v1/webhook-endpoints', owner.apiKey);
          assert.equal(ownerList.text.includes(answer.body.id as string), false, ownerList.text);
        } else {
          assert.fail(`${name} has no isolation check: add one to this test`);
        }
        assert.deepEqual(leaks(answer, sent), [], `${name} as ${caller.id} shows ${owner.id}'s data`);
      }
      const list = await call('GET', '/v1/subscriptions', caller.apiKey);
      assert.ok(list.text.includes(paid.get(caller.id)!.subscriptionId), 'the caller sees its own subscription');
      // Nothing of the owner's moved: same state, no refund at 2C2P.
      const afterwards = await call('GET', `/v1/subscriptions/${theirs.subscriptionId}`, owner.apiKey);
      assert.deepEqual(afterwards.body, before.body);
      const endpointAfterwards = await call('GET', `/v1/webhook-endpoints/${theirEndpoint}`, owner.apiKey);
      assert.deepEqual(endpointAfterwards.body, endpointsBefore.body);
      assert.equal(
        stack.sandbox.ledger().refunds.some((r) => r.invoiceNo === theirs.invoiceNo),
        false,
      );
    }
  });

  it("when a notification is signed with A's secret for B's invoice, then it is refused and nothing is stored", async () => {
    const b = paid.get(B.id)!;
    const count = async () => Number((await stack.pool.query('SELECT count(*) AS n FROM notifications')).rows[0].n);
    const before = await count();
    const notify = (payload: string) => call('POST', '/v1/2c2p/notifications', undefined, { payload });
    const nextInvoice = `${b.invoicePrefix}00001`;
    // Under A's own 2C2P id and secret (valid signature), naming B's invoice.
    const crossed = await notify(signNotification(notificationJson(A.gatewayMerchantId, nextInvoice), A.secret));
    assert.equal(crossed.status, 400, crossed.text);
    assert.equal(crossed.body.type, '/problems/malformed-request');
    // Claiming to be B but signed with A's secret: B's secret does not verify it.
    const forged = await notify(signNotification(notificationJson(B.gatewayMerchantId, nextInvoice), A.secret));
    assert.equal(forged.status, 400, forged.text);
    assert.equal(await count(), before);
    // The same route takes B's own notification for an invoice of no subscription: the refusals above were about A.
    const own = await notify(signNotification(notificationJson(B.gatewayMerchantId, 'UNKNOWN0000001'), B.secret));
    assert.equal(own.status, 200, own.text);
    assert.equal(await count(), before + 1);
    assert.equal((await call('GET', `/v1/subscriptions/${b.subscriptionId}/charges`, B.apiKey)).body.items.length, 1);
  });

  it('when the admin routes are called, then only the admin key passes, and no secret ever comes back', async () => {
    assert.equal((await call('GET', '/v1/admin/merchants', undefined)).status, 401);
    assert.equal((await call('GET', '/v1/admin/merchants', 'rk_test_not-a-key')).status, 401);
    const merchantKey = await call('GET', '/v1/admin/merchants', A.apiKey);
    assert.equal(merchantKey.status, 403, merchantKey.text);
    assert.equal((await call('POST', '/v1/admin/merchants', A.apiKey, onboarding(A))).status, 403);
    const adminOnMerchantRoute = await call('GET', '/v1/subscriptions', stack.adminKey);
    assert.equal(adminOnMerchantRoute.status, 403, adminOnMerchantRoute.text);
    assert.equal(adminOnMerchantRoute.body.type, '/problems/forbidden');

    const listed = await admin('GET', '/v1/admin/merchants');
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.data.map((m: { id: string; credentials: { gatewayMerchantId: string } }) => [
        m.id,
        m.credentials.gatewayMerchantId,
      ]),
      [
        [A.id, A.gatewayMerchantId],
        [B.id, B.gatewayMerchantId],
      ],
    );
    for (const m of [A, B]) {
      assert.equal(listed.text.includes(m.secret), false);
      assert.equal(listed.text.includes(m.privateKeyPem.split('\n')[1]!), false);
    }
    assert.equal(listed.text.includes('PRIVATE KEY'), false);

    const badPem = await admin('POST', '/v1/admin/merchants', { ...onboarding(A), id: 'SHOP_C', privateKey: 'nope' });
    assert.equal(badPem.status, 422, badPem.text);
    assert.deepEqual(
      badPem.body.errors.map((e: { field: string }) => e.field),
      ['privateKey'],
    );
    const duplicate = await admin('POST', '/v1/admin/merchants', onboarding(A));
    assert.equal(duplicate.status, 409, duplicate.text);
    const takenGatewayId = await admin('POST', '/v1/admin/merchants', { ...onboarding(A), id: 'SHOP_C' });
    assert.equal(takenGatewayId.status, 409, takenGatewayId.text);
    const missing = await admin('POST', '/v1/admin/merchants', { id: 'SHOP_C', name: 'C' });
    assert.equal(missing.status, 400, missing.text);
    assert.equal((await admin('POST', '/v1/admin/merchants/SHOP_C/api-keys')).status, 404);
    assert.equal(
      (await admin('POST', '/v1/admin/merchants/SHOP_C/rotate-keys', { privateKey: A.privateKeyPem })).status,
      404,
    );
  });

  it("when a merchant's keys are rotated, then the API uses the new ones at once and the worker once its cache expires", async () => {
    const next = generateKeyPair();
    // The merchant uploads its new public key to 2C2P first: the old key no longer verifies there.
    stack.sandbox.replaceMerchantPublicKey(A.gatewayMerchantId, createPublicKey(next.publicKeyPem));
    const stale = await call('GET', `/v1/merchants/${A.id}/balance`, A.apiKey);
    assert.equal(stale.status, 502, `the cached old key is refused by 2C2P: ${stale.text}`);

    const rotated = await admin('POST', `/v1/admin/merchants/${A.id}/rotate-keys`, { privateKey: next.privateKeyPem });
    assert.equal(rotated.status, 200, rotated.text);
    assert.equal(rotated.body.credentials.keyVersion, 2);
    assert.ok(rotated.body.credentials.rotatedAt);
    assert.equal((await call('GET', `/v1/merchants/${A.id}/balance`, A.apiKey)).status, 200);

    // The worker's cached credentials expire; its next call (the cancel's RPP inquiry and cancel) reads the new ones.
    stack.workerClock.skewMs += WORKER_CREDENTIALS_TTL_MS + 1;
    const a = paid.get(A.id)!;
    const canceled = await call('POST', `/v1/subscriptions/${a.subscriptionId}/cancel`, A.apiKey, {
      refundPolicy: 'none',
    });
    assert.equal(canceled.status, 200, canceled.text);
    assert.equal(canceled.body.status, 'canceled');
    // B's keys were not touched: its calls still go through.
    assert.equal((await call('GET', `/v1/merchants/${B.id}/balance`, B.apiKey)).status, 200);
  });
});
