// The dev stack's webhook receiver shows each delivery and whether its signature verified.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startDevWebhookReceiver, type DevWebhookReceiver } from '../../../src/dev/webhook-receiver.js';
import { signRecurPayload } from '../../../src/domain/webhook-signature.js';

const secret = 'whsec_dev_receiver_test_secret_0123456789abcd';

describe('dev webhook receiver', () => {
  let receiver: DevWebhookReceiver;
  before(async () => {
    receiver = await startDevWebhookReceiver(0);
    receiver.setSecret(secret);
  });
  after(() => receiver.close());

  const deliver = (body: string, signature: string) =>
    fetch(receiver.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'recur-signature': signature },
      body,
    });

  it('when a signed delivery and a tampered one arrive, then the list shows one verified and one not', async () => {
    const body = JSON.stringify({ id: 'evt_1', type: 'charge.succeeded', createdAt: new Date().toISOString() });
    const signature = signRecurPayload(body, [secret], Math.floor(Date.now() / 1000));
    assert.equal((await deliver(body, signature)).status, 200);
    const tampered = body.replace('evt_1', 'evt_2');
    assert.equal((await deliver(tampered, signature)).status, 400);
    const listed = (await (await fetch(receiver.url)).json()) as {
      latency: { count: number };
      deliveries: Array<{ eventId: string; signatureVerified: boolean }>;
    };
    assert.equal(listed.latency.count, 2);
    assert.deepEqual(
      listed.deliveries.map((d) => [d.eventId, d.signatureVerified]),
      [
        ['evt_2', false],
        ['evt_1', true],
      ],
    );
  });
});
