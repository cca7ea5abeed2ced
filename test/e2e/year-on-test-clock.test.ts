// A year of one subscription on the dev stack, driven only over HTTP by the test clock: twelve monthly
// charges, one declined and paid through the dunning link, a prorated cancel refunded once settled; then the
// stack is stopped and started again on the same data folder, and the API and the sandbox still hold it all.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ChargeResource, RefundResource } from '../../src/resources/subscription-resource.js';
import { freePort } from '../../src/db/embedded-postgres.js';
import { startStack, type RunningStack } from '../../src/dev/stack.js';
import { addDays, toCalendarDate, toEpochMs, type CalendarDate } from '../../src/domain/calendar-date.js';
import type { LedgerPlan, LedgerRefund, LedgerTransaction } from '../../src/sandbox/ledger.js';
import { eventually } from '../support/eventually.js';
import { approveOnPage, callApi, callSandbox } from '../support/stack-http.js';
import { temporalCliPath } from '../support/temporal-binaries.js';

const HOUR = 3_600_000;
const CHARGES = 12;
const INTERVAL_DAYS = 30;
/** The cycle whose charge the sandbox declines; the customer pays it on the dunning link. */
const DECLINED_SEQUENCE = 4;
/** The prorated cancel comes this many days into the last paid period (the day of the cancel counts as used). */
const CANCEL_DAYS_IN = 5;

interface YearSeen {
  subscriptionId: string;
  recurringUniqueID: string;
  clockNow: string;
  charges: ChargeResource[];
  refunds: RefundResource[];
  transactions: LedgerTransaction[];
}

describe('a year of a subscription on the test clock, across a restart of the dev stack', () => {
  let dataDir: string;
  let ports: { apiPort: number; sandboxPort: number; temporalPort: number; temporalUiPort: number };
  let stack: RunningStack | undefined;
  let seen: YearSeen | undefined;

  // The same ports on every start: the subscription's return URLs and payment links name the first ones.
  const start = () =>
    startStack({
      dataDir,
      ...ports,
      env: { TEMPORAL_CLI_PATH: temporalCliPath(), PATH: process.env.PATH },
      // Only the test clock moves the sandbox: what a step makes due is all that happens.
      sandboxRealTime: false,
      log: () => {},
    });
  const running = (): RunningStack => {
    assert.ok(stack, 'the stack is running');
    return stack;
  };
  const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    callApi(running(), method, path, body, headers);
  const advanceTo = async (at: number) => {
    const moved = await api('POST', '/v1/test-clock/advance', { to: new Date(at).toISOString() });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
  };
  const chargesOf = async (id: string): Promise<ChargeResource[]> => {
    const answer = await api('GET', `/v1/subscriptions/${id}/charges`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body.items as ChargeResource[];
  };
  const refundsOf = async (id: string): Promise<RefundResource[]> => {
    const answer = await api('GET', `/v1/subscriptions/${id}/refunds`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body.items as RefundResource[];
  };
  const ledger = async () => {
    const answer = await callSandbox(running(), 'GET', '/ledger');
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body as { plans: LedgerPlan[]; transactions: LedgerTransaction[]; refunds: LedgerRefund[] };
  };

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'recur-e2e-year-'));
    chmodSync(dataDir, 0o755); // embedded-postgres runs as an unprivileged user when we are root
    ports = {
      apiPort: await freePort(),
      sandboxPort: await freePort(),
      temporalPort: await freePort(),
      temporalUiPort: await freePort(),
    };
    stack = await start();
  });
  after(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when a monthly subscription runs a year on the test clock with one decline paid by its dunning link and a prorated cancel, then the API shows twelve paid charges and a succeeded refund', async () => {
    const clock = await api('GET', '/v1/test-clock');
    assert.equal(clock.status, 200, JSON.stringify(clock.body));
    const firstChargeDate = addDays(toCalendarDate(Date.parse(clock.body.now)), INTERVAL_DAYS);
    const dueOf = (sequence: number): CalendarDate => addDays(firstChargeDate, INTERVAL_DAYS * (sequence - 1));

    const created = await api(
      'POST',
      '/v1/subscriptions',
      {
        customerId: 'cust_year',
        description: 'Pro plan, a year on the test clock',
        plan: {
          amount: '30.00',
          currency: 'SGD',
          interval: { days: INTERVAL_DAYS },
          recurringCount: 0,
          firstChargeDate,
        },
      },
      { 'idempotency-key': 'e2e-year-create' },
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const subscriptionId = created.body.subscriptionId as string;
    assert.ok((await approveOnPage(created.body.webPaymentUrl as string)) < 400, 'the payment page took the approval');
    const active = await eventually(async () => {
      const answer = await api('GET', `/v1/subscriptions/${subscriptionId}`);
      assert.equal(answer.body.status, 'active', JSON.stringify(answer.body));
      assert.ok(answer.body.recurringUniqueID && answer.body.customerToken, 'the plan and stored card are known');
      return answer.body as { recurringUniqueID: string; customerToken: string };
    });

    for (let sequence = 1; sequence <= CHARGES; sequence += 1) {
      if (sequence === DECLINED_SEQUENCE) {
        const armed = await callSandbox(running(), 'POST', '/faults', {
          type: 'declineNextCharge',
          recurringUniqueID: active.recurringUniqueID,
        });
        assert.equal(armed.status, 200, JSON.stringify(armed.body));
      }
      await advanceTo(toEpochMs(dueOf(sequence)) + 3 * HOUR);
      if (sequence === DECLINED_SEQUENCE) {
        const link = await eventually(async () => {
          const answer = await api('GET', `/v1/subscriptions/${subscriptionId}`);
          assert.equal(answer.body.status, 'past_due', JSON.stringify(answer.body));
          assert.ok(answer.body.pendingPaymentLink, 'a dunning link is offered');
          assert.equal(answer.body.paymentUrl, answer.body.pendingPaymentLink.webPaymentUrl);
          return answer.body.pendingPaymentLink as { webPaymentUrl: string; amount: string };
        });
        assert.equal(link.amount, '30.00');
        // The page offers the stored card, checked; a browser sends it with the approval.
        assert.ok((await approveOnPage(link.webPaymentUrl, active.customerToken)) < 400, 'the link took the approval');
      }
      await eventually(async () => {
        const charges = await chargesOf(subscriptionId);
        assert.ok(
          charges.some((c) => c.sequence === sequence && c.status === 'succeeded'),
          `charge ${sequence} paid: ${JSON.stringify(charges)}`,
        );
        assert.equal((await api('GET', `/v1/subscriptions/${subscriptionId}`)).body.status, 'active');
      });
    }

    const lastDue = dueOf(CHARGES);
    await advanceTo(toEpochMs(addDays(lastDue, CANCEL_DAYS_IN)) + 3 * HOUR);
    const cancelled = await api(
      'POST',
      `/v1/subscriptions/${subscriptionId}/cancel`,
      { refundPolicy: 'prorated' },
      { 'idempotency-key': 'e2e-year-cancel' },
    );
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.status, 'canceled');
    // 24 of the period's 30 days are unused: 30.00 × 24 / 30.
    assert.equal(cancelled.body.refund?.amount, '24.00', JSON.stringify(cancelled.body));

    // The refund polls 2C2P every 6 hours of the subscription's clock; each step lets one poll happen.
    const refunds = await eventually(
      async () => {
        await advanceTo(Date.parse((await api('GET', '/v1/test-clock')).body.now) + 7 * HOUR);
        const items = await refundsOf(subscriptionId);
        assert.equal(items.length, 1, JSON.stringify(items));
        assert.equal(items[0]?.status, 'succeeded', JSON.stringify(items));
        return items;
      },
      { timeoutMs: 30_000, intervalMs: 300 },
    );

    const charges = await chargesOf(subscriptionId);
    const paid = charges.filter((c) => c.status === 'succeeded');
    assert.deepEqual(
      paid.filter((c) => c.kind !== 'initial').map((c) => c.sequence),
      Array.from({ length: CHARGES }, (_, i) => i + 1),
      'each of the twelve cycles paid once',
    );
    assert.equal(paid.find((c) => c.sequence === DECLINED_SEQUENCE)?.kind, 'dunning');
    assert.equal(paid.filter((c) => c.kind === 'initial').length, 1, 'the first payment');
    assert.deepEqual(
      charges.filter((c) => c.status !== 'succeeded').map((c) => [c.kind, c.sequence, c.status]),
      [['recurring', DECLINED_SEQUENCE, 'declined']],
    );
    const lastCharge = paid.find((c) => c.sequence === CHARGES)!;
    assert.deepEqual(
      refunds.map((r) => [r.invoiceNo, r.amount, r.reason, r.status]),
      [[lastCharge.invoiceNo, '24.00', 'cancel_prorated', 'succeeded']],
    );

    const final = await api('GET', `/v1/subscriptions/${subscriptionId}`);
    assert.equal(final.body.status, 'canceled');
    assert.equal(final.body.nextChargeDate, undefined, 'an ended subscription shows no next charge');
    assert.equal(final.body.pendingPaymentLink, undefined);

    const book = await ledger();
    const plan = book.plans.find((p) => p.recurringUniqueID === active.recurringUniqueID);
    assert.equal(plan?.state, 'cancelled', JSON.stringify(plan));
    assert.equal(plan?.currentCount, CHARGES);
    for (const charge of charges) {
      assert.ok(
        book.transactions.some((t) => t.invoiceNo === charge.invoiceNo),
        `the sandbox has transaction ${charge.invoiceNo}`,
      );
    }
    assert.ok(book.refunds.some((r) => r.invoiceNo === lastCharge.invoiceNo && r.status === 'RF'));

    seen = {
      subscriptionId,
      recurringUniqueID: active.recurringUniqueID,
      clockNow: (await api('GET', '/v1/test-clock')).body.now as string,
      charges,
      refunds,
      transactions: book.transactions,
    };
  });

  it('when the dev stack is stopped and started again on the same data folder, then the subscription, its charges and refunds, the test clock and the sandbox ledger are all still there, and a running plan is charged on', async (t) => {
    if (!seen) return t.skip('the year did not run');
    const { subscriptionId } = seen;
    // A second subscription, paid and waiting for its first charge while the stack is down.
    const firstChargeDate = addDays(toCalendarDate(Date.parse(seen.clockNow)), INTERVAL_DAYS);
    const waiting = await api('POST', '/v1/subscriptions', {
      customerId: 'cust_after_restart',
      description: 'Pro plan across a restart',
      plan: { amount: '30.00', currency: 'SGD', interval: { days: INTERVAL_DAYS }, recurringCount: 0, firstChargeDate },
    });
    assert.equal(waiting.status, 201, JSON.stringify(waiting.body));
    assert.ok((await approveOnPage(waiting.body.webPaymentUrl as string)) < 400);
    await eventually(async () =>
      assert.equal((await api('GET', `/v1/subscriptions/${waiting.body.subscriptionId}`)).body.status, 'active'),
    );

    await running().stop();
    stack = undefined;
    stack = await start();

    const subscription = await api('GET', `/v1/subscriptions/${subscriptionId}`);
    assert.equal(subscription.status, 200, JSON.stringify(subscription.body));
    assert.equal(subscription.body.status, 'canceled');
    assert.equal(subscription.body.recurringUniqueID, seen.recurringUniqueID);
    assert.deepEqual(await chargesOf(subscriptionId), seen.charges);
    assert.deepEqual(await refundsOf(subscriptionId), seen.refunds);
    const listed = await api('GET', '/v1/subscriptions?customerId=cust_year');
    assert.deepEqual(
      (listed.body.items as Array<{ subscriptionId: string; status: string }>).map((s) => [s.subscriptionId, s.status]),
      [[subscriptionId, 'canceled']],
    );

    // The sandbox's clock resumed where it stopped (it follows only the test clock here).
    assert.equal((await api('GET', '/v1/test-clock')).body.now, seen.clockNow);
    const book = await ledger();
    const plan = book.plans.find((p) => p.recurringUniqueID === seen!.recurringUniqueID);
    assert.equal(plan?.state, 'cancelled', 'the plan survived the restart');
    assert.equal(plan?.currentCount, CHARGES);
    const known = new Set(seen.transactions.map((tx) => tx.invoiceNo));
    const statusOf = (transactions: LedgerTransaction[]) =>
      transactions
        .filter((tx) => known.has(tx.invoiceNo))
        .map((tx) => [tx.invoiceNo, tx.status, tx.amount.minor, tx.refundedAmount.minor])
        .sort();
    assert.deepEqual(statusOf(book.transactions), statusOf(seen.transactions));
    const lastInvoice = seen.refunds[0]!.invoiceNo;
    assert.ok(
      book.refunds.some((r) => r.invoiceNo === lastInvoice && r.status === 'RF'),
      'the refund survived',
    );

    // The plan the sandbox kept is charged on its date, and the restarted engine records the charge.
    await advanceTo(toEpochMs(firstChargeDate) + 3 * HOUR);
    await eventually(
      async () => {
        const charges = await chargesOf(waiting.body.subscriptionId as string);
        assert.ok(
          charges.some((c) => c.sequence === 1 && c.status === 'succeeded'),
          `charge 1 after the restart: ${JSON.stringify(charges)}`,
        );
        // The restarted worker replays cold (no sticky cache); on a loaded 2-core machine that took over 20 s once.
      },
      { timeoutMs: 60_000 },
    );
    await api(
      'POST',
      `/v1/subscriptions/${waiting.body.subscriptionId}/cancel`,
      { refundPolicy: 'none' },
      { 'idempotency-key': 'e2e-year-restart-cancel' },
    );
  });
});
