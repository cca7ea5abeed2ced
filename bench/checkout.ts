// Checkout latency: POST /v1/subscriptions on the local stack (the API's update-with-start, the 2C2P
// payment token at the sandbox, the projection row), beside bare Temporal workflows on the same dev
// server answering the same update-with-start: with the same two activities (local, as the engine runs
// them, and regular, as it did before), and with none (the floor). Nothing here asserts a target.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { addDays, toCalendarDate } from '../src/domain/calendar-date.js';
import { quietLogger } from '../src/worker/workflow-bundle.js';
import * as activities from './baseline/activities.js';
import { checkoutUpdate } from './baseline/workflows.js';
import { summarize, type LatencySummary } from './latency.js';

const BASELINE_TASK_QUEUE = 'recur-bench-baseline';

export interface LatencyRun extends LatencySummary {
  concurrency: number;
  throughputPerSecond: number;
}

export interface CheckoutFigures {
  description: string;
  sequential: LatencyRun;
  concurrent: LatencyRun;
}

export interface CheckoutBenchResult {
  requests: number;
  warmupRequests: number;
  concurrency: number;
  engine: CheckoutFigures;
  baselines: { bareLocalActivities: CheckoutFigures; bareRegularActivities: CheckoutFigures; floor: CheckoutFigures };
  /** Engine ÷ baseline: latency (p50, p99 sequential) and throughput at `concurrency` in flight. */
  ratios: Record<'toFloor' | 'toBareLocalActivities', { p50: number; p99: number; concurrentThroughput: number }>;
}

export interface CheckoutBenchOptions {
  apiUrl: string;
  apiKey: string;
  temporalAddress: string;
  requests?: number;
  warmup?: number;
  concurrency?: number;
}

type Request = () => Promise<void>;

export async function measureCheckout(options: CheckoutBenchOptions): Promise<CheckoutBenchResult> {
  const requests = options.requests ?? 300;
  const warmup = options.warmup ?? 20;
  const concurrency = options.concurrency ?? 8;
  const connection = await Connection.connect({ address: options.temporalAddress });
  const client = new Client({ connection });
  const worker = await Worker.create({
    connection: await NativeConnection.connect({ address: options.temporalAddress }),
    taskQueue: BASELINE_TASK_QUEUE,
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./baseline/workflows.ts', import.meta.url)),
      logger: quietLogger,
    }),
    activities,
  });
  const running = worker.run();
  const measure = async (description: string, request: Request): Promise<CheckoutFigures> => {
    await runRequests(request, warmup, 1);
    return {
      description,
      sequential: await runRequests(request, requests, 1),
      concurrent: await runRequests(request, requests, concurrency),
    };
  };
  try {
    const engine = await measure(
      'POST /v1/subscriptions over HTTP: update-with-start, payment token at the sandbox, projection row',
      () => postSubscription(options),
    );
    const bare = (workflowType: string, args: unknown[]) => () => bareCheckout(client, workflowType, args);
    const bareLocalActivities = await measure(
      'bare workflow, update-with-start answered after two no-op local activities',
      bare('bareCheckoutWorkflow', ['local']),
    );
    const bareRegularActivities = await measure(
      'bare workflow, update-with-start answered after two no-op regular activities',
      bare('bareCheckoutWorkflow', ['regular']),
    );
    const floor = await measure(
      'bare workflow, update-with-start answered at once (no activity)',
      bare('floorWorkflow', []),
    );
    const ratioTo = (baseline: CheckoutFigures) => ({
      p50: ratio(engine.sequential.p50Ms, baseline.sequential.p50Ms),
      p99: ratio(engine.sequential.p99Ms, baseline.sequential.p99Ms),
      concurrentThroughput: ratio(engine.concurrent.throughputPerSecond, baseline.concurrent.throughputPerSecond),
    });
    return {
      requests,
      warmupRequests: warmup,
      concurrency,
      engine,
      baselines: { bareLocalActivities, bareRegularActivities, floor },
      ratios: { toFloor: ratioTo(floor), toBareLocalActivities: ratioTo(bareLocalActivities) },
    };
  } finally {
    worker.shutdown();
    await running;
    await connection.close();
  }
}

let sequence = 0;
const runTag = randomUUID().slice(0, 8);

async function postSubscription(options: CheckoutBenchOptions): Promise<void> {
  const n = ++sequence;
  const response = await fetch(`${options.apiUrl}/v1/subscriptions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${options.apiKey}`,
      'content-type': 'application/json',
      'idempotency-key': `bench-${runTag}-${n}`,
    },
    body: JSON.stringify({
      customerId: `cust_bench_${n}`,
      description: 'Bench plan',
      plan: {
        amount: '29.90',
        currency: 'SGD',
        interval: { days: 30 },
        recurringCount: 11,
        firstChargeDate: addDays(toCalendarDate(Date.now()), 30),
      },
    }),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`POST /v1/subscriptions answered ${response.status}: ${text}`);
}

async function bareCheckout(client: Client, workflowType: string, args: unknown[]): Promise<void> {
  const operation = new WithStartWorkflowOperation(workflowType, {
    workflowId: `bench-${runTag}-${++sequence}`,
    taskQueue: BASELINE_TASK_QUEUE,
    args,
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  await client.workflow.executeUpdateWithStart(checkoutUpdate, { startWorkflowOperation: operation });
}

/** `count` requests, `concurrency` at a time; each sample is one request's wall time. */
async function runRequests(request: Request, count: number, concurrency: number): Promise<LatencyRun> {
  const samples: number[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next += 1;
        const t0 = process.hrtime.bigint();
        await request();
        samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  return {
    concurrency,
    ...summarize(samples),
    throughputPerSecond: Math.round((samples.length / wallMs) * 1000 * 10) / 10,
  };
}

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
