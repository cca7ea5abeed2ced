// Seeded chaos mode: reproducible decisions at the asked rates; over HTTP, busy answers that change nothing,
// delayed notifications, DELETE flushing what is held, held notifications kept by the state file, bad bodies.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { money } from '../../../src/domain/money.js';
import { paymentOutcome } from '../../../src/domain/payment-outcome.js';
import { createGatewayClient, type GatewayClient } from '../../../src/gateway/client.js';
import { signHs256Payload } from '../../../src/gateway/envelopes/hs256.js';
import { GatewayDeclinedError } from '../../../src/gateway/errors.js';
import { parseChaosConfig } from '../../../src/sandbox/chaos-config.js';
import { SandboxChaos } from '../../../src/sandbox/chaos.js';
import { startNotificationReceiver } from '../../support/notification-receiver.js';
import {
  callSandboxAt,
  dailyPlanClaims,
  generateMerchant,
  nextInvoiceNo,
  notificationClaims,
  startSandboxHarness,
  type SandboxHarness,
} from '../../support/sandbox-harness.js';

const DAY = 86_400_000;

const RATES = {
  requestFaultRate: 0.1,
  appliedShare: 0.5,
  declineRate: 0.05,
  refundPendingRate: 0.1,
  notifications: { duplicateRate: 0.05, reorderRate: 0.05, delayRate: 0.05, dropRate: 0.05 },
};

function chaosWith(body: Record<string, unknown>): SandboxChaos {
  const chaos = new SandboxChaos();
  chaos.configure(parseChaosConfig(body));
  return chaos;
}

/** Every kind of decision for each key, in the order given. */
function decide(seed: number, keys: readonly string[]) {
  const chaos = chaosWith({ seed, ...RATES });
  return keys.map((key) => ({
    key,
    request: chaos.requestFault('refund', key),
    decline: chaos.chargeDecline(key),
    pending: chaos.refundPending(key),
    fate: chaos.notificationFate(key),
  }));
}

const between = (value: number, low: number, high: number, what: string) =>
  assert.ok(value >= low && value <= high, `${what}: ${value} is not within ${low}..${high}`);

describe('sandbox chaos decisions', () => {
  const keys = Array.from({ length: 2000 }, (_, i) => `JT01|INV${String(i).padStart(5, '0')}`);

  it('when the seed is the same, then every decision is the same, whatever order the keys arrive in', () => {
    const first = decide(42, keys);
    assert.deepEqual(decide(42, keys), first);
    assert.deepEqual(decide(42, [...keys].reverse()).reverse(), first);
    assert.notDeepEqual(decide(43, keys), first);
  });

  it('when 2,000 things are decided, then each rate is roughly respected and the kinds are chosen evenly', () => {
    const all = decide(42, keys);
    const faults = all.flatMap((d) => (d.request ? [d.request] : []));
    between(faults.length, 140, 260, 'request faults at 10%');
    for (const kind of ['timeout', 'http5xx', 'garbage', 'wrongSignature', 'transientCode'] as const) {
      between(faults.filter((f) => f.kind === kind).length, 15, 75, `${kind} of the request faults`);
    }
    const losable = faults.filter((f) => ['timeout', 'http5xx', 'garbage'].includes(f.kind));
    between(losable.filter((f) => f.applied).length / losable.length, 0.3, 0.7, 'applied share at 50%');
    assert.ok(
      faults.every((f) => f.kind !== 'transientCode' || !f.applied),
      'a busy answer is never processed',
    );
    assert.ok(faults.every((f) => f.kind !== 'timeout' || f.holdMs === 5000));
    between(all.filter((d) => d.decline === '4051').length, 55, 150, 'declines at 5%');
    assert.ok(all.every((d) => d.decline === undefined || d.decline === '4051'));
    between(all.filter((d) => d.pending).length, 140, 260, 'pending refunds at 10%');
    between(all.filter((d) => d.fate.drop).length, 55, 150, 'drops at 5%');
    between(all.filter((d) => d.fate.duplicate).length, 50, 150, 'duplicates at 5%');
    between(all.filter((d) => d.fate.delayMs !== undefined).length, 50, 150, 'delays at 5%');
    assert.ok(all.every((d) => !d.fate.drop || (!d.fate.duplicate && d.fate.delayMs === undefined)));
  });

  it('when the same request is retried 2,000 times, then each try gets its own decision at the same rate', () => {
    const chaos = chaosWith({ seed: 9, requestFaultRate: 0.1 });
    const tries = Array.from({ length: 2000 }, () => chaos.requestFault('paymentInquiry', 'JT01|INV1'));
    between(tries.filter(Boolean).length, 140, 260, 'faults over retries at 10%');
  });

  it('when a batch is reordered, then a picked notification swaps with the one after it and the last stays', () => {
    const chaos = chaosWith({ seed: 1, notifications: { reorderRate: 1 } });
    assert.deepEqual(
      chaos.reorder(['a', 'b', 'c'], (x) => x),
      { items: ['b', 'a', 'c'], swaps: 1 },
    );
    assert.deepEqual(
      chaos.reorder(['d'], (x) => x),
      { items: ['d'], swaps: 0 },
    );
  });

  it('when only the seed is given, then the defaults are every kind, 5 s holds and a 2-day delay, at rate 0', () => {
    const config = parseChaosConfig({ seed: 'run-1' });
    assert.deepEqual(config.requestFaultKinds, ['timeout', 'http5xx', 'garbage', 'wrongSignature', 'transientCode']);
    assert.equal(config.timeoutHoldMs, 5000);
    assert.equal(config.notifications.delayMs, 2 * DAY);
    assert.equal(config.requestFaultRate, 0);
    const chaos = chaosWith({ seed: 'run-1' });
    assert.ok(keys.slice(0, 200).every((k) => chaos.requestFault('refund', k) === undefined));
  });
});

describe('sandbox chaos over HTTP', () => {
  let h: SandboxHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const call = (method: string, path: string, body?: unknown) => callSandboxAt(h!.baseUrl, method, path, body);

  const arm = async (body: Record<string, unknown>) => {
    const armed = await call('POST', '/_sandbox/chaos', body);
    assert.equal(armed.status, 200, armed.text);
    return armed.json;
  };

  const clientFor = (harness: SandboxHarness): GatewayClient =>
    createGatewayClient({
      merchantId: harness.merchant.merchantId,
      keys: {
        merchantPrivateKey: harness.merchant.privateKey,
        merchantPublicKey: harness.merchant.publicKey,
        gatewayPublicKey: harness.gatewayPublicKey,
        secretKey: harness.merchant.secret,
      },
      endpoints: harness.sandbox.endpoints(),
      timeoutMs: 5000,
    });

  const planClaims = dailyPlanClaims;

  const sequenceNos = (harness: SandboxHarness, from: number) =>
    Promise.all(
      harness.receiver.received
        .slice(from)
        .map(async (r) => (await notificationClaims(r.body, harness.merchant.secret))['recurringSequenceNo']),
    );

  it('when the body is bad, then 400 names the field and nothing is armed', async () => {
    h = await startSandboxHarness();
    for (const [body, field] of [
      [{}, 'seed'],
      [{ seed: 1.5 }, 'seed'],
      [{ seed: 1, requestFaultRate: 2 }, 'requestFaultRate'],
      [{ seed: 1, requestFaultKinds: ['timeout', 'explode'] }, 'requestFaultKinds'],
      [{ seed: 1, requestFaultKinds: [] }, 'requestFaultKinds'],
      [{ seed: 1, timeoutHoldMs: -1 }, 'timeoutHoldMs'],
      [{ seed: 1, notifications: { delayRate: 'often' } }, 'notifications.delayRate'],
      [{ seed: 1, notifications: { delayMs: 1.5 } }, 'notifications.delayMs'],
      [{ seed: 1, declineRatio: 0.1 }, 'declineRatio'],
      [[{ seed: 1 }], 'body'],
      ['{not json', 'JSON'],
    ] as const) {
      const answer = await call('POST', '/_sandbox/chaos', body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.json.error.code, 'ERR_SANDBOX_BAD_REQUEST');
      assert.ok(answer.json.error.message.includes(field), `${answer.json.error.message} names ${field}`);
    }
    const state = await call('GET', '/_sandbox/chaos');
    assert.equal(state.json.config, null);
    assert.ok(Object.values(state.json.injected).every((n) => n === 0));
    const routes = (await call('GET', '/_sandbox/')).json.routes as string[];
    assert.ok(['GET', 'POST', 'DELETE'].every((m) => routes.some((r) => r.startsWith(`${m} /_sandbox/chaos`))));
  });

  it('when every call gets the transient code, then the client sees retryable or pending answers and nothing changed', async () => {
    h = await startSandboxHarness();
    const client = clientFor(h);
    const plan = await h.paid(planClaims('BUSY000001'));
    const recurringUniqueID = (await notificationClaims(h.receiver.received[0]!.body, h.merchant.secret))[
      'recurringUniqueID'
    ] as string;
    const paid = await h.paid({ amount: 20 });
    await h.sandbox.clock.advance(25 * 3_600_000 - 1);
    await h.sandbox.clock.advance(1);
    const before = h.sandbox.ledger();
    assert.equal(before.transactions.find((t) => t.invoiceNo === paid.invoiceNo)?.status, 'S');

    await arm({ seed: 11, requestFaultRate: 1, requestFaultKinds: ['transientCode'] });
    const busy = (code: string) => (error: unknown) =>
      error instanceof GatewayDeclinedError &&
      error.respCode === code &&
      error.retryable &&
      error.classification === 'retryable';
    const refund = { invoiceNo: paid.invoiceNo, amount: money(500, 'SGD'), idempotencyID: 'busy-refund-1' };
    await assert.rejects(client.refund(refund), busy('99'));
    await assert.rejects(client.void({ invoiceNo: paid.invoiceNo, amount: money(2000, 'SGD') }), busy('99'));
    const cancel = {
      recurringUniqueID,
      recurringStatus: 'Y',
      amount: money(500, 'SGD'),
      allowAccumulate: false,
    } as const;
    await assert.rejects(client.recurringCancel(cancel), busy('99'));
    await assert.rejects(client.recurringInquiry({ recurringUniqueID }), busy('99'));
    await assert.rejects(client.balanceInquiry(), busy('99'));
    const token = { invoiceNo: nextInvoiceNo('BUSY'), description: 'busy', amount: money(1000, 'SGD') };
    await assert.rejects(client.paymentToken(token), busy('0999'));
    const inquiry = await client.paymentInquiry({ invoiceNo: plan.invoiceNo });
    assert.equal(inquiry.respCode, '0999');
    assert.equal(paymentOutcome(inquiry.respCode), 'pending', 'the engine asks again, never records a decline');

    assert.deepEqual(h.sandbox.ledger(), before, 'a busy answer means not processed');
    const counts = (await call('GET', '/_sandbox/chaos')).json.injected;
    assert.equal(counts.transientCode, 7);
    assert.equal(counts.timeout + counts.http5xx + counts.garbage + counts.wrongSignature, 0);

    await call('DELETE', '/_sandbox/chaos');
    assert.equal((await client.refund(refund)).respCode, '00', 'the same refund goes through once chaos is off');
    assert.equal((await client.paymentToken(token)).respCode, '0000');
  });

  it('when a one-shot fault is armed too, then it goes first, and an applied chaos 5xx was processed', async () => {
    h = await startSandboxHarness();
    await arm({ seed: 4, requestFaultRate: 1, requestFaultKinds: ['http5xx'], appliedShare: 1 });
    h.sandbox.faults.http5xx({ operation: 'paymentToken', status: 502 });
    const send = async (invoiceNo: string) => {
      const claims = {
        merchantID: h!.merchant.merchantId,
        invoiceNo,
        description: 'x',
        amount: 1,
        currencyCode: 'SGD',
      };
      const payload = await signHs256Payload(JSON.stringify(claims), h!.merchant.secret);
      return (await h!.post('/payment/4.3/paymentToken', JSON.stringify({ payload }), 'application/json')).status;
    };
    assert.equal(await send(nextInvoiceNo('ONE')), 502);
    assert.equal(h.sandbox.ledger().paymentTokens.length, 0, 'the one-shot fault was not applied');
    assert.equal(await send(nextInvoiceNo('CHA')), 503);
    assert.equal(h.sandbox.ledger().paymentTokens.length, 1, 'the chaos fault was applied before the answer was lost');
    const counts = (await call('GET', '/_sandbox/chaos')).json.injected;
    assert.deepEqual([counts.http5xx, counts.http5xxApplied], [1, 1]);
  });

  it('when a notification is delayed, then it arrives only once the clock is delayMs past its event', async () => {
    h = await startSandboxHarness();
    await arm({ seed: 3, notifications: { delayRate: 1 } });
    const { invoiceNo } = await h.paid();
    assert.equal(h.receiver.received.length, 0);
    const record = h.sandbox.ledger().notifications[0];
    assert.equal(record?.delivered, false);
    assert.equal(record?.heldUntil, new Date(Date.parse(record!.at) + 2 * DAY).toISOString());
    await h.sandbox.clock.advance(DAY);
    await h.sandbox.clock.advance(DAY - 1);
    assert.equal(h.receiver.received.length, 0, 'one millisecond short of the delay');
    await h.sandbox.clock.advance(1);
    assert.equal(h.receiver.received.length, 1);
    const claims = await notificationClaims(h.receiver.received[0]!.body, h.merchant.secret);
    assert.deepEqual([claims['invoiceNo'], claims['respCode']], [invoiceNo, '0000']);
    assert.equal(h.sandbox.ledger().notifications[0]?.delivered, true);
    assert.equal((await call('GET', '/_sandbox/chaos')).json.injected.notificationDelay, 1);
  });

  it('when chaos is deleted, then every held notification is sent and the final counts are answered', async () => {
    h = await startSandboxHarness();
    await arm({ seed: 3, notifications: { delayRate: 1 } });
    await h.paid();
    await h.paid();
    assert.equal(h.receiver.received.length, 0);
    const off = await call('DELETE', '/_sandbox/chaos');
    assert.equal(off.status, 200);
    assert.equal(off.json.config, null);
    assert.equal(off.json.injected.notificationDelay, 2);
    assert.equal(h.receiver.received.length, 2);
    assert.ok(h.sandbox.ledger().notifications.every((n) => n.delivered));
    await h.paid();
    assert.equal(h.receiver.received.length, 3, 'with chaos off, notifications go out at once');
  });

  it('when notifications are reordered, duplicated or dropped, then the receiver sees it and the counts say so', async () => {
    h = await startSandboxHarness();
    await arm({ seed: 5, notifications: { reorderRate: 1 } });
    await h.paid(planClaims('SWAP000001'));
    await h.sandbox.clock.advance(5 * DAY);
    assert.deepEqual(await sequenceNos(h, 1), ['2', '1', '3']);
    assert.equal((await call('GET', '/_sandbox/chaos')).json.injected.notificationReorder, 1);

    await arm({ seed: 5, notifications: { duplicateRate: 1 } });
    const from = h.receiver.received.length;
    await h.paid();
    assert.equal(h.receiver.received.length, from + 2);
    assert.equal(h.receiver.received[from]?.body, h.receiver.received[from + 1]?.body);

    await arm({ seed: 5, notifications: { dropRate: 1 } });
    const { invoiceNo } = await h.paid();
    assert.equal(h.receiver.received.length, from + 2);
    const dropped = h.sandbox.ledger().notifications.find((n) => n.invoiceNo === invoiceNo);
    assert.deepEqual([dropped?.dropped, dropped?.delivered], [true, false]);
    assert.equal((await call('GET', '/_sandbox/chaos')).json.injected.notificationDrop, 1);
  });

  it('when charges are declined and refunds held by chaos, then 4051 is charged and the refund answers 42', async () => {
    h = await startSandboxHarness();
    const first = await h.paid({ amount: 20 });
    await arm({ seed: 8, declineRate: 1, refundPendingRate: 1 });
    await h.paid(planClaims('DECL000001'));
    await h.sandbox.clock.advance(5 * DAY);
    const charges = h.sandbox.ledger().transactions.filter((t) => t.recurringSequenceNo !== undefined);
    assert.deepEqual(
      charges.map((t) => t.respCode),
      ['4051', '4051', '4051'],
    );
    await assert.rejects(
      clientFor(h).refund({ invoiceNo: first.invoiceNo, amount: money(100, 'SGD') }),
      (error: unknown) =>
        error instanceof GatewayDeclinedError && error.respCode === '42' && error.classification === 'pending',
    );
    assert.equal(h.sandbox.ledger().refunds[0]?.status, 'RP');
    await h.sandbox.clock.advance(1);
    assert.equal(h.sandbox.ledger().refunds[0]?.status, 'RF', 'completed at a later clock advance');
    const counts = (await call('GET', '/_sandbox/chaos')).json.injected;
    assert.deepEqual([counts.decline, counts.refundPending], [3, 1]);
  });
});

describe('sandbox chaos and the state file', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'recur-sandbox-chaos-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('when the sandbox closes while a notification is held, then the reopened one still sends it when due', async () => {
    const stateFile = join(dir, 'state.json');
    const merchant = generateMerchant();
    const receiver = await startNotificationReceiver();
    const merchants = [
      {
        merchantId: merchant.merchantId,
        secretKey: merchant.secretKey,
        merchantPublicKey: merchant.publicKey,
        currency: 'SGD',
        backendReturnUrl: receiver.url,
      },
    ];
    try {
      const first = await startSandboxHarness({ merchant, merchants, stateFile });
      first.sandbox.faults.chaos.configure(parseChaosConfig({ seed: 2, notifications: { delayRate: 1 } }));
      const { invoiceNo } = await first.paid();
      await first.close();
      assert.equal(receiver.received.length, 0);

      const second = await startSandboxHarness({ merchant, merchants, stateFile });
      try {
        assert.equal(second.sandbox.faults.chaos.snapshot().config, null, 'chaos itself is not kept');
        assert.ok(second.sandbox.ledger().notifications[0]?.heldUntil);
        await second.sandbox.clock.advance(2 * DAY);
        assert.equal(receiver.received.length, 1);
        const claims = await notificationClaims(receiver.received[0]!.body, merchant.secret);
        assert.equal(claims['invoiceNo'], invoiceNo);
        assert.equal(second.sandbox.ledger().notifications.length, 1, 'sent as the record it was, not a new one');
        assert.equal(second.sandbox.ledger().notifications[0]?.delivered, true);
      } finally {
        await second.close();
      }
    } finally {
      await receiver.close();
    }
  });
});
