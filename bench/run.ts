// `npm run bench`: the gateway's envelope throughput against OpenSSL and Node's raw signing (measured first,
// on a quiet machine), then latency of POST /v1/subscriptions on the local stack (Temporal dev server,
// embedded PostgreSQL, sandbox, worker, API), the call a merchant's checkout waits on. Figures go to
// bench/results.json; nothing here asserts a target, so a slow machine never fails a build.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { addDays, toCalendarDate } from '../src/domain/calendar-date.js';
import { freePort } from '../src/db/embedded-postgres.js';
import { startStack } from '../src/dev/stack.js';
import { measureCrypto } from './crypto.js';
import { summarize, type LatencySummary } from './latency.js';

const WARMUP = Number(process.env.BENCH_WARMUP ?? 20);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const OUTPUT = process.env.BENCH_OUTPUT ?? join('bench', 'results.json');

Runtime.install({ logger: new DefaultLogger('WARN') });
const crypto = await measureCrypto();

const dataDir = mkdtempSync(join(tmpdir(), 'recur-bench-'));
chmodSync(dataDir, 0o755); // embedded-postgres runs as an unprivileged user when we are root
const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH };
const stack = await startStack({
  dataDir,
  apiPort: await freePort(),
  sandboxPort: await freePort(),
  temporalPort: await freePort(),
  temporalUiPort: await freePort(),
  env,
  sandboxRealTime: false,
  log: () => {},
});

let sequence = 0;
/** One POST /v1/subscriptions; returns its wall time in milliseconds. */
async function createSubscription(): Promise<number> {
  const n = ++sequence;
  const body = JSON.stringify({
    customerId: `cust_bench_${n}`,
    description: 'Bench plan',
    plan: {
      amount: '29.90',
      currency: 'SGD',
      interval: { days: 30 },
      recurringCount: 11,
      firstChargeDate: addDays(toCalendarDate(Date.now()), 30),
    },
  });
  const started = process.hrtime.bigint();
  const response = await fetch(`${stack.apiUrl}/v1/subscriptions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${stack.apiKey}`,
      'content-type': 'application/json',
      'idempotency-key': `bench-${n}`,
    },
    body,
  });
  const text = await response.text();
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (response.status !== 201) throw new Error(`POST /v1/subscriptions answered ${response.status}: ${text}`);
  return elapsed;
}

async function run(count: number, concurrency: number): Promise<{ samples: number[]; wallMs: number }> {
  const samples: number[] = [];
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next += 1;
        samples.push(await createSubscription());
      }
    }),
  );
  return { samples, wallMs: Date.now() - started };
}

try {
  await run(WARMUP, 1);
  const sequential = await run(REQUESTS, 1);
  const concurrent = await run(REQUESTS, CONCURRENCY);
  const describe = (
    label: string,
    r: { samples: number[]; wallMs: number },
    concurrency: number,
  ): LatencySummary & Record<string, unknown> => ({
    label,
    concurrency,
    ...summarize(r.samples),
    throughputPerSecond: Math.round((r.samples.length / r.wallMs) * 1000 * 10) / 10,
  });
  const results = {
    benchmark: 'POST /v1/subscriptions (update-with-start, 2C2P payment token at the sandbox, projection row saved)',
    measuredAt: new Date().toISOString(),
    machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' },
    warmupRequests: WARMUP,
    runs: [describe('sequential', sequential, 1), describe('concurrent', concurrent, CONCURRENCY)],
    crypto,
  };
  writeFileSync(OUTPUT, `${JSON.stringify(results, null, 2)}\n`);
  for (const r of results.runs) {
    console.log(
      `${String(r.label).padEnd(11)} n=${r.count} c=${r.concurrency}  p50 ${r.p50Ms} ms  p99 ${r.p99Ms} ms  max ${r.maxMs} ms  ${r.throughputPerSecond}/s`,
    );
  }
  const trip = (callers: 'callers1' | 'callers2' | 'callers4') =>
    `${crypto.gateway[callers].perSecond}/s (${crypto.gateway[callers].ratio}x; jose ${crypto.joseReference[callers].ratio}x)`;
  console.log(
    `crypto      OpenSSL ${crypto.openssl.signPerSecond} sign/s → limit ${crypto.roundTripLimit} round trips/s; ` +
      `raw node sign ${crypto.nodeRawSign.ratio}x; round trips 1 caller ${trip('callers1')}, 2 ${trip('callers2')}, 4 ${trip('callers4')}`,
  );
  console.log(`written to ${OUTPUT}`);
} finally {
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
