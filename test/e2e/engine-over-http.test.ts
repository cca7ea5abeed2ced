// The whole product through HTTP: the API on the real dev server, PostgreSQL, the worker and the sandbox.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { subscriptionWorkflowId } from '../../src/domain/subscription-model.js';
import { addDays, toCalendarDate, toEpochMs } from '../../src/domain/calendar-date.js';
import { freePort } from '../../src/db/embedded-postgres.js';
import { startStack, type RunningStack } from '../../src/dev/stack.js';
import { eventually } from '../support/eventually.js';
import { temporalCliPath } from '../support/temporal-binaries.js';

const DAY = 86_400_000;

describe('the engine end to end over HTTP', () => {
  let stack: RunningStack;
  let dataDir: string;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'recur-e2e-'));
    chmodSync(dataDir, 0o755); // embedded-postgres runs as an unprivileged user when we are root
    stack = await startStack({
      dataDir,
      apiPort: await freePort(),
      sandboxPort: await freePort(),
      temporalPort: await freePort(),
      temporalUiPort: await freePort(),
      env: { TEMPORAL_CLI_PATH: temporalCliPath(), PATH: process.env.PATH },
      sandboxRealTime: false,
      log: () => {},
    });
  });
  after(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${stack.apiKey}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, any>) : {} };
  };

  it('when a customer subscribes, pays, is charged twice, downgrades and cancels, then the API reports it all', async () => {
    const sandbox = stack.sandbox!;
    const firstChargeDate = addDays(toCalendarDate(sandbox.clock.now().getTime()), 30);
    const created = await api(
      'POST',
      '/v1/subscriptions',
      {
        customerId: 'cust_e2e',
        description: 'Pro plan',
        plan: { amount: '30.00', currency: 'SGD', interval: { days: 30 }, recurringCount: 11, firstChargeDate },
      },
      { 'idempotency-key': 'e2e-create-1' },
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { subscriptionId, webPaymentUrl } = created.body;
    assert.match(webPaymentUrl, /\/payment\/4\.3\/pay\//);

    // The customer approves on the hosted page stand-in (a form POST, as a browser would).
    const paid = await fetch(webPaymentUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=approve',
    });
    assert.ok(paid.status < 400, `payment page answered ${paid.status}`);
    await eventually(async () =>
      assert.equal((await api('GET', `/v1/subscriptions/${subscriptionId}`)).body.status, 'active'),
    );

    // Two charges: the sandbox clock passes two due dates; each notification arrives through the API.
    for (const sequence of [1, 2]) {
      await sandbox.clock.advanceTo(new Date(toEpochMs(addDays(firstChargeDate, 30 * (sequence - 1))) + 3_600_000));
      await eventually(async () => {
        const charges = (await api('GET', `/v1/subscriptions/${subscriptionId}/charges`)).body.items as Array<{
          sequence: number | null;
        }>;
        assert.ok(
          charges.some((c) => c.sequence === sequence),
          `charge ${sequence} not recorded yet`,
        );
      });
    }
    await sandbox.clock.advance(10 * DAY);

    const changed = await api('PATCH', `/v1/subscriptions/${subscriptionId}`, { amount: '20.00', prorate: true });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal(changed.body.plan.amount, '20.00');

    const cancelled = await api(
      'POST',
      `/v1/subscriptions/${subscriptionId}/cancel`,
      { refundPolicy: 'prorated' },
      { 'idempotency-key': 'e2e-cancel-1' },
    );
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.status, 'canceled');

    const refunds = await eventually(async () => {
      const items = (await api('GET', `/v1/subscriptions/${subscriptionId}/refunds`)).body.items as Array<{
        status: string;
        amount: string;
        invoiceNo: string;
      }>;
      assert.equal(items.length, 2, 'a downgrade refund and a cancellation refund');
      assert.ok(
        items.every((r) => r.status === 'succeeded'),
        JSON.stringify(items),
      );
      return items;
    });
    const charges = (await api('GET', `/v1/subscriptions/${subscriptionId}/charges`)).body.items as Array<{
      invoiceNo: string;
      amount: string;
      status: string;
    }>;
    assert.deepEqual(
      charges.map((c) => c.status),
      ['succeeded', 'succeeded', 'succeeded'],
    );
    const ledger = sandbox.ledger();
    for (const refund of refunds) {
      assert.ok(
        ledger.refunds.some((r) => r.invoiceNo === refund.invoiceNo && r.status === 'RF'),
        `sandbox has ${refund.invoiceNo}`,
      );
    }
    const events = (await api('GET', `/v1/subscriptions/${subscriptionId}/exchanges`)).body.items as Array<{
      operation: string;
    }>;
    for (const operation of [
      'paymentToken',
      'recurringUpdate',
      'recurringCancel',
      'inquiry',
      'balanceInquiry',
      'refund',
    ]) {
      assert.ok(
        events.some((e) => e.operation === operation),
        `audit has ${operation}`,
      );
    }
    const final = await api('GET', `/v1/subscriptions/${subscriptionId}`);
    assert.equal(final.body.status, 'canceled');

    // Its events, as GET /v1/events lists them, reach the dev stack's webhook receiver, each signature verified.
    const listed = (await api('GET', `/v1/events?subscriptionId=${subscriptionId}&limit=100`)).body.items as Array<{
      id: string;
      type: string;
    }>;
    assert.ok(listed.some((e) => e.type === 'subscription.canceled'));
    assert.equal(listed.at(-1)?.type, 'subscription.created');
    await eventually(async () => {
      const watched = (await (await fetch(stack.webhooks.url)).json()) as {
        deliveries: Array<{ eventId: string; signatureVerified: boolean }>;
      };
      const verified = new Set(watched.deliveries.filter((d) => d.signatureVerified).map((d) => d.eventId));
      assert.deepEqual(
        listed.filter((e) => !verified.has(e.id)),
        [],
      );
    });

    // The same Idempotency-Key with the same body replays the first answer.
    const replay = await api(
      'POST',
      '/v1/subscriptions',
      {
        customerId: 'cust_e2e',
        description: 'Pro plan',
        plan: { amount: '30.00', currency: 'SGD', interval: { days: 30 }, recurringCount: 11, firstChargeDate },
      },
      { 'idempotency-key': 'e2e-create-1' },
    );
    assert.equal(replay.status, 201);
    assert.equal(replay.body.subscriptionId, subscriptionId);
  });

  it('when the test clock is moved past a due date and a day on, then the charge is taken and recorded, and a refund waiting for settlement finishes', async () => {
    const clock = await api('GET', '/v1/test-clock');
    assert.equal(clock.status, 200, JSON.stringify(clock.body));
    const today = toCalendarDate(Date.parse(clock.body.now));
    const firstChargeDate = addDays(today, 7);
    const created = await api('POST', '/v1/subscriptions', {
      customerId: 'cust_clock',
      description: 'Weekly plan on the test clock',
      plan: { amount: '9.90', currency: 'SGD', interval: { days: 7 }, recurringCount: 4, firstChargeDate },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { subscriptionId, webPaymentUrl } = created.body;
    await fetch(webPaymentUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=approve',
    });
    await eventually(async () =>
      assert.equal((await api('GET', `/v1/subscriptions/${subscriptionId}`)).body.status, 'active'),
    );

    const moved = await api('POST', '/v1/test-clock/advance', { by: '8d' });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.ok(moved.body.subscriptions >= 1);
    const charge = await eventually(async () => {
      const items = (await api('GET', `/v1/subscriptions/${subscriptionId}/charges`)).body.items as Array<{
        sequence: number | null;
        invoiceNo: string;
        status: string;
      }>;
      const first = items.find((c) => c.sequence === 1);
      assert.equal(first?.status, 'succeeded', 'charge 1 recorded');
      return first!;
    });
    // The refund waits for settlement on a 6-hour poll: a day on the test clock settles and makes it.
    const refund = await api(
      'POST',
      `/v1/subscriptions/${subscriptionId}/refunds`,
      { invoiceNo: charge.invoiceNo, amount: '1.00' },
      { 'idempotency-key': 'e2e-clock-refund' },
    );
    assert.ok(refund.status < 300, JSON.stringify(refund.body));
    assert.equal((await api('POST', '/v1/test-clock/advance', { by: '1d' })).status, 200);
    await eventually(async () => {
      const items = (await api('GET', `/v1/subscriptions/${subscriptionId}/refunds`)).body.items as Array<{
        status: string;
      }>;
      assert.equal(items[0]?.status, 'succeeded');
    });
    const backwards = await api('POST', '/v1/test-clock/advance', { to: '2001-01-01T00:00:00Z' });
    assert.equal(backwards.status, 422);
    await api(
      'POST',
      `/v1/subscriptions/${subscriptionId}/cancel`,
      { refundPolicy: 'none' },
      { 'idempotency-key': 'e2e-clock-cancel' },
    );
  });

  it('when subscriptions start while the test clock moves, then every one of them runs on the moved clock', async () => {
    const connection = await Connection.connect({ address: stack.temporalAddress });
    try {
      const temporal = new Client({ connection });
      const today = toCalendarDate(Date.parse((await api('GET', '/v1/test-clock')).body.now));
      const starts = Array.from({ length: 6 }, (_, n) =>
        api('POST', '/v1/subscriptions', {
          customerId: `cust_race_${n}`,
          description: 'Started during an advance',
          plan: {
            amount: '5.00',
            currency: 'SGD',
            interval: { days: 30 },
            recurringCount: 2,
            firstChargeDate: addDays(today, 20),
          },
        }),
      );
      // The advance lands among the starts: visibility may not list the newest runs yet.
      const moved = api('POST', '/v1/test-clock/advance', { by: '2d' });
      const [answers, advance] = await Promise.all([Promise.all(starts), moved]);
      assert.equal(advance.status, 200, JSON.stringify(advance.body));
      const movedTo = Date.parse(advance.body.now);
      for (const created of answers) {
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const handle = temporal.workflow.getHandle(
          subscriptionWorkflowId(stack.merchantId, created.body.subscriptionId),
        );
        const events = (await handle.fetchHistory()).events ?? [];
        const input = defaultPayloadConverter.fromPayload<{ requestedAt: string }>(
          events[0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!,
        );
        const told = events.some((event) => {
          const signal = event.workflowExecutionSignaledEventAttributes;
          return (
            signal?.signalName === 'testClock' &&
            defaultPayloadConverter.fromPayload<{ nowMs: number }>(signal.input!.payloads![0]!).nowMs === movedTo
          );
        });
        // Either it started on the moved clock, or the advance told it the new time.
        assert.ok(
          told || Date.parse(input.requestedAt) >= movedTo,
          `${created.body.subscriptionId} started at ${input.requestedAt} and was not told of ${advance.body.now}`,
        );
      }
    } finally {
      await connection.close();
    }
  });
});
