// 10,000 live subscriptions on one box (issue 12): starts N paid monthly subscriptions against the Temporal
// dev server, PostgreSQL and the sandbox, each its own process (the chaos harness's engine, one worker), then
// lets one charge fall due for all of them on the same day with the test clock. Measures the time to start
// them, the worker's memory per cached workflow, and how fast the due day's charges are recorded.
// `npx tsx bench/live-subscriptions.ts [--subscriptions N] [--concurrency N] [--cache N] [--dir DIR] [--keep]`
// prints the result as JSON. Nothing here asserts a timing.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startChaosEngine } from '../scripts/chaos/engine.js';
import { apiClient } from '../scripts/chaos/http.js';
import { toCalendarDate, toEpochMs } from '../src/domain/calendar-date.js';
import { MAX_CACHED_WORKFLOWS_VARIABLE } from '../src/worker/create-worker.js';
import { statusCounts, type WaitOptions } from './live-database.js';
import { measureDueDay, type DueDayFigures } from './live-due-day.js';
import { cpuBetween, engineCpu, pidOf, processMemory, type EngineCpu } from './live-process-stats.js';
import { firstChargeDateAfter, startPaidSubscriptions, type StartFigures } from './live-start.js';

export interface LiveSubscriptionsOptions {
  /** Subscriptions to start (default 10,000). */
  subscriptions?: number;
  /** Creates in flight at once (default 16). */
  concurrency?: number;
  /** The worker's sticky cache size (default: the subscription count, so every workflow stays cached). */
  maxCachedWorkflows?: number;
  /** An empty folder for the engine's data and logs, left in place; without one a temporary folder is used. */
  dir?: string;
  /** Keeps the temporary folder (logs, data) instead of removing it. */
  keep?: boolean;
  log?: (line: string) => void;
}

/** The figures (units in the names) and the settings they were measured with. */
export interface LiveSubscriptionsResult extends StartFigures, DueDayFigures {
  benchmark: string;
  measuredAt: string;
  machine: { node: string; cpus: number; cpuModel: string };
  settings: {
    subscriptions: number;
    concurrency: number;
    workers: 1;
    maxCachedWorkflows: number;
    firstChargeDate: string;
    advancedTo: string;
  };
  workerRssIdleMb: number;
  /** With every subscription started and min(subscriptions, cache) workflows cached. */
  workerRssMb: number;
  cachedWorkflows: number;
  /** (workerRssMb − workerRssIdleMb) / cachedWorkflows: an upper bound, as all the worker's growth counts. */
  kbPerCachedWorkflow: number;
  workerRssAfterDueMb: number;
  workerPeakRssMb: number;
  /** CPU seconds each part used while the subscriptions started and on the due day (machineBusy: all CPUs). */
  cpuSeconds: { start: EngineCpu; dueDay: EngineCpu };
  /** Exits of the worker nobody asked for (0 unless something broke; its memory figures are then suspect). */
  workerRestarts: number;
  wallSeconds: number;
}

const HOUR = 3_600_000;
/** No progress for this long means the engine is stuck, not slow. */
const STALL_MS = 120_000;
/** Lets the worker finish what the last payments started before its memory is read. */
const SETTLE_MS = 10_000;

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function checkWhole(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be a whole number from ${min}`);
}

/** Runs the benchmark end to end and stops the engine; throws LiveBenchError when the engine got a charge wrong. */
export async function measureLiveSubscriptions(
  options: LiveSubscriptionsOptions = {},
): Promise<LiveSubscriptionsResult> {
  const n = options.subscriptions ?? 10_000;
  const concurrency = options.concurrency ?? 16;
  const cacheSize = options.maxCachedWorkflows ?? Math.max(2, n);
  checkWhole('subscriptions', n, 1);
  checkWhole('concurrency', concurrency, 1);
  checkWhole('maxCachedWorkflows', cacheSize, 2);
  const log = options.log ?? ((line: string) => console.error(`[live] ${line}`));
  const ownDir = options.dir === undefined;
  const dir = resolve(options.dir ?? mkdtempSync(join(tmpdir(), 'recur-live-')));
  mkdirSync(dir, { recursive: true });
  const began = Date.now();
  log(`${n} subscriptions, ${concurrency} at a time, worker cache ${cacheSize}; data in ${dir}`);
  const engine = await startChaosEngine(dir, {
    workers: 1,
    workerEnv: { [MAX_CACHED_WORKFLOWS_VARIABLE]: String(cacheSize) },
    sandboxStateFile: false,
  });
  const db = new pg.Pool({ connectionString: engine.databaseUrl, max: 2 });
  try {
    const workerPart = engine.workers[0];
    if (!workerPart) throw new TypeError('the engine has no worker');
    // Read each time: a worker that crashed was started again under another pid (counted in workerRestarts).
    const workerMemory = () => processMemory(pidOf(workerPart));
    const waiting: WaitOptions & { describeStatuses(): Promise<string> } = {
      stallMs: STALL_MS,
      log,
      describeStatuses: async () => JSON.stringify(await statusCounts(db, engine.merchantId)),
    };
    await wait(SETTLE_MS);
    const idle = workerMemory();
    log(`worker idle: ${idle.rssMb} MB`);

    const clock = await apiClient(engine.apiUrl, engine.apiKey)('GET', '/v1/test-clock');
    const firstChargeDate = firstChargeDateAfter(toCalendarDate(Date.parse(clock.body.now as string)));
    const cpuAtStart = engineCpu(engine, dir);
    const start = await startPaidSubscriptions(engine, db, {
      ...waiting,
      subscriptions: n,
      concurrency,
      firstChargeDate,
    });
    const cpuAtActive = engineCpu(engine, dir);
    await wait(SETTLE_MS);
    const cached = workerMemory();
    const cachedWorkflows = Math.min(n, cacheSize);
    log(`all active after ${start.startSeconds} s; worker ${cached.rssMb} MB`);

    const advancedTo = new Date(toEpochMs(firstChargeDate) + HOUR);
    log(`test clock to ${advancedTo.toISOString()}: every charge falls due`);
    const dueDay = await measureDueDay(db, {
      ...waiting,
      apiUrl: engine.apiUrl,
      apiKey: engine.apiKey,
      merchantId: engine.merchantId,
      subscriptions: n,
      to: advancedTo,
    });
    const cpuAfterDue = engineCpu(engine, dir);
    const afterDue = workerMemory();
    return {
      benchmark: 'N paid monthly subscriptions started, then one recurring charge due for all on the same day',
      measuredAt: new Date().toISOString(),
      machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' },
      settings: {
        subscriptions: n,
        concurrency,
        workers: 1,
        maxCachedWorkflows: cacheSize,
        firstChargeDate,
        advancedTo: advancedTo.toISOString(),
      },
      ...start,
      workerRssIdleMb: idle.rssMb,
      workerRssMb: cached.rssMb,
      cachedWorkflows,
      kbPerCachedWorkflow: Math.round(((cached.rssMb - idle.rssMb) * 1024) / cachedWorkflows),
      ...dueDay,
      workerRssAfterDueMb: afterDue.rssMb,
      workerPeakRssMb: afterDue.peakRssMb,
      cpuSeconds: { start: cpuBetween(cpuAtStart, cpuAtActive), dueDay: cpuBetween(cpuAtActive, cpuAfterDue) },
      workerRestarts: workerPart.crashes,
      wallSeconds: Math.round((Date.now() - began) / 1000),
    };
  } finally {
    await db.end().catch(() => undefined);
    await engine.stop();
    if (ownDir && !options.keep) rmSync(dir, { recursive: true, force: true });
    else log(`data and logs kept in ${dir}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      subscriptions: { type: 'string' },
      concurrency: { type: 'string' },
      cache: { type: 'string' },
      dir: { type: 'string' },
      keep: { type: 'boolean' },
    },
  });
  const count = (text: string | undefined) => (text === undefined ? undefined : Number(text));
  try {
    const result = await measureLiveSubscriptions({
      subscriptions: count(values.subscriptions),
      concurrency: count(values.concurrency),
      maxCachedWorkflows: count(values.cache),
      dir: values.dir,
      keep: values.keep,
    });
    console.log(JSON.stringify(result, null, 2));
  } catch (error) {
    // The engine got something wrong (or would not start): the message says what, a stack would bury it.
    console.error(`live-subscriptions: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
