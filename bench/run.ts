// `npm run bench`: every performance figure of issue 12, each beside its baseline measured in the same run,
// written to bench/results.json. In order: the gateway's envelope throughput against `openssl speed` and
// Node's raw crypto.sign (first, on a quiet machine); checkout latency of POST /v1/subscriptions against
// bare Temporal workflows on the same dev server; history events per subscription-year against the budget;
// 10,000 live subscriptions on one box. Nothing here asserts a target, so a slow machine never fails a build.
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { RunningStack } from '../src/dev/stack.js';
import { withBenchStack } from './bench-stack.js';
import { measureCheckout, type CheckoutBenchResult } from './checkout.js';
import { measureCrypto, type CryptoBenchResult } from './crypto.js';
import { measureHistoryYear } from './history-year.js';
import { measureLiveSubscriptions, type LiveSubscriptionsResult } from './live-subscriptions.js';

const OUTPUT = process.env.BENCH_OUTPUT ?? join('bench', 'results.json');
const SECTIONS = ['crypto', 'checkout', 'history', 'live'] as const;
type Section = (typeof SECTIONS)[number];
const USAGE = `usage: npm run bench [-- --only ${SECTIONS.join(',')}]`;
// `npm run bench -- --only checkout,history` measures some sections (to a file of their own: BENCH_OUTPUT).
const only = onlySections(process.argv.slice(2));

Runtime.install({ logger: new DefaultLogger('WARN') });
const startedAt = Date.now();
const log = (line: string) => console.log(`[bench ${Math.round((Date.now() - startedAt) / 1000)} s] ${line}`);

const crypto = await section('crypto', 'openssl speed, raw crypto.sign, envelope round trips', measureCrypto);
const checkout = await section(
  'checkout',
  'POST /v1/subscriptions and bare Temporal baselines',
  measureCheckoutOnStack,
);
const historyYear = await section('history', 'a subscription-year on the time-skipping server', measureHistoryYear);
// BENCH_LIVE_SUBSCRIPTIONS=1000 for a shorter run; the figure is 10,000 (about 25 minutes here).
const liveSubscriptions = await section('live', 'live subscriptions on one box, one due day', () =>
  measureLiveSubscriptions({
    subscriptions: Number(process.env.BENCH_LIVE_SUBSCRIPTIONS ?? 10_000),
    log: (line) => log(`live: ${line}`),
  }),
);

const results = {
  measuredAt: new Date().toISOString(),
  machine: {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
  },
  wallSeconds: Math.round((Date.now() - startedAt) / 1000),
  crypto,
  checkout,
  historyYear,
  liveSubscriptions,
};
writeFileSync(OUTPUT, `${JSON.stringify(results, null, 2)}\n`);
printSummary();
log(`written to ${OUTPUT}`);

async function section<T>(name: Section, what: string, measure: () => Promise<T>): Promise<T | undefined> {
  if (only !== undefined && !only.has(name)) return undefined;
  log(`${name}: ${what}`);
  return measure();
}

function measureCheckoutOnStack(): Promise<CheckoutBenchResult> {
  return withBenchStack('bench', async (stack) => {
    // The engine is first measured as the bare baselines run, with no delivery beside it; then with an endpoint.
    await deleteDevWebhookEndpoint(stack);
    return measureCheckout({
      apiUrl: stack.apiUrl,
      apiKey: stack.apiKey,
      temporalAddress: stack.temporalAddress,
      addWebhookEndpoint: () => addWebhookEndpoint(stack),
      requests: Number(process.env.BENCH_REQUESTS ?? 300),
      warmup: Number(process.env.BENCH_WARMUP ?? 20),
      concurrency: Number(process.env.BENCH_CONCURRENCY ?? 8),
    });
  });
}

async function deleteDevWebhookEndpoint(stack: RunningStack): Promise<void> {
  const answer = await fetch(`${stack.apiUrl}/v1/webhook-endpoints/${stack.webhooks.endpointId}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${stack.apiKey}` },
  });
  if (answer.status !== 204) throw new Error(`deleting the dev webhook endpoint answered ${answer.status}`);
}

async function addWebhookEndpoint(stack: RunningStack): Promise<void> {
  const answer = await fetch(`${stack.apiUrl}/v1/webhook-endpoints`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url: stack.webhooks.url, enabledEvents: ['*'] }),
  });
  if (answer.status !== 201)
    throw new Error(`adding a webhook endpoint answered ${answer.status}: ${await answer.text()}`);
}

function onlySections(args: string[]): Set<Section> | undefined {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    process.exit(0);
  }
  const at = args.indexOf('--only');
  // A mistyped flag would otherwise start the whole 20-minute run.
  const stray = args.find((_, i) => at === -1 || (i !== at && i !== at + 1));
  if (stray !== undefined) {
    console.error(`bench: unknown argument ${stray}\n${USAGE}`);
    process.exit(2);
  }
  if (at === -1) return undefined;
  const names = (args[at + 1] ?? '').split(',').filter(Boolean);
  const unknown = names.filter((n) => !(SECTIONS as readonly string[]).includes(n));
  if (names.length === 0 || unknown.length > 0) {
    console.error(`--only takes a comma-separated list of: ${SECTIONS.join(', ')}`);
    process.exit(2);
  }
  return new Set(names as Section[]);
}

function printSummary(): void {
  if (crypto) printCrypto(crypto);
  if (checkout) printCheckout(checkout);
  if (historyYear)
    console.log(`history     ${historyYear.events} events per subscription-year (budget ${historyYear.budget})`);
  if (liveSubscriptions) printLive(liveSubscriptions);
}

function printLive(live: LiveSubscriptionsResult): void {
  console.log(
    `live        ${live.settings.subscriptions} started in ${live.startSeconds} s; worker ${live.workerRssMb} MB ` +
      `(${live.kbPerCachedWorkflow} KB per cached workflow); due day ${live.chargesPerSecond} charges/s, ` +
      `due → recorded p99 ${live.dueToRecordedP99Ms} ms`,
  );
}

function printCrypto(crypto: CryptoBenchResult): void {
  const trip = (callers: 'callers1' | 'callers2' | 'callers4') =>
    `${crypto.gateway[callers].perSecond}/s (${crypto.gateway[callers].ratio}x; jose ${crypto.joseReference[callers].ratio}x)`;
  console.log(
    `crypto      OpenSSL ${crypto.openssl.signPerSecond} sign/s → limit ${crypto.roundTripLimit} round trips/s; ` +
      `raw node sign ${crypto.nodeRawSign.ratio}x, decrypt ${crypto.nodeRawDecrypt.ratio}x; round trips 1 caller ${trip('callers1')}, 2 ${trip('callers2')}, 4 ${trip('callers4')}`,
  );
}

function printCheckout(checkout: CheckoutBenchResult): void {
  const row = (name: string, f: CheckoutBenchResult['engine']) =>
    console.log(
      `${name.padEnd(24)} p50 ${f.sequential.p50Ms} ms  p99 ${f.sequential.p99Ms} ms  ` +
        `${f.sequential.throughputPerSecond}/s sequential, ${f.concurrent.throughputPerSecond}/s at ${f.concurrent.concurrency} in flight (p99 ${f.concurrent.p99Ms} ms)`,
    );
  row('checkout (engine)', checkout.engine);
  row('checkout, webhook endpoint', checkout.engineWithWebhookEndpoint);
  row('bare, 2 local activities', checkout.baselines.bareLocalActivities);
  row('bare, 2 activities', checkout.baselines.bareRegularActivities);
  row('bare, no activity', checkout.baselines.floor);
  console.log(`checkout ÷ floor: p50 ${checkout.ratios.toFloor.p50}x, p99 ${checkout.ratios.toFloor.p99}x`);
}
