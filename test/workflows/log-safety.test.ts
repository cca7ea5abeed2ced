// What a billing run prints: the API and the worker (the SDK's own lines included) write through the one
// logger, captured here, while a subscription is created over HTTP, paid, charged, declined, refunded and
// cancelled. Every business event has its line, and no line carries a secret, a key, a card number or a token.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Runtime } from '@temporalio/worker';
import { buildApiServer } from '../../src/api/server.js';
import { createApiKey } from '../../src/db/index.js';
import { freePort } from '../../src/db/embedded-postgres.js';
import { addDays, toCalendarDate } from '../../src/domain/calendar-date.js';
import { createLogger, loggerOptions } from '../../src/logging/create-logger.js';
import { DEFAULT_TEST_CARD } from '../../src/sandbox/cards.js';
import { temporalLogger } from '../../src/worker/temporal-logger.js';
import { cancelUpdate, refundUpdate, stateQuery, subscriptionWorkflowId } from '../../src/workflows/definitions.js';
import { MERCHANT_ID, startEngineHarness, TASK_QUEUE, type EngineHarness } from '../support/engine-harness.js';
import { eventually } from '../support/eventually.js';
import { DAY, HOUR, reaches, type SubscriptionHandle } from '../support/subscription-steps.js';

const lines: string[] = [];
// Debug: every line the SDK would write at any level we ship is searched, not only the ones shown by default.
const capture = { level: 'debug' as const, write: (text: string) => void lines.push(text) };
Runtime.install({ logger: temporalLogger(createLogger(capture)) });

type LogRecord = Record<string, unknown> & { msg: string; level: number };
const records = () =>
  lines.flatMap((chunk) => chunk.split('\n').filter(Boolean)).map((l) => JSON.parse(l) as LogRecord);

describe('log lines of a billing run', () => {
  let harness: EngineHarness;
  let apiKey: string;
  let stopApi: () => Promise<void>;
  let subscriptionId: string;

  before(async () => {
    harness = await startEngineHarness();
    apiKey = (await createApiKey(harness.pool, MERCHANT_ID, { mode: 'test' })).key;
    const port = await freePort();
    const secret = new TextEncoder().encode(harness.childWorkerSettings.secretKey);
    const app = buildApiServer({
      temporal: harness.env.client,
      taskQueue: TASK_QUEUE,
      pool: harness.pool,
      // The sandbox notifies the API itself, so "payment received" is the API's own line.
      publicBaseUrl: `http://127.0.0.1:${port}`,
      notificationMerchant: async (id) => (id === MERCHANT_ID ? { merchantId: id, secretKey: secret } : undefined),
      balanceInquiry: async () => undefined,
      logger: loggerOptions(capture),
    });
    await app.listen({ host: '127.0.0.1', port });
    stopApi = () => app.close();
    subscriptionId = await runBillingStory(port);
  });
  after(async () => {
    await stopApi?.();
    await harness?.stop();
  });

  /** Create (HTTP) → first payment → charge 1 → charge 2 declined → refund of charge 1 → cancel. */
  async function runBillingStory(port: number): Promise<string> {
    const id = `sub-logs-${Date.now()}`;
    const today = toCalendarDate(await harness.now());
    const created = await fetch(`http://127.0.0.1:${port}/v1/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        subscriptionId: id,
        customerId: 'cust-1',
        description: 'Monthly plan',
        plan: {
          amount: '30.00',
          currency: 'SGD',
          interval: { days: 30 },
          recurringCount: 11,
          firstChargeDate: addDays(today, 30),
        },
      }),
    });
    const checkout = (await created.json()) as { paymentToken: string };
    assert.equal(created.status, 201, JSON.stringify(checkout));
    const handle: SubscriptionHandle = harness.env.client.workflow.getHandle(subscriptionWorkflowId(MERCHANT_ID, id));
    await harness.sandbox.approvePayment(checkout.paymentToken);
    await reaches(handle, 'active');
    const firstDue = (await harness.now()) + 30 * DAY;
    await harness.advanceTo(firstDue + HOUR);
    await eventually(async () => assert.equal((await handle.query(stateQuery)).nextSequence, 2));
    harness.sandbox.faults.declineNextCharge({ respCode: '4051' });
    await harness.advanceTo(firstDue + 30 * DAY + HOUR);
    const pastDue = await reaches(handle, 'past_due');
    const paid = pastDue.charges.find((c) => c.sequence === 1 && c.status === 'succeeded');
    assert.ok(paid, 'charge 1 succeeded');
    await handle.executeUpdate(refundUpdate, { args: [{ invoiceNo: paid.invoiceNo, amountMinor: 1000 }] });
    await eventually(async () => assert.equal((await handle.query(stateQuery)).refunds[0]?.status, 'succeeded'));
    await handle.executeUpdate(cancelUpdate, { args: [{ refundPolicy: 'none' }] });
    await handle.result();
    return id;
  }

  const eventLines = (msg: string) => records().filter((r) => r.msg === msg && r.subscriptionId === subscriptionId);

  it('when the run is over, then each business event has its line with merchantId and subscriptionId', () => {
    for (const msg of [
      'subscription created',
      'payment page created',
      'payment notification received',
      'charge succeeded',
      'charge declined',
      'dunning link created',
      'refund requested',
      'refund succeeded',
      'plan cancelled',
    ]) {
      const found = eventLines(msg);
      assert.ok(
        found.length > 0,
        `no "${msg}" line in:\n${records()
          .map((r) => r.msg)
          .join('\n')}`,
      );
      assert.ok(found.every((r) => r.merchantId === MERCHANT_ID));
    }
    assert.deepEqual(
      eventLines('charge declined').map((r) => [r.respCode, typeof r.invoiceNo]),
      [['4051', 'string']],
      'one line for the decline, with its code and invoice',
    );
    assert.equal(eventLines('charge succeeded').length, 2, 'the first payment and charge 1, once each');
  });

  it('when every line is searched, then none holds a secret, the private key, a card number, a task token or the API key', () => {
    const text = lines.join('');
    assert.ok(lines.length > 30, `only ${lines.length} lines were captured: the search would prove nothing`);
    const settings = harness.childWorkerSettings;
    const pemBody = settings.merchantPrivateKeyPem.split('\n').find((l) => l.length > 40 && !l.startsWith('-----'));
    const forbidden: [string, string | undefined][] = [
      ['the 2C2P secret key', settings.secretKey],
      ['the merchant private key', pemBody],
      ['the card number', DEFAULT_TEST_CARD],
      ['the API key', apiKey],
      ['a task token', 'taskToken'],
      ['a PEM header', 'PRIVATE KEY'],
    ];
    for (const [what, value] of forbidden) {
      assert.ok(value, `${what} is known to the test`);
      assert.ok(!text.includes(value), `${what} was logged`);
    }
    // Not after a digit or a point: a float such as responseTime 6.7199829999999565 is no card number.
    assert.doesNotMatch(text, /(?<![\d.])\d{16}(?!\d)/, 'a 16-digit number (a PAN) was logged');
  });
});
