// Checkout latency: POST /v1/subscriptions on the local stack (the API's update-with-start, the 2C2P
// payment token at the sandbox, the projection row), beside bare Temporal workflows on the same dev
// server answering the same update-with-start: with the same two activities (local, as the engine runs
// them, and regular, as it did before), and with none (the floor). Every client runs in a process of its
// own (checkout-load.ts), as a merchant's does. Nothing here asserts a target.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { quietLogger } from '../src/worker/workflow-bundle.js';
import * as activities from './baseline/activities.js';
import type { LoadPlan, LoadResult, LoadTarget } from './checkout-load.js';
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
  /** The engine as the bare baselines run: no webhook endpoint, so nothing but the checkout runs. */
  engine: CheckoutFigures;
  /** The same with one webhook endpoint taking every event: a delivery per checkout shares the machine. */
  engineWithWebhookEndpoint: CheckoutFigures;
  baselines: { bareLocalActivities: CheckoutFigures; bareRegularActivities: CheckoutFigures; floor: CheckoutFigures };
  /** Engine ÷ baseline: latency (p50, p99 sequential) and throughput at `concurrency` in flight. */
  ratios: Record<'toFloor' | 'toBareLocalActivities', { p50: number; p99: number; concurrentThroughput: number }>;
}

export interface CheckoutBenchOptions {
  apiUrl: string;
  apiKey: string;
  temporalAddress: string;
  /** Gives the merchant a webhook endpoint taking every event (the engine is measured without one, then with). */
  addWebhookEndpoint: () => Promise<void>;
  requests?: number;
  warmup?: number;
  concurrency?: number;
}

export async function measureCheckout(options: CheckoutBenchOptions): Promise<CheckoutBenchResult> {
  const requests = options.requests ?? 300;
  const warmup = options.warmup ?? 20;
  const concurrency = options.concurrency ?? 8;
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
  const measure = async (description: string, target: LoadTarget): Promise<CheckoutFigures> => {
    const [sequential, concurrent] = await runLoad({
      target,
      warmup,
      runs: [
        { count: requests, concurrency: 1 },
        { count: requests, concurrency },
      ],
    });
    if (!sequential || !concurrent) throw new Error('the load process answered without its runs');
    return { description, sequential, concurrent };
  };
  try {
    const api: LoadTarget = { kind: 'api', apiUrl: options.apiUrl, apiKey: options.apiKey };
    const engine = await measure(
      'POST /v1/subscriptions over HTTP: update-with-start, payment token at the sandbox, projection row',
      api,
    );
    await options.addWebhookEndpoint();
    const engineWithWebhookEndpoint = await measure(
      'POST /v1/subscriptions over HTTP, with a webhook endpoint taking every event (one delivery per checkout)',
      api,
    );
    const bare = (workflowType: string, args: unknown[]): LoadTarget => ({
      kind: 'bare',
      temporalAddress: options.temporalAddress,
      taskQueue: BASELINE_TASK_QUEUE,
      workflowType,
      args,
    });
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
      engineWithWebhookEndpoint,
      baselines: { bareLocalActivities, bareRegularActivities, floor },
      ratios: { toFloor: ratioTo(floor), toBareLocalActivities: ratioTo(bareLocalActivities) },
    };
  } finally {
    worker.shutdown();
    await running;
  }
}

/** Runs the plan's requests from a child process; one latency summary per run. */
async function runLoad(plan: LoadPlan): Promise<LatencyRun[]> {
  const script = fileURLToPath(new URL('./checkout-load.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, JSON.stringify(plan)], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const result = JSON.parse(stdout) as LoadResult;
  return result.runs.map(({ concurrency, samplesMs, wallMs }) => ({
    concurrency,
    ...summarize(samplesMs),
    throughputPerSecond: Math.round((samplesMs.length / wallMs) * 1000 * 10) / 10,
  }));
}

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
