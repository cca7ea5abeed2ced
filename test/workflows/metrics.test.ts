// The engine's metrics, moved by real work: the subscription workflow on the time-skipping server, the real
// activities and gateway client against the sandbox over HTTP, PostgreSQL. Then the worker's own /metrics
// listener and the Temporal SDK's Prometheus exporter, over HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createLedgerActivities } from '../../src/activities/ledger-activities.js';
import type { Config } from '../../src/config.js';
import { freePort } from '../../src/db/embedded-postgres.js';
import { importPrivateKey, importPublicKey } from '../../src/gateway/keys.js';
import { processMetrics } from '../../src/metrics/recur-metrics.js';
import { startWorker } from '../../src/worker/start-worker.js';
import { temporalMetricsTelemetry } from '../../src/worker/temporal-metrics.js';
import { refundUpdate, stateQuery } from '../../src/workflows/definitions.js';
import { MERCHANT_ID, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { eventually } from '../support/eventually.js';
import { parseExposition, samplesOf, valueOf, type Exposition } from '../support/prometheus-text.js';
import { activeSubscription, DAY, dueAt, pastDueSubscription, reaches } from '../support/subscription-steps.js';

// Before anything touches Temporal, as src/worker/main.ts does: the SDK's metrics on a port of their own.
const temporalMetricsPort = await freePort();
Runtime.install({ logger: new DefaultLogger('WARN'), ...temporalMetricsTelemetry(temporalMetricsPort) });

const metrics = processMetrics();
const scrape = async (): Promise<Exposition> => parseExposition(await metrics.registry.metrics());
const CHARGES = 'recur_charges_total';
const DUNNING = 'recur_dunning_outcomes_total';
const REFUNDS = 'recur_refunds_total';

/** How far each labelled sample of `name` moved between two scrapes, as "label=value,…" → delta (non-zero only). */
function movedBy(before: Exposition, after: Exposition, name: string): Record<string, number> {
  const key = (labels: Record<string, string>) =>
    Object.entries(labels)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  const moved: Record<string, number> = {};
  for (const sample of samplesOf(after, name)) {
    const delta = sample.value - valueOf(before, name, sample.labels);
    if (delta !== 0) moved[key(sample.labels)] = delta;
  }
  return moved;
}

describe('engine metrics', () => {
  let harness: EngineHarness;
  before(async () => {
    harness = await startEngineHarness({ metrics });
  });
  after(async () => {
    await harness?.stop();
  });

  /** Audit rows per 2C2P operation: one per exchange the gateway client made. */
  async function auditedExchanges(): Promise<Record<string, number>> {
    const { rows } = await harness.pool.query<{ operation: string; n: string }>(
      'SELECT operation, count(*) AS n FROM gateway_exchanges GROUP BY operation',
    );
    return Object.fromEntries(rows.map((r) => [r.operation, Number(r.n)]));
  }

  it('when a charge is declined and the dunning link paid, then each charge, the recovery and every 2C2P call count once', async () => {
    const before = await scrape();
    const auditBefore = await auditedExchanges();
    const { handle, link } = await pastDueSubscription(harness);
    await harness.sandbox.approvePayment(link.paymentToken);
    await reaches(handle, 'active');

    const after = await eventually(async () => {
      const exposition = await scrape();
      assert.deepEqual(movedBy(before, exposition, CHARGES), {
        'kind=initial,outcome=succeeded': 1,
        'kind=recurring,outcome=declined': 1,
        'kind=dunning,outcome=succeeded': 1,
      });
      return exposition;
    });
    assert.deepEqual(movedBy(before, after, DUNNING), { 'outcome=recovered': 1 });

    // Every exchange the audit holds is counted once, under its operation, with its duration.
    const auditAfter = await auditedExchanges();
    const calls: Record<string, number> = {};
    for (const sample of samplesOf(after, 'recur_gateway_calls_total')) {
      const operation = sample.labels.operation ?? '';
      calls[operation] = (calls[operation] ?? 0) + sample.value - valueOf(before, sample.name, sample.labels);
    }
    for (const [operation, n] of Object.entries(auditAfter)) {
      const delta = n - (auditBefore[operation] ?? 0);
      assert.equal(calls[operation] ?? 0, delta, `${operation} calls`);
      const durations = 'recur_gateway_call_duration_seconds_count';
      assert.equal(valueOf(after, durations, { operation }) - valueOf(before, durations, { operation }), delta);
    }
    // The first payment page and the dunning link: 2C2P's success code as the result.
    const paymentTokens = movedBy(before, after, 'recur_gateway_calls_total');
    assert.equal(paymentTokens['operation=paymentToken,result=0000'], 2, JSON.stringify(paymentTokens));
  });

  it('when the dunning window passes unpaid, then the subscription counts as unpaid once, however often it is saved', async () => {
    const before = await scrape();
    const { input, handle } = await pastDueSubscription(harness);
    await harness.advanceTo(dueAt(input, 1) + 8 * DAY);
    await reaches(handle, 'unpaid');
    await eventually(async () => assert.deepEqual(movedBy(before, await scrape(), DUNNING), { 'outcome=unpaid': 1 }));

    // The last projection write again (as a later change to an ended subscription makes it): no second count.
    const view = await handle.query(stateQuery);
    await createLedgerActivities(harness.pool, metrics).saveSubscription({ ...view, version: view.version + 1 });
    assert.deepEqual(movedBy(before, await scrape(), DUNNING), { 'outcome=unpaid': 1 });
  });

  it('when a charge is refunded after settlement, then each status the refund reaches counts once', async () => {
    const before = await scrape();
    const { handle, view } = await activeSubscription(harness);
    const invoiceNo = view.charges[0]?.invoiceNo ?? '';
    await handle.executeUpdate(refundUpdate, { args: [{ invoiceNo, amountMinor: 1000 }] });
    await harness.advanceTo((await harness.now()) + 2 * DAY); // the sandbox settles after a day
    await eventually(async () => assert.equal((await handle.query(stateQuery)).refunds[0]?.status, 'succeeded'));
    await eventually(async () => {
      const moved = movedBy(before, await scrape(), REFUNDS);
      assert.equal(moved['status=requested'], 1);
      assert.equal(moved['status=succeeded'], 1);
      assert.equal(moved['status=failed'], undefined);
    });
  });

  it("when the worker starts with a metrics port, then GET /metrics answers the process's counts, and the SDK's exporter its own", async () => {
    const settings = harness.childWorkerSettings;
    const config: Config = {
      gateway: {
        merchantId: MERCHANT_ID,
        keys: {
          merchantPrivateKey: importPrivateKey(settings.merchantPrivateKeyPem),
          merchantPublicKey: importPublicKey(settings.merchantPublicKeyPem),
          gatewayPublicKey: importPublicKey(settings.gatewayPublicKeyPem),
          secretKey: new TextEncoder().encode(settings.secretKey),
        },
        endpoints: { paymentActionBase: `${settings.baseUrl}/2C2PFrontend`, pgwBase: settings.baseUrl },
        currency: 'SGD',
        timeoutMs: 5_000,
        timeZone: 'Asia/Bangkok',
        paymentActionVersion: '3.8',
      },
      subscriptions: { paymentLinkTtlMs: DAY },
      // A queue of its own: this worker only serves its metrics and takes none of the harness's work.
      temporal: { address: settings.address, namespace: 'default', taskQueue: 'metrics-endpoint-test' },
      database: { url: settings.databaseUrl },
      api: { port: 0, publicBaseUrl: 'http://127.0.0.1' },
      metrics: {},
    };
    const worker = await startWorker(config, settings.databaseUrl, { metricsPort: 0 });
    try {
      assert.ok(worker.metricsUrl, 'the worker reports where it serves its metrics');
      const response = await fetch(worker.metricsUrl);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      const served = parseExposition(await response.text());
      const succeeded = { outcome: 'succeeded', kind: 'initial' };
      assert.ok(valueOf(served, CHARGES, succeeded) >= 3, 'the charges of the tests above are there');
      assert.equal(valueOf(served, CHARGES, succeeded), valueOf(await scrape(), CHARGES, succeeded));
    } finally {
      await worker.shutdown();
    }
    await assert.rejects(fetch(worker.metricsUrl ?? ''), 'the listener stops with the worker');

    const sdk = await fetch(`http://127.0.0.1:${temporalMetricsPort}/metrics`);
    assert.equal(sdk.status, 200);
    const families = [...parseExposition(await sdk.text()).families.values()];
    const temporal = families.filter((f) => f.name.startsWith('temporal_'));
    assert.ok(temporal.length > 5, `the SDK's metrics: ${families.map((f) => f.name).join(', ')}`);
    for (const family of temporal.filter((f) => f.type === 'counter')) assert.match(family.name, /_total$/);
    assert.ok(
      temporal.some((f) => f.type === 'histogram' && f.name.endsWith('_seconds')),
      'durations in seconds, with the unit in the name',
    );
  });
});
