// Outgoing webhooks on the real engine (time-skipping Temporal, PostgreSQL, the sandbox over HTTP, the worker's
// outbox dispatcher): a subscription's life reaches a receiver as exactly its events, signed; a receiver that fails
// for a while gets every event once it recovers; an endpoint that fails for 3 days is disabled, and says so.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createEndpoint, getEndpoint, listSubscriptionEvents, recordEvent, type EventRow } from '../../src/db/index.js';
import { verifyRecurSignature } from '../../src/domain/webhook-signature.js';
import { createRecurMetrics } from '../../src/metrics/recur-metrics.js';
import { startDispatcher, type RunningDispatcher } from '../../src/webhooks/dispatcher.js';
import { cancelUpdate } from '../../src/workflows/definitions.js';
import { webhookDeliveryWorkflowId } from '../../src/workflows/webhook-definitions.js';
import { MERCHANT_ID, startEngineHarness, TASK_QUEUE, type EngineHarness } from '../support/engine-harness.js';
import { eventually } from '../support/eventually.js';
import { CURRENT_WEBHOOK_HISTORY_VERSION, recordHistory } from '../support/histories.js';
import {
  startNotificationReceiver,
  type NotificationReceiver,
  type ReceivedRequest,
} from '../support/notification-receiver.js';
import { activeSubscription, dueAt, HOUR, reaches } from '../support/subscription-steps.js';

interface Delivered {
  id: string;
  type: string;
  createdAt: string;
  subscriptionId: string | null;
  data: Record<string, unknown>;
}

/** The events in `requests`, once each by Recur-Event-Id, after checking every signature under `secret`. */
function deliveredEvents(requests: readonly ReceivedRequest[], secret: string): Map<string, Delivered> {
  const byId = new Map<string, Delivered>();
  for (const request of requests) {
    verifyRecurSignature(request.body, String(request.headers['recur-signature']), secret);
    const event = JSON.parse(request.body) as Delivered;
    assert.equal(request.headers['recur-event-id'], event.id);
    byId.set(event.id, event);
  }
  return byId;
}

const ids = (events: EventRow[]) => events.map((e) => e.id).sort();

describe('webhook delivery on the real engine', () => {
  let harness: EngineHarness;
  let dispatcher: RunningDispatcher;
  const metrics = createRecurMetrics({ defaultMetrics: false });
  /** recur_webhook_deliveries_total{result} as it stands now. */
  const deliveriesCounted = async (result: string) =>
    (await metrics.webhookDeliveries.get()).values.find((v) => v.labels.result === result)?.value ?? 0;
  const receivers: NotificationReceiver[] = [];

  async function endpoint(merchantId = MERCHANT_ID, answers: number[] = []) {
    const receiver = await startNotificationReceiver();
    receivers.push(receiver);
    receiver.script(answers);
    const { row, secret } = await createEndpoint(harness.pool, { merchantId, url: receiver.url, enabledEvents: ['*'] });
    return { receiver, endpoint: row, secret };
  }

  /** Waits for the delivery of `eventId` to `endpointId` to end, then records its history for the replay test. */
  async function recordDelivery(endpointId: string, eventId: string, name: string) {
    const delivery = harness.env.client.workflow.getHandle(webhookDeliveryWorkflowId(endpointId, eventId));
    assert.equal(await delivery.result(), 'succeeded');
    await recordHistory(harness, delivery, name, CURRENT_WEBHOOK_HISTORY_VERSION);
  }

  before(async () => {
    harness = await startEngineHarness({ metrics });
    dispatcher = startDispatcher({
      pool: harness.pool,
      client: harness.env.client,
      taskQueue: TASK_QUEUE,
      intervalMs: 100,
    });
  });
  after(async () => {
    await dispatcher?.stop();
    await Promise.all(receivers.map((r) => r.close()));
    await harness?.stop();
  });

  it('when a subscription is created, paid, charged and cancelled, then the receiver gets exactly its events, each signed', async () => {
    const { receiver, secret, endpoint: healthy } = await endpoint();
    const { input, handle } = await activeSubscription(harness);
    await harness.advanceTo(dueAt(input, 1) + HOUR);
    await eventually(async () =>
      assert.equal((await listSubscriptionEvents(harness.pool, input.subscriptionId)).length, 4),
    );
    await handle.executeUpdate(cancelUpdate, { args: [{ refundPolicy: 'none' }] });
    await reaches(handle, 'canceled');

    const stored = await eventually(async () => {
      const events = await listSubscriptionEvents(harness.pool, input.subscriptionId);
      assert.equal(events.length, 5);
      return events;
    });
    assert.deepEqual(
      stored.map((e) => e.type),
      [
        'subscription.created',
        'charge.succeeded',
        'subscription.activated',
        'charge.succeeded',
        'subscription.canceled',
      ],
    );
    const delivered = await eventually(() => {
      const byId = deliveredEvents(receiver.received, secret);
      assert.deepEqual([...byId.keys()].sort(), ids(stored));
      return byId;
    });
    for (const event of stored) {
      const body = delivered.get(event.id);
      assert.equal(body?.type, event.type);
      assert.equal(body?.subscriptionId, input.subscriptionId);
      assert.deepEqual(body?.data, event.data);
    }
    assert.equal(delivered.get(stored[4]?.id ?? '')?.data.status, 'canceled');
    assert.equal(receiver.received.length, stored.length, 'a healthy receiver gets each event once');
    await recordDelivery(healthy.id, stored[0]?.id ?? '', 'delivered-first-time');
  });

  it('when a receiver answers 500 for a while, then once it recovers it has every event (ids deduplicated)', async () => {
    const { receiver, secret, endpoint: failing } = await endpoint(MERCHANT_ID, Array(6).fill(500));
    const [failedBefore, succeededBefore] = [await deliveriesCounted('http_5xx'), await deliveriesCounted('succeeded')];
    const { input, handle } = await activeSubscription(harness);
    await handle.executeUpdate(cancelUpdate, { args: [{ refundPolicy: 'none' }] });
    await reaches(handle, 'canceled');
    const stored = await eventually(async () => {
      const events = await listSubscriptionEvents(harness.pool, input.subscriptionId);
      assert.equal(events.length, 4);
      return events;
    });
    // Each first attempt has failed; the retries wait 30 s, 1 min, 2 min, …: an hour of both clocks covers the
    // two failures left and the recovery.
    await eventually(() => assert.equal(receiver.received.length, stored.length));
    await harness.advanceTo((await harness.now()) + HOUR);
    // The receiver answers in arrival order: the first six got 500, every later one 200.
    await eventually(() =>
      assert.deepEqual([...deliveredEvents(receiver.received.slice(6), secret).keys()].sort(), ids(stored)),
    );
    assert.ok(receiver.received.length > stored.length, 'the failed attempts were sent again');
    const { rows } = await harness.pool.query<{ status_code: number; succeeded: boolean }>(
      `SELECT a.status_code, a.succeeded FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
       WHERE d.endpoint_id = $1`,
      [failing.id],
    );
    assert.equal(rows.filter((r) => r.status_code === 500 && !r.succeeded).length, 6);
    assert.equal((await getEndpoint(harness.pool, failing.id))?.status, 'enabled');
    await recordDelivery(failing.id, stored[0]?.id ?? '', 'delivered-after-500s');
    // recur_webhook_deliveries_total counts each attempt by its answer: the six 500s, then every event delivered
    // (here and at the endpoints earlier tests left enabled, which get this subscription's events too).
    assert.equal((await deliveriesCounted('http_5xx')) - failedBefore, 6);
    assert.ok((await deliveriesCounted('succeeded')) - succeededBefore >= receiver.received.length - 6);
  });

  it('when an endpoint fails every attempt for 3 days, then it is disabled and webhook_endpoint.disabled goes to the others', async () => {
    const merchantId = 'JT-WEBHOOKS';
    const { endpoint: dead } = await endpoint(merchantId, Array(1000).fill(503));
    const { receiver: witness, secret } = await endpoint(merchantId);
    const { row: event } = await recordEvent(harness.pool, {
      merchantId,
      subscriptionId: 'sub-webhooks',
      type: 'charge.failed',
      dedupeKey: 'sub-webhooks/INV1',
      data: { invoiceNo: 'INV1' },
    });
    const handle = harness.env.client.workflow.getHandle(webhookDeliveryWorkflowId(dead.id, event.id));
    await eventually(() => handle.describe());
    // Awaiting the result lets the time-skipping server pass the 3 days of retries.
    assert.equal(await handle.result(), 'failed');
    await recordHistory(harness, handle, 'failed-3-days', CURRENT_WEBHOOK_HISTORY_VERSION);

    const after = await getEndpoint(harness.pool, dead.id);
    assert.equal(after?.status, 'disabled');
    assert.match(after?.disabledReason ?? '', /3 days/);
    const { rows } = await harness.pool.query<{ n: string; first: Date; last: Date }>(
      `SELECT count(*) AS n FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
       WHERE d.endpoint_id = $1 AND a.status_code = 503`,
      [dead.id],
    );
    assert.ok(Number(rows[0]?.n) >= 15, `attempted ${rows[0]?.n} times`);
    const announced = await eventually(() => {
      const events = [...deliveredEvents(witness.received, secret).values()].filter(
        (e) => e.type === 'webhook_endpoint.disabled',
      );
      assert.equal(events.length, 1);
      return events[0];
    });
    assert.equal(announced?.data.id, dead.id);
    assert.equal(announced?.data.status, 'disabled');
    assert.equal(announced?.data.secret, undefined);
  });
});
