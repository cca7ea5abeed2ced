// A subscription's year as its merchant's systems see it (issue 13): the plain year of test/support/plain-year.ts
// (12 charges, a decline recovered through its dunning link, a partial refund) writes exactly its events, in
// order, and every one reaches the merchant's webhook endpoint once, signed, through the worker's outbox
// dispatcher, and none reaches another merchant's.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createEndpoint, listSubscriptionEvents } from '../../src/db/index.js';
import { verifyRecurSignature } from '../../src/domain/webhook-signature.js';
import { startDispatcher, type RunningDispatcher } from '../../src/webhooks/dispatcher.js';
import { MERCHANT_ID, startEngineHarness, TASK_QUEUE, type EngineHarness } from '../support/engine-harness.js';
import { eventually } from '../support/eventually.js';
import { startNotificationReceiver, type NotificationReceiver } from '../support/notification-receiver.js';
import { runPlainYear } from '../support/plain-year.js';

const times = (count: number, type: string) => Array<string>(count).fill(type);

// The year, step by step: the first payment activates the plan; charges 1-3 succeed; charge 4 is declined, the
// subscription is past due and its dunning link is sent, then paid; charges 5 and 6 succeed and 6 is partly
// refunded past settlement; charges 7-11 succeed and the last completes the plan.
const EXPECTED = [
  'subscription.created',
  'charge.succeeded',
  'subscription.activated',
  ...times(3, 'charge.succeeded'),
  'charge.failed',
  'subscription.past_due',
  'dunning.link_sent',
  'charge.succeeded',
  'subscription.activated',
  ...times(2, 'charge.succeeded'),
  'refund.requested',
  'refund.succeeded',
  ...times(5, 'charge.succeeded'),
  'subscription.completed',
];

describe("a subscription-year's events and webhooks", () => {
  let harness: EngineHarness;
  let dispatcher: RunningDispatcher;
  let receiver: NotificationReceiver;
  let othersReceiver: NotificationReceiver;

  before(async () => {
    harness = await startEngineHarness();
    dispatcher = startDispatcher({
      pool: harness.pool,
      client: harness.env.client,
      taskQueue: TASK_QUEUE,
      intervalMs: 100,
    });
    receiver = await startNotificationReceiver();
    othersReceiver = await startNotificationReceiver();
  });
  after(async () => {
    await dispatcher?.stop();
    await receiver?.close();
    await othersReceiver?.close();
    await harness?.stop();
  });

  it('when the year runs, then its events are exactly the expected sequence and each reaches the endpoint once, signed', async () => {
    const { secret } = await createEndpoint(harness.pool, {
      merchantId: MERCHANT_ID,
      url: receiver.url,
      enabledEvents: ['*'],
    });
    // Another merchant's endpoint, taking every event type: none of this merchant's may reach it.
    await createEndpoint(harness.pool, { merchantId: 'SHOP_OTHER', url: othersReceiver.url, enabledEvents: ['*'] });
    const { final } = await runPlainYear(harness);
    assert.equal(final.status, 'completed');

    const events = await listSubscriptionEvents(harness.pool, final.subscriptionId);
    assert.deepEqual(
      events.map((e) => e.type),
      EXPECTED,
    );
    // Each charge event carries its charge: the invoices of the year's 13 charges, each once.
    const invoices = events
      .filter((e) => e.type.startsWith('charge.'))
      .map((e) => (e.data as { invoiceNo: string }).invoiceNo);
    assert.equal(new Set(invoices).size, 13);

    const delivered = await eventually(() => {
      assert.equal(receiver.received.length, events.length);
      return receiver.received;
    });
    for (const request of delivered)
      verifyRecurSignature(request.body, String(request.headers['recur-signature']), secret);
    const deliveredIds = delivered.map((r) => (JSON.parse(r.body) as { id: string }).id);
    assert.deepEqual([...deliveredIds].sort(), events.map((e) => e.id).sort());
    assert.equal(othersReceiver.received.length, 0, "another merchant's endpoint got this merchant's events");
  });
});
