// Backend notification delivery: retries, bounded timeouts, and the duplicate / out-of-order / drop faults.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  dailyPlanClaims,
  notificationClaims,
  startSandboxHarness,
  type SandboxHarness,
} from '../../support/sandbox-harness.js';

describe('sandbox backend notifications', () => {
  let h: SandboxHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const planClaims = dailyPlanClaims;

  it('when the receiver fails twice, then the third attempt delivers and all attempts are in the ledger', async () => {
    h = await startSandboxHarness();
    h.receiver.script([500, 503]);
    const { invoiceNo } = await h.paid();
    const record = h.sandbox.ledger().notifications.find((n) => n.invoiceNo === invoiceNo);
    assert.equal(record?.delivered, true);
    assert.deepEqual(
      record?.attempts.map((a) => a.httpStatus),
      [500, 503, 200],
    );
    assert.equal(h.receiver.received.length, 3);
  });

  it('when the receiver never answers, then each attempt times out and the clock is not blocked for ever', async () => {
    h = await startSandboxHarness({ notifications: { attempts: 2, timeoutMs: 100, retryDelayMs: 0 } });
    h.receiver.script(['hang', 'hang']);
    const started = Date.now();
    const { invoiceNo } = await h.paid();
    assert.ok(Date.now() - started < 5000);
    const record = h.sandbox.ledger().notifications.find((n) => n.invoiceNo === invoiceNo);
    assert.equal(record?.delivered, false);
    assert.deepEqual(
      record?.attempts.map((a) => a.error),
      ['timeout', 'timeout'],
    );
  });

  it('when the receiver is down, then the failed attempts are recorded as connection failures', async () => {
    h = await startSandboxHarness();
    await h.receiver.close();
    const { invoiceNo } = await h.paid();
    const record = h.sandbox.ledger().notifications.find((n) => n.invoiceNo === invoiceNo);
    assert.equal(record?.delivered, false);
    assert.deepEqual(
      record?.attempts.map((a) => a.error),
      ['connection failed', 'connection failed', 'connection failed'],
    );
  });

  it('when notifications are duplicated, then each arrives twice with the same content', async () => {
    h = await startSandboxHarness();
    h.sandbox.faults.duplicateNotifications();
    await h.paid();
    assert.equal(h.receiver.received.length, 2);
    assert.equal(h.receiver.received[0]?.body, h.receiver.received[1]?.body);
    assert.deepEqual(
      h.sandbox.ledger().notifications.map((n) => n.duplicate),
      [false, true],
    );
  });

  it('when notifications are out of order, then one advance delivers its charges in reverse', async () => {
    h = await startSandboxHarness();
    await h.paid(planClaims('REV0000001'));
    h.sandbox.faults.outOfOrderNotifications();
    await h.sandbox.clock.advance(5 * 86_400_000);
    const seq = await Promise.all(
      h.receiver.received
        .slice(1)
        .map(async (r) => (await notificationClaims(r.body, h!.merchant.secret))['recurringSequenceNo']),
    );
    assert.deepEqual(seq, ['3', '2', '1']);
  });

  it("when one plan's receiver hangs, then another plan's notification is not held behind it", async () => {
    const sequences = async () =>
      Promise.all(
        h!.receiver.received.map(async (r) => {
          const claims = await notificationClaims(r.body, h!.merchant.secret);
          return `${String(claims['invoiceNo']).slice(0, 4)}:${String(claims['recurringSequenceNo'])}`;
        }),
      );
    h = await startSandboxHarness({ notifications: { attempts: 2, timeoutMs: 1000, retryDelayMs: 0 } });
    await h.paid(planClaims('PLNA000001'));
    await h.paid(planClaims('PLNB000001'));
    const before = h.receiver.received.length;
    h.receiver.script(['hang']);
    await h.sandbox.clock.advance(86_400_000);
    const arrived = (await sequences()).slice(before);
    // Plan A's first charge hangs until its timeout; plan B's arrives meanwhile, then A's retry.
    assert.equal(arrived.length, 3);
    assert.equal(arrived[2], arrived[0]);
    assert.notEqual(arrived[1]?.slice(0, 4), arrived[0]?.slice(0, 4));
  });

  it('when the notification concurrency is 1, then a hanging receiver holds every later notification', async () => {
    h = await startSandboxHarness({ notifications: { attempts: 2, timeoutMs: 300, retryDelayMs: 0, concurrency: 1 } });
    await h.paid(planClaims('PLNA000001'));
    await h.paid(planClaims('PLNB000001'));
    const before = h.receiver.received.length;
    h.receiver.script(['hang']);
    await h.sandbox.clock.advance(86_400_000);
    const arrived = h.receiver.received.slice(before).map((r) => r.body);
    assert.equal(arrived.length, 3);
    assert.equal(arrived[1], arrived[0]);
  });

  it('when the next notification is dropped, then it is never sent and the ledger says so', async () => {
    h = await startSandboxHarness();
    h.sandbox.faults.dropNextNotification();
    await h.paid();
    await h.paid();
    assert.equal(h.receiver.received.length, 1);
    assert.deepEqual(
      h.sandbox.ledger().notifications.map((n) => [n.dropped, n.delivered]),
      [
        [true, false],
        [false, true],
      ],
    );
  });

  it('when a token carries its own backendReturnUrl, then notifications go there instead of the merchant default', async () => {
    h = await startSandboxHarness();
    await h.paid({ backendReturnUrl: `${h.receiver.url}/custom?x=1` });
    assert.equal(h.receiver.received[0]?.path, '/notify/custom?x=1');
    assert.equal(h.receiver.received[0]?.headers['content-type'], 'application/json; charset=utf-8');
  });
});
