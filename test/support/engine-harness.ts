// The real engine for workflow tests: time-skipping Temporal, PostgreSQL, the 2C2P sandbox over HTTP,
// the real activities and gateway client, and a receiver that turns the sandbox's backend
// notifications into workflow signals. The sandbox clock follows the Temporal clock.
import { createPublicKey, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import type pg from 'pg';
import { createActivities } from '../../src/activities/create-activities.js';
import { createPool, findSubscriptionForNotification, migrate } from '../../src/db/index.js';
import { addDays, toCalendarDate } from '../../src/domain/calendar-date.js';
import { createGatewayClient } from '../../src/gateway/client.js';
import type { RecurMetrics } from '../../src/metrics/recur-metrics.js';
import { verifyHs256Payload } from '../../src/gateway/envelopes/hs256.js';
import { generateKeyPair, importPrivateKey, importPublicKey } from '../../src/gateway/keys.js';
import { createSandbox, type Sandbox } from '../../src/sandbox/index.js';
import type { RecurringInvoiceNumbering } from '../../src/sandbox/types.js';
import { createSubscriptionWorker } from '../../src/worker/create-worker.js';
import { buildWorkflowBundle } from '../../src/worker/workflow-bundle.js';
import {
  checkoutUpdate,
  paymentNotificationSignal,
  SEARCH_ATTRIBUTES,
  subscriptionWorkflowId,
  type CheckoutResult,
  type PaymentNotification,
  type SubscriptionInput,
} from '../../src/workflows/definitions.js';
import { toPaymentNotification } from '../../src/workflows/payment-notification.js';
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { subscriptionWorkflow } from '../../src/workflows/subscription.js';
import { startTestDatabase, type TestDatabase } from './postgres.js';
import type { ChildWorkerSettings } from './worker-process.js';
import { startTimeSkippingEnvironment } from './temporal-env.js';
import { boundedStart } from '../../src/startup/bounded-start.js';
import { StopStack } from '../../src/startup/stop-stack.js';

export const MERCHANT_ID = 'JT01';
export const TASK_QUEUE = 'recur-test';
const DAY = 86_400_000;

let bundle: Promise<{ code: string }> | undefined;

export interface EngineHarness {
  env: TestWorkflowEnvironment;
  sandbox: Sandbox;
  pool: pg.Pool;
  worker: Worker;
  /** The workflow bundle the worker runs (built once per test process): replay a run's history against it. */
  workflowBundle: { code: string };
  /** Notifications the receiver accepted and signalled. */
  received: PaymentNotification[];
  /** Starts a subscription with update-with-start and returns the payment page. */
  start(
    input: SubscriptionInput,
  ): Promise<{ handle: WorkflowHandle<typeof subscriptionWorkflow>; checkout: CheckoutResult }>;
  /** A subscription input with sensible defaults, starting today on the Temporal clock. */
  input(overrides?: Partial<SubscriptionInput>): Promise<SubscriptionInput>;
  /** Moves both clocks forward to `epochMs` (the sandbox charges and notifies, then Temporal skips). */
  advanceTo(epochMs: number): Promise<void>;
  now(): Promise<number>;
  /** Restarts the in-process worker, or starts it when the harness began without one. */
  restartWorker(): Promise<void>;
  /** What a worker in another process needs (test/support/worker-process.ts). */
  childWorkerSettings: ChildWorkerSettings;
  stop(): Promise<void>;
}

interface HarnessOptions {
  /** How the sandbox numbers recurring charges (src/sandbox/types.ts). */
  recurringInvoices?: RecurringInvoiceNumbering;
  /** The zone the client writes and the sandbox reads local date-times in (default Asia/Bangkok, as 2C2P). */
  timeZone?: string;
  settlementDelayMs?: number;
  inProcessWorker?: boolean;
  /** Where the activities count gateway calls, charges, refunds and dunning outcomes; nowhere when absent. */
  metrics?: RecurMetrics;
  /** Activities that wait this many ms before they run, by name: to finish one after another that began later. */
  slowActivities?: Record<string, number>;
}

/** Starts every part; when one fails, the parts already started are stopped before the error is thrown. */
export async function startEngineHarness(options: HarnessOptions = {}): Promise<EngineHarness> {
  return StopStack.startAll((started) => buildHarness(started, options));
}

async function buildHarness(started: StopStack, options: HarnessOptions): Promise<EngineHarness> {
  const env = await startTimeSkippingEnvironment();
  started.push('the Temporal test server', () => env.teardown());
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTES.map((k) => [k.name, searchAttributeEnum(k.type)])),
  });
  const db: TestDatabase = await startTestDatabase();
  started.push('PostgreSQL', () => db.stop());
  const pool = createPool(db.url);
  started.push('the database pool', () => pool.end());
  await migrate(pool);

  const merchantKeys = generateKeyPair(2048);
  const secretKey = randomBytes(32).toString('hex');
  const sandbox = createSandbox({
    merchants: [
      {
        merchantId: MERCHANT_ID,
        secretKey,
        merchantPublicKey: createPublicKey(merchantKeys.publicKeyPem),
        currency: 'SGD',
      },
    ],
    startAt: new Date(await env.currentTimeMs()),
    settlementDelayMs: options.settlementDelayMs ?? DAY,
    recurringInvoices: options.recurringInvoices,
    timeZone: options.timeZone,
  });
  const { baseUrl } = await boundedStart(() => sandbox.listen(0, '127.0.0.1'), {
    part: 'the 2C2P sandbox',
    hint: 'check that this process may listen on 127.0.0.1',
    abort: () => sandbox.close(),
  });
  started.push('the 2C2P sandbox', () => sandbox.close());

  const received: PaymentNotification[] = [];
  const receiver = await startReceiver(async (token) => {
    const claims = await verifyHs256Payload(token, new TextEncoder().encode(secretKey));
    const notification = toPaymentNotification(claims);
    const subscriptionId = (await findSubscriptionForNotification(pool, MERCHANT_ID, notification))?.id;
    if (!subscriptionId) return;
    received.push(notification);
    await env.client.workflow
      .getHandle(subscriptionWorkflowId(MERCHANT_ID, subscriptionId))
      .signal(paymentNotificationSignal, notification);
  });
  started.push('the notification receiver', () => new Promise<void>((resolve) => receiver.close(() => resolve())));
  const backendReturnUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notify`;

  const keys = {
    merchantPrivateKey: importPrivateKey(merchantKeys.privateKeyPem),
    merchantPublicKey: importPublicKey(merchantKeys.publicKeyPem),
    gatewayPublicKey: importPublicKey(sandbox.publicKeyPem),
    secretKey: new TextEncoder().encode(secretKey),
  };
  const activities = slowedDown(
    options.slowActivities ?? {},
    createActivities({
      pool,
      metrics: options.metrics,
      gatewayFor: (merchantId, observer) =>
        createGatewayClient({
          merchantId,
          keys,
          endpoints: { paymentActionBase: `${baseUrl}/2C2PFrontend`, pgwBase: baseUrl },
          timeoutMs: 5_000,
          timeZone: options.timeZone,
          observer,
        }),
    }),
  );
  bundle ??= buildWorkflowBundle();
  const workflowBundle = await bundle;
  const newWorker = () =>
    createSubscriptionWorker({ connection: env.nativeConnection, taskQueue: TASK_QUEUE, activities, workflowBundle });
  let worker: Worker | undefined = options.inProcessWorker === false ? undefined : await newWorker();
  let running: Promise<void> = worker?.run() ?? Promise.resolve();
  started.push('the worker', async () => {
    worker?.shutdown();
    await running.catch(() => {});
  });

  const harness: EngineHarness = {
    env,
    sandbox,
    pool,
    workflowBundle,
    get worker() {
      if (!worker) throw new Error('no in-process worker');
      return worker;
    },
    childWorkerSettings: {
      address: env.address,
      taskQueue: TASK_QUEUE,
      databaseUrl: db.url,
      baseUrl,
      merchantPrivateKeyPem: merchantKeys.privateKeyPem,
      merchantPublicKeyPem: merchantKeys.publicKeyPem,
      gatewayPublicKeyPem: sandbox.publicKeyPem,
      secretKey,
      timeoutMs: 30_000,
    },
    received,
    async start(input) {
      const operation = new WithStartWorkflowOperation<typeof subscriptionWorkflow>('subscriptionWorkflow', {
        workflowId: subscriptionWorkflowId(input.merchantId, input.subscriptionId),
        taskQueue: TASK_QUEUE,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      const checkout = await env.client.workflow.executeUpdateWithStart(checkoutUpdate, {
        startWorkflowOperation: operation,
      });
      return { handle: await operation.workflowHandle(), checkout };
    },
    async input(overrides = {}) {
      // A test clock moved ahead (the sandbox's clock past Temporal's) is where a new subscription starts.
      const temporalNow = await env.currentTimeMs();
      const ahead = harness.sandbox.clock.now().getTime() - temporalNow;
      const clock = ahead > 60_000 ? { clockOffsetMs: ahead } : {};
      const now = temporalNow + (clock.clockOffsetMs ?? 0);
      const today = toCalendarDate(now);
      return {
        ...clock,
        merchantId: MERCHANT_ID,
        subscriptionId: `sub-${randomBytes(4).toString('hex')}`,
        customerId: 'cust-1',
        description: 'Monthly plan',
        plan: {
          amountMinor: 3000,
          currency: 'SGD',
          interval: { kind: 'day-of-month', day: Number(addDays(today, 30).slice(8)) },
          recurringCount: 11,
          firstChargeDate: addDays(today, 30),
          allowAccumulate: false,
          maxAccumulateMinor: 0,
        },
        dunning: { windowDays: 7, reminders: 2 },
        backendReturnUrl,
        requestedAt: new Date(now).toISOString(),
        ...overrides,
      };
    },
    async advanceTo(epochMs) {
      // Temporal to a minute before, then the sandbox (whose notifications reach the workflow before its
      // own grace timers fire, as in production), then Temporal to the same instant: the clocks never
      // drift apart by more than that minute.
      // Awaiting a result lets the time-skipping server jump ahead (years, once nothing is left to run):
      // the sandbox first catches up with Temporal, so the two clocks start this step together.
      const start = await env.currentTimeMs();
      if (start > sandbox.clock.now().getTime()) await sandbox.clock.advanceTo(new Date(start));
      const lead = epochMs - 60_000;
      const before = await env.currentTimeMs();
      if (lead > before) await env.sleep(lead - before);
      if (epochMs > sandbox.clock.now().getTime()) await sandbox.clock.advanceTo(new Date(epochMs));
      const now = await env.currentTimeMs();
      if (epochMs > now) await env.sleep(epochMs - now);
    },
    now: () => env.currentTimeMs(),
    async restartWorker() {
      worker?.shutdown();
      await running;
      worker = await newWorker();
      running = worker.run();
    },
    async stop() {
      worker?.shutdown();
      await running.catch(() => {});
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
      await sandbox.close();
      await pool.end();
      await env.teardown();
      await db.stop();
    },
  };
  return harness;
}

function startReceiver(onToken: (token: string) => Promise<void>): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { payload?: string };
      onToken(body.payload ?? '')
        .then(() => res.writeHead(200).end('OK'))
        .catch((error: unknown) => res.writeHead(400).end(String(error)));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function searchAttributeEnum(type: string): number {
  // temporal.api.enums.v1.IndexedValueType
  const values: Record<string, number> = {
    TEXT: 1,
    KEYWORD: 2,
    INT: 3,
    DOUBLE: 4,
    BOOL: 5,
    DATETIME: 6,
    KEYWORD_LIST: 7,
  };
  return values[type] ?? 2;
}

/** The activities, with those named in `delays` waiting that long before they run. */
function slowedDown<T extends object>(delays: Record<string, number>, activities: T): T {
  const slowed = { ...activities } as Record<string, unknown>;
  for (const [name, ms] of Object.entries(delays)) {
    const run = slowed[name];
    if (typeof run !== 'function') throw new Error(`no activity named ${name}`);
    slowed[name] = async (...args: unknown[]) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return (run as (...a: unknown[]) => unknown)(...args);
    };
  }
  return slowed as T;
}
