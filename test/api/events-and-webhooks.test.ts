// /v1/events and /v1/webhook-endpoints: paging and filters, problems naming the field, merchant scoping, and a
// signing secret that is shown at creation and rotation only.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { recordEvent, type EventInput } from '../../src/db/index.js';
import { startApiHarness, type ApiHarness } from './support/api-harness.js';
import { assertProblem } from './support/requests.js';

let h: ApiHarness;
before(async () => {
  h = await startApiHarness();
});
after(async () => {
  await h.stop();
});

const event = (merchantId: string, n: number, fields: Partial<EventInput> = {}): EventInput => ({
  merchantId,
  subscriptionId: 'sub_events',
  type: 'charge.succeeded',
  dedupeKey: `sub_events/INV${n}`,
  data: { invoiceNo: `INV${n}`, amount: '29.90' },
  ...fields,
});

const endpointBody = { url: 'https://merchant.example/hooks', enabledEvents: ['*'], description: 'billing' };

describe('events API', () => {
  before(async () => {
    for (let n = 1; n <= 5; n += 1) await recordEvent(h.pool, event(h.merchantA.id, n));
    await recordEvent(h.pool, event(h.merchantA.id, 6, { type: 'refund.requested', subscriptionId: 'sub_other' }));
    await recordEvent(h.pool, event(h.merchantB.id, 7));
  });

  it('when a merchant pages through its events, then each comes once, newest first, and none of another merchant', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = await h.request('GET', `/v1/events?limit=2${query}`, { key: h.merchantA.key });
      assert.equal(page.status, 200);
      seen.push(...page.body.items.map((e: { data: { invoiceNo: string } }) => e.data.invoiceNo));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, ['INV6', 'INV5', 'INV4', 'INV3', 'INV2', 'INV1']);
  });

  it('when events are filtered by type or subscription, then only those come', async () => {
    const refunds = await h.request('GET', '/v1/events?type=refund.requested', { key: h.merchantA.key });
    assert.deepEqual(
      refunds.body.items.map((e: { type: string }) => e.type),
      ['refund.requested'],
    );
    const other = await h.request('GET', '/v1/events?subscriptionId=sub_other', { key: h.merchantA.key });
    assert.deepEqual(
      other.body.items.map((e: { subscriptionId: string }) => e.subscriptionId),
      ['sub_other'],
    );
  });

  it('when one event is asked for, then its merchant gets it and another merchant gets 404', async () => {
    const list = await h.request('GET', '/v1/events?limit=1', { key: h.merchantA.key });
    const id: string = list.body.items[0].id;
    const own = await h.request('GET', `/v1/events/${id}`, { key: h.merchantA.key });
    assert.equal(own.status, 200);
    assert.deepEqual(Object.keys(own.body).sort(), ['createdAt', 'data', 'id', 'merchantId', 'subscriptionId', 'type']);
    assertProblem(await h.request('GET', `/v1/events/${id}`, { key: h.merchantB.key }), 404);
  });

  it('when the query is bad, then the problem names the field', async () => {
    assertProblem(await h.request('GET', '/v1/events?cursor=bm9wZQ', { key: h.merchantA.key }), 400, 'cursor');
    assertProblem(await h.request('GET', '/v1/events?limit=0', { key: h.merchantA.key }), 400, 'limit');
    assertProblem(await h.request('GET', '/v1/events/not-an-id', { key: h.merchantA.key }), 400, 'id');
  });
});

describe('webhook endpoints API', () => {
  it('when an endpoint is created, then 201 shows its secret once and no read shows it again', async () => {
    const created = await h.request('POST', '/v1/webhook-endpoints', { key: h.merchantA.key, body: endpointBody });
    assert.equal(created.status, 201);
    assert.match(created.body.id, /^we_[0-9a-f]{24}$/);
    assert.match(created.body.secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    assert.equal(created.body.status, 'enabled');
    const read = await h.request('GET', `/v1/webhook-endpoints/${created.body.id}`, { key: h.merchantA.key });
    assert.equal(read.status, 200);
    assert.equal(read.body.secret, undefined);
    assert.ok(!JSON.stringify(read.body).includes(created.body.secret));
    const list = await h.request('GET', '/v1/webhook-endpoints', { key: h.merchantA.key });
    assert.ok(!JSON.stringify(list.body).includes('whsec_'));
  });

  it('when the secret is rotated, then the new one is shown once and the old one signs until the overlap ends', async () => {
    const created = await h.request('POST', '/v1/webhook-endpoints', { key: h.merchantA.key, body: endpointBody });
    const rotated = await h.request('POST', `/v1/webhook-endpoints/${created.body.id}/rotate-secret`, {
      key: h.merchantA.key,
      body: { overlapSeconds: 3600 },
    });
    assert.equal(rotated.status, 200);
    assert.match(rotated.body.secret, /^whsec_/);
    assert.notEqual(rotated.body.secret, created.body.secret);
    const expires = Date.parse(rotated.body.previousSecretExpiresAt);
    assert.ok(expires > Date.now() + 3500_000 && expires < Date.now() + 3700_000);
  });

  it('when the URL or an event type is bad, then 422 names the field and nothing is created', async () => {
    const before = await h.request('GET', '/v1/webhook-endpoints?limit=100', { key: h.merchantA.key });
    for (const [body, field] of [
      [{ ...endpointBody, url: 'ftp://merchant.example/hooks' }, 'url'],
      [{ ...endpointBody, url: 'not a url' }, 'url'],
      [{ ...endpointBody, enabledEvents: ['charge.succeeded', 'charge.exploded'] }, 'enabledEvents[1]'],
      [{ ...endpointBody, enabledEvents: ['*', 'charge.succeeded'] }, 'enabledEvents'],
    ] as const) {
      assertProblem(await h.request('POST', '/v1/webhook-endpoints', { key: h.merchantA.key, body }), 422, field);
    }
    assertProblem(
      await h.request('POST', '/v1/webhook-endpoints', { key: h.merchantA.key, body: { url: endpointBody.url } }),
      400,
      'enabledEvents',
    );
    const afterwards = await h.request('GET', '/v1/webhook-endpoints?limit=100', { key: h.merchantA.key });
    assert.equal(afterwards.body.items.length, before.body.items.length);
  });

  it('when an endpoint is changed, disabled and enabled again, then each answer shows it as it now is', async () => {
    const created = await h.request('POST', '/v1/webhook-endpoints', { key: h.merchantA.key, body: endpointBody });
    const url = `/v1/webhook-endpoints/${created.body.id}`;
    const changed = await h.request('PATCH', url, {
      key: h.merchantA.key,
      body: { url: 'http://127.0.0.1:9/hooks', enabledEvents: ['charge.failed', 'charge.failed'], status: 'disabled' },
    });
    assert.equal(changed.status, 200);
    assert.equal(changed.body.url, 'http://127.0.0.1:9/hooks');
    assert.deepEqual(changed.body.enabledEvents, ['charge.failed']);
    assert.equal(changed.body.status, 'disabled');
    const enabled = await h.request('PATCH', url, { key: h.merchantA.key, body: { status: 'enabled' } });
    assert.equal(enabled.body.status, 'enabled');
    assertProblem(await h.request('PATCH', url, { key: h.merchantA.key, body: { url: 'mailto:x@y.z' } }), 422, 'url');
  });

  it('when another merchant reads, changes, rotates or deletes an endpoint, then it is 404 and the endpoint stays', async () => {
    const created = await h.request('POST', '/v1/webhook-endpoints', { key: h.merchantA.key, body: endpointBody });
    const url = `/v1/webhook-endpoints/${created.body.id}`;
    const b = { key: h.merchantB.key };
    assertProblem(await h.request('GET', url, b), 404);
    assertProblem(await h.request('PATCH', url, { ...b, body: { status: 'disabled' } }), 404);
    assertProblem(await h.request('POST', `${url}/rotate-secret`, { ...b, body: {} }), 404);
    assertProblem(await h.request('GET', `${url}/deliveries`, b), 404);
    assertProblem(await h.request('DELETE', url, b), 404);
    const list = await h.request('GET', '/v1/webhook-endpoints', b);
    assert.ok(!list.body.items.some((e: { id: string }) => e.id === created.body.id));
    const still = await h.request('GET', url, { key: h.merchantA.key });
    assert.equal(still.body.status, 'enabled');
  });

  it('when an endpoint is deleted, then it is gone', async () => {
    const created = await h.request('POST', '/v1/webhook-endpoints', { key: h.merchantA.key, body: endpointBody });
    const url = `/v1/webhook-endpoints/${created.body.id}`;
    assert.equal((await h.request('DELETE', url, { key: h.merchantA.key })).status, 204);
    assertProblem(await h.request('GET', url, { key: h.merchantA.key }), 404);
  });

  it('when an event is redelivered, then a fresh delivery starts for each enabled endpoint that takes its type', async () => {
    const taking = await h.request('POST', '/v1/webhook-endpoints', {
      key: h.merchantB.key,
      body: { url: 'http://127.0.0.1:9/b', enabledEvents: ['charge.succeeded'] },
    });
    await h.request('POST', '/v1/webhook-endpoints', {
      key: h.merchantB.key,
      body: { url: 'http://127.0.0.1:9/b2', enabledEvents: ['refund.failed'] },
    });
    const { row } = await recordEvent(h.pool, event(h.merchantB.id, 8));
    const first = await h.request('POST', `/v1/events/${row.id}/redeliver`, { key: h.merchantB.key, body: {} });
    const second = await h.request('POST', `/v1/events/${row.id}/redeliver`, { key: h.merchantB.key, body: {} });
    assert.equal(first.status, 202);
    assert.deepEqual(
      first.body.deliveries.map((d: { endpointId: string }) => d.endpointId),
      [taking.body.id],
    );
    assert.notEqual(first.body.deliveries[0].id, second.body.deliveries[0].id);
    const deliveries = await h.request('GET', `/v1/webhook-endpoints/${taking.body.id}/deliveries`, {
      key: h.merchantB.key,
    });
    assert.equal(deliveries.body.items.length, 2);
    assert.deepEqual(
      deliveries.body.items.map((d: { eventId: string; status: string }) => [d.eventId, d.status]),
      [
        [row.id, 'pending'],
        [row.id, 'pending'],
      ],
    );
    assertProblem(await h.request('POST', `/v1/events/${row.id}/redeliver`, { key: h.merchantA.key, body: {} }), 404);
  });
});
