// The checkout benchmark's clients, in a process of their own as a merchant's are: their wall times then hold
// the request and its answer, not waits for the engine's own work in a shared event loop. Run by checkout.ts
// with one JSON argument (a LoadPlan); prints one JSON line (a LoadResult).
import { randomUUID } from 'node:crypto';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { addDays, toCalendarDate } from '../src/domain/calendar-date.js';
import { checkoutUpdate } from './baseline/workflows.js';

/** What to send: POST /v1/subscriptions to the API, or the bare update-with-start to Temporal. */
export type LoadTarget =
  | { kind: 'api'; apiUrl: string; apiKey: string }
  | { kind: 'bare'; temporalAddress: string; taskQueue: string; workflowType: string; args: unknown[] };

export interface LoadPlan {
  target: LoadTarget;
  /** Requests whose times are dropped (connections, caches), sent one at a time first. */
  warmup: number;
  /** Measured runs, in order: each sends `count` requests, `concurrency` at a time. */
  runs: Array<{ count: number; concurrency: number }>;
}

export interface LoadResult {
  runs: Array<{ concurrency: number; samplesMs: number[]; wallMs: number }>;
}

type Request = () => Promise<void>;

async function main(plan: LoadPlan): Promise<LoadResult> {
  const tag = randomUUID().slice(0, 8);
  let sequence = 0;
  const connection =
    plan.target.kind === 'bare' ? await Connection.connect({ address: plan.target.temporalAddress }) : undefined;
  const request = requestFor(plan.target, () => `bench-${tag}-${++sequence}`, connection);
  try {
    for (let i = 0; i < plan.warmup; i += 1) await request();
    const runs: LoadResult['runs'] = [];
    for (const run of plan.runs)
      runs.push({ concurrency: run.concurrency, ...(await timed(request, run.count, run.concurrency)) });
    return { runs };
  } finally {
    await connection?.close();
  }
}

function requestFor(target: LoadTarget, nextId: () => string, connection: Connection | undefined): Request {
  if (target.kind === 'api') return () => postSubscription(target.apiUrl, target.apiKey, nextId());
  const client = new Client({ connection });
  return async () => {
    const operation = new WithStartWorkflowOperation(target.workflowType, {
      workflowId: nextId(),
      taskQueue: target.taskQueue,
      args: target.args,
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    await client.workflow.executeUpdateWithStart(checkoutUpdate, { startWorkflowOperation: operation });
  };
}

async function postSubscription(apiUrl: string, apiKey: string, id: string): Promise<void> {
  const response = await fetch(`${apiUrl}/v1/subscriptions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', 'idempotency-key': id },
    body: JSON.stringify({
      customerId: `cust_${id}`,
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

/** `count` requests, `concurrency` at a time; each sample is one request's wall time. */
async function timed(
  request: Request,
  count: number,
  concurrency: number,
): Promise<{ samplesMs: number[]; wallMs: number }> {
  const samplesMs: number[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next += 1;
        const t0 = process.hrtime.bigint();
        await request();
        samplesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  return { samplesMs, wallMs: Number(process.hrtime.bigint() - started) / 1e6 };
}

process.stdout.write(`${JSON.stringify(await main(JSON.parse(process.argv[2] ?? '{}') as LoadPlan))}\n`);
