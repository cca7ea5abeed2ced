// The API under test, in-process, against a real Temporal dev server and a real PostgreSQL, with the fake
// subscription workflow standing in for the engine. One harness per test file.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { MerchantBalance } from '../../../src/api/deps.js';
import { buildApiServer } from '../../../src/api/server.js';
import { createApiKey, createPool, migrate } from '../../../src/db/index.js';
import { SEARCH_ATTRIBUTES, stateQuery, subscriptionWorkflowId } from '../../../src/workflows/definitions.js';
import { createFakeSubscriptionActivities } from '../../fixtures/workflows/fake-subscription-activities.js';
import { startTestDatabase, type TestDatabase } from '../../support/postgres.js';
import { startLocalEnvironment } from '../../support/temporal-env.js';
import { StopStack } from '../../../src/startup/stop-stack.js';

const workflowsPath = fileURLToPath(new URL('../../fixtures/workflows/fake-subscription.ts', import.meta.url));

// Worker lifecycle lines at INFO would bury the test report; warnings and errors still show.
Runtime.install({ logger: new DefaultLogger('WARN') });

/** A merchant with an API key and a notification secret. */
export interface TestMerchant {
  id: string;
  key: string;
  secret: string;
}

/** An HTTP answer, its body parsed when it is JSON. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: any;
}

export interface ApiHarness {
  app: FastifyInstance;
  client: Client;
  pool: pg.Pool;
  merchantA: TestMerchant;
  merchantB: TestMerchant;
  /** Balances the injected balance inquiry answers with, by merchant. */
  balances: Map<string, MerchantBalance | Error>;
  /** Sends a request; `key` (an API key) becomes the bearer token. */
  request(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    options?: { key?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string },
  ): Promise<Answer>;
  /** Row counts of the tables a request could change. */
  counts(): Promise<Record<string, number>>;
  /** Waits until the workflow's first projection write of a subscription has landed. */
  waitForRow(subscriptionId: string): Promise<void>;
  /** Waits until the projection has caught up with the running workflow's state (same version). */
  settle(merchantId: string, subscriptionId: string): Promise<void>;
  /** Settles every stored subscription whose workflow still runs, so row counts stop moving. */
  settleAll(): Promise<void>;
  /** Whether a workflow exists for the merchant's subscription id. */
  workflowExists(merchantId: string, subscriptionId: string): Promise<boolean>;
  stop(): Promise<void>;
}

const TABLES = ['subscriptions', 'charges', 'refunds', 'notifications', 'idempotency_keys', 'gateway_exchanges'];

async function merchant(pool: pg.Pool, id: string): Promise<TestMerchant> {
  const { key } = await createApiKey(pool, id, { mode: 'test' });
  return { id, key, secret: randomBytes(32).toString('hex') };
}

/** Starts PostgreSQL (migrated), the Temporal dev server, a worker running the fake workflow, and the API. */
export async function startApiHarness(): Promise<ApiHarness> {
  // When a part fails to start, the ones already started are stopped before the error is thrown.
  return StopStack.startAll(buildHarness);
}

async function buildHarness(started: StopStack): Promise<ApiHarness> {
  const db: TestDatabase = await startTestDatabase();
  started.push('PostgreSQL', () => db.stop());
  let stopping = false;
  // PostgreSQL stopping under an idle connection during teardown is expected; before that it is a real warning.
  const pool = createPool(db.url, {
    max: 5,
    onError: (error) => stopping || process.emitWarning(`idle PostgreSQL connection failed: ${error.message}`),
  });
  started.push('the database pool', () => {
    stopping = true;
    return pool.end();
  });
  await migrate(pool);
  const env = await startLocalEnvironment({ searchAttributes: SEARCH_ATTRIBUTES });
  started.push('the Temporal dev server', () => env.teardown());
  const taskQueue = `api-test-${randomBytes(4).toString('hex')}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath,
    activities: createFakeSubscriptionActivities(pool),
  });
  const running = worker.run();
  started.push('the worker', async () => {
    worker.shutdown();
    await running.catch(() => {});
  });
  const merchantA = await merchant(pool, 'MERCHANTA01');
  const merchantB = await merchant(pool, 'MERCHANTB02');
  const secrets = new Map([merchantA, merchantB].map((m) => [m.id, new TextEncoder().encode(m.secret)]));
  const balances = new Map<string, MerchantBalance | Error>();
  const app = buildApiServer({
    temporal: env.client,
    taskQueue,
    pool,
    publicBaseUrl: 'http://127.0.0.1:3000',
    notificationMerchant: async (merchantId) => {
      const secretKey = secrets.get(merchantId);
      return secretKey && { merchantId, secretKey };
    },
    balanceInquiry: async (merchantId) => {
      const balance = balances.get(merchantId);
      if (balance instanceof Error) throw balance;
      return balance;
    },
  });
  await app.ready();

  const harness: ApiHarness = {
    app,
    client: env.client,
    pool,
    merchantA,
    merchantB,
    balances,
    async request(method, url, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
      let payload: string | undefined = options.rawBody;
      if (options.body !== undefined) {
        payload = JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      const response = await app.inject({ method, url, headers, payload });
      const type = String(response.headers['content-type'] ?? '');
      const body = type.includes('json') && response.body ? JSON.parse(response.body) : response.body;
      return { status: response.statusCode, headers: response.headers, body };
    },
    async counts() {
      const entries = await Promise.all(
        TABLES.map(async (t) => [t, Number((await pool.query(`SELECT count(*) AS n FROM ${t}`)).rows[0].n)] as const),
      );
      return Object.fromEntries(entries);
    },
    async waitForRow(subscriptionId) {
      for (let i = 0; i < 200; i += 1) {
        if ((await pool.query('SELECT 1 FROM subscriptions WHERE id = $1', [subscriptionId])).rowCount) return;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`no subscriptions row for ${subscriptionId}`);
    },
    async settle(merchantId, subscriptionId) {
      const handle = env.client.workflow.getHandle(subscriptionWorkflowId(merchantId, subscriptionId));
      for (let i = 0; i < 200; i += 1) {
        const [{ version }, { rows }] = await Promise.all([
          handle.query(stateQuery),
          pool.query<{ state_version: string }>('SELECT state_version FROM subscriptions WHERE id = $1', [
            subscriptionId,
          ]),
        ]);
        if (rows[0] && Number(rows[0].state_version) === version) return;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`the projection of ${subscriptionId} never caught up`);
    },
    async settleAll() {
      const { rows } = await pool.query<{ id: string; merchant_id: string }>(
        'SELECT id, merchant_id FROM subscriptions',
      );
      for (const row of rows) {
        const handle = env.client.workflow.getHandle(subscriptionWorkflowId(row.merchant_id, row.id));
        const { status } = await handle.describe();
        if (status.name === 'RUNNING') await harness.settle(row.merchant_id, row.id);
        // A closed fake workflow wrote its last state before completing.
      }
    },
    async workflowExists(merchantId, subscriptionId) {
      try {
        await env.client.workflow.getHandle(subscriptionWorkflowId(merchantId, subscriptionId)).describe();
        return true;
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return false;
        throw error;
      }
    },
    async stop() {
      stopping = true;
      await app.close();
      worker.shutdown();
      await running.catch(() => {});
      await env.teardown();
      await pool.end();
      await db.stop();
    },
  };
  return harness;
}
