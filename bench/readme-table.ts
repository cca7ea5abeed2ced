// The README's benchmark table, rendered from bench/results.json: every figure beside its baseline and
// ratio, so the README never states a number the results file does not hold. `npx tsx bench/readme-table.ts`
// prints it; test/unit/bench/readme-table.test.ts checks the README carries exactly this rendering.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { CheckoutBenchResult } from './checkout.js';
import type { CryptoBenchResult } from './crypto.js';
import type { HistoryYearResult } from './history-year.js';
import type { LiveSubscriptionsResult } from './live-subscriptions.js';

/** The shape bench/run.ts writes (each section may be missing when run with --only). */
export interface BenchResults {
  measuredAt: string;
  machine: { node: string; cpus: number; cpuModel: string; memoryGb: number };
  wallSeconds: number;
  crypto?: CryptoBenchResult;
  checkout?: CheckoutBenchResult;
  historyYear?: HistoryYearResult;
  liveSubscriptions?: LiveSubscriptionsResult;
}

/** Markdown rows: what was measured, the figure, its baseline (measured in the same run) and the ratio. */
export function renderBenchTable(results: BenchResults): string {
  const rows: string[][] = [];
  const { crypto, checkout, historyYear: history, liveSubscriptions: live } = results;
  if (checkout) {
    const engine = checkout.engine;
    const hooked = checkout.engineWithWebhookEndpoint as CheckoutBenchResult['engine'] | undefined;
    const floor = checkout.baselines.floor;
    rows.push(
      [
        'Checkout `POST /v1/subscriptions`, sequential',
        `p50 ${engine.sequential.p50Ms} ms, p99 ${engine.sequential.p99Ms} ms`,
        `bare update-with-start, no activity: p50 ${floor.sequential.p50Ms} ms, p99 ${floor.sequential.p99Ms} ms`,
        `${checkout.ratios.toFloor.p50}x (p50), ${checkout.ratios.toFloor.p99}x (p99)`,
      ],
      [
        `Checkout, ${engine.concurrent.concurrency} in flight`,
        `${engine.concurrent.throughputPerSecond}/s, p99 ${engine.concurrent.p99Ms} ms`,
        `bare, no activity: ${floor.concurrent.throughputPerSecond}/s`,
        `${checkout.ratios.toFloor.concurrentThroughput}x`,
      ],
      [
        'Bare workflow, 2 regular activities (the old design)',
        `p50 ${checkout.baselines.bareRegularActivities.sequential.p50Ms} ms`,
        `bare, no activity: p50 ${floor.sequential.p50Ms} ms`,
        `${ratio(checkout.baselines.bareRegularActivities.sequential.p50Ms, floor.sequential.p50Ms)}x`,
      ],
    );
    // Results written before this row existed lack its figures.
    if (hooked) {
      rows.push([
        'Checkout with a webhook endpoint taking every event, sequential / 8 in flight',
        `p50 ${hooked.sequential.p50Ms} ms, p99 ${hooked.sequential.p99Ms} ms / ${hooked.concurrent.throughputPerSecond}/s`,
        `bare, no activity: p50 ${floor.sequential.p50Ms} ms / ${floor.concurrent.throughputPerSecond}/s`,
        `${ratio(hooked.sequential.p50Ms, floor.sequential.p50Ms)}x (p50), ${ratio(hooked.concurrent.throughputPerSecond, floor.concurrent.throughputPerSecond)}x`,
      ]);
    }
  }
  if (crypto) {
    const limit = `\`openssl speed rsa2048\` ${crypto.openssl.signPerSecond} sign/s on one core ÷ 2 = ${crypto.roundTripLimit}/s`;
    rows.push(
      [
        'PaymentAction round trip (seal + open), 1 caller',
        `${crypto.gateway.callers1.perSecond}/s`,
        limit,
        `${crypto.gateway.callers1.ratio}x`,
      ],
      ['Round trips, 2 callers', `${crypto.gateway.callers2.perSecond}/s`, limit, `${crypto.gateway.callers2.ratio}x`],
      ['Round trips, 4 callers', `${crypto.gateway.callers4.perSecond}/s`, limit, `${crypto.gateway.callers4.ratio}x`],
      [
        "Node's raw `crypto.sign` (PS256), one core",
        `${crypto.nodeRawSign.perSecond}/s`,
        `OpenSSL ${crypto.openssl.signPerSecond} sign/s`,
        `${crypto.nodeRawSign.ratio}x`,
      ],
      [
        'jose 6 round trip, 1 / 2 callers (the reference it replaced)',
        `${crypto.joseReference.callers1.perSecond}/s, ${crypto.joseReference.callers2.perSecond}/s`,
        limit,
        `${crypto.joseReference.callers1.ratio}x, ${crypto.joseReference.callers2.ratio}x`,
      ],
    );
  }
  if (history) {
    rows.push([
      'History events per subscription-year',
      `${history.events} events`,
      `budget ${history.budget}`,
      `${history.ratio}x`,
    ]);
  }
  if (live) {
    const n = live.settings.subscriptions.toLocaleString('en-US');
    rows.push(
      [`${n} live subscriptions: start`, `${live.startSeconds} s (${live.createsPerSecond} creates/s)`, '–', '–'],
      [
        'Worker memory',
        `${live.workerRssMb} MB with ${live.cachedWorkflows} cached (${live.kbPerCachedWorkflow} KB each)`,
        `idle worker ${live.workerRssIdleMb} MB`,
        `${ratio(live.workerRssMb, live.workerRssIdleMb)}x`,
      ],
      [
        'Due day: one charge for every subscription',
        `${live.chargesPerSecond} charges/s, due → recorded p99 ${seconds(live.dueToRecordedP99Ms)}`,
        '–',
        '–',
      ],
    );
  }
  const header = ['Measurement', 'Result', 'Baseline (same run)', 'Ratio'];
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

const ratio = (value: number, baseline: number) => Math.round((value / baseline) * 100) / 100;
const seconds = (ms: number) => (ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`);

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2] ?? 'bench/results.json';
  process.stdout.write(`${renderBenchTable(JSON.parse(readFileSync(file, 'utf8')) as BenchResults)}\n`);
}
