// Two merchants in one deployment, for the isolation tests: PostgreSQL, the Temporal dev server, one 2C2P sandbox
// (over HTTP) that knows both merchants with their own keys and secrets, the real worker and the real API on a
// port, both taking each merchant's credentials from PostgreSQL through a CredentialsProvider.
import { createPublicKey, randomBytes } from 'node:crypto';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { createActivities } from '../../src/activities/create-activities.js';
import { buildApiServer } from '../../src/api/server.js';
import { CredentialsProvider } from '../../src/credentials/credentials-provider.js';
import { gatewayClients, type SharedGatewaySettings } from '../../src/credentials/gateway-clients.js';
import { masterKeyFromBytes, type MasterKey } from '../../src/credentials/master-key.js';
import { createPool, migrate } from '../../src/db/index.js';
import { freePort } from '../../src/db/embedded-postgres.js';
import { money } from '../../src/domain/money.js';
import { generateKeyPair } from '../../src/gateway/keys.js';
import { createSandbox, type Sandbox } from '../../src/sandbox/index.js';
import type { SandboxMerchant } from '../../src/sandbox/types.js';
import { StopStack } from '../../src/startup/stop-stack.js';
import { createSubscriptionWorker } from '../../src/worker/create-worker.js';
import { buildWorkflowBundle } from '../../src/worker/workflow-bundle.js';
import { SEARCH_ATTRIBUTES } from '../../src/workflows/definitions.js';
import { startTestDatabase } from './postgres.js';
import { startLocalEnvironment } from './temporal-env.js';

// Worker lifecycle lines at INFO would bury the test report; warnings and errors still show.
Runtime.install({ logger: new DefaultLogger('WARN') });

/** A merchant as onboarding sees it: Recur's id, 2C2P's id, its PEMs and secret, and its sandbox balance. */
export interface StackMerchant {
  id: string;
  gatewayMerchantId: string;
  privateKeyPem: string;
  publicKeyPem: string;
  secret: string;
  initialBalance: string;
  /** Issued through the admin API once the stack runs. */
  apiKey?: string;
}

export interface TwoMerchantStack {
  apiUrl: string;
  adminKey: string;
  sandbox: Sandbox;
  sandboxPublicKeyPem: string;
  pool: pg.Pool;
  app: FastifyInstance;
  masterKey: MasterKey;
  /** The worker's credentials cache; `skewMs` moves its clock so a test can let entries expire. */
  workerCredentials: CredentialsProvider;
  workerClock: { skewMs: number };
  merchantA: StackMerchant;
  merchantB: StackMerchant;
  /** Every route the API registered, as "METHOD /url". */
  routes: { method: string; url: string }[];
  stop(): Promise<void>;
}

function stackMerchant(id: string, gatewayMerchantId: string, initialBalance: string): StackMerchant {
  const pair = generateKeyPair();
  return {
    id,
    gatewayMerchantId,
    privateKeyPem: pair.privateKeyPem,
    publicKeyPem: pair.publicKeyPem,
    secret: randomBytes(24).toString('hex'),
    initialBalance,
  };
}

/** The worker's cache lifetime in these tests: long enough never to expire by itself within a test. */
export const WORKER_CREDENTIALS_TTL_MS = 3_600_000;

/** Starts every part; when one fails, the parts already started are stopped before the error is thrown. */
export async function startTwoMerchantStack(): Promise<TwoMerchantStack> {
  return StopStack.startAll(build);
}

async function build(started: StopStack): Promise<TwoMerchantStack> {
  // A's 2C2P merchant id differs from Recur's; B's is the same, as with the TWOC2P_* shortcut.
  const merchantA = stackMerchant('SHOP_A', 'GWA000000000001', '1000.00');
  const merchantB = stackMerchant('SHOP_B', 'SHOPB', '2000.00');
  const db = await startTestDatabase();
  started.push('PostgreSQL', () => db.stop());
  let stopping = false;
  const pool = createPool(db.url, { max: 8, onError: (e) => stopping || process.emitWarning(e.message) });
  started.push('the database pool', () => {
    stopping = true;
    return pool.end();
  });
  await migrate(pool);
  const env = await startLocalEnvironment({ searchAttributes: SEARCH_ATTRIBUTES });
  started.push('the Temporal dev server', () => env.teardown());

  const apiPort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const sandboxMerchant = (m: StackMerchant): SandboxMerchant => ({
    merchantId: m.gatewayMerchantId,
    secretKey: m.secret,
    merchantPublicKey: createPublicKey(m.publicKeyPem),
    currency: 'SGD',
    initialBalance: money(Math.round(Number(m.initialBalance) * 100), 'SGD'),
  });
  const sandbox = createSandbox({ merchants: [sandboxMerchant(merchantA), sandboxMerchant(merchantB)] });
  const { baseUrl } = await sandbox.listen(0, '127.0.0.1');
  started.push('the 2C2P sandbox', () => sandbox.close());
  const shared: SharedGatewaySettings = {
    endpoints: { paymentActionBase: `${baseUrl}/2C2PFrontend`, pgwBase: baseUrl },
    timeoutMs: 10_000,
  };

  const masterKey = masterKeyFromBytes(randomBytes(32));
  const workerClock = { skewMs: 0 };
  const workerCredentials = new CredentialsProvider({
    db: pool,
    masterKey,
    ttlMs: WORKER_CREDENTIALS_TTL_MS,
    now: () => Date.now() + workerClock.skewMs,
  });
  const taskQueue = `merchants-${randomBytes(4).toString('hex')}`;
  const worker = await createSubscriptionWorker({
    connection: env.nativeConnection,
    taskQueue,
    activities: createActivities({ pool, gatewayFor: gatewayClients(workerCredentials, shared) }),
    workflowBundle: await buildWorkflowBundle(),
  });
  const running = worker.run();
  started.push('the worker', async () => {
    worker.shutdown();
    await running.catch(() => {});
  });

  const apiCredentials = new CredentialsProvider({ db: pool, masterKey });
  const apiGatewayFor = gatewayClients(apiCredentials, shared);
  const adminKey = randomBytes(32).toString('base64url');
  const app = buildApiServer({
    temporal: env.client,
    taskQueue,
    pool,
    publicBaseUrl: apiUrl,
    notificationMerchant: async (gatewayMerchantId) => {
      const found = await apiCredentials.credentialsForGatewayMerchant(gatewayMerchantId);
      return found && { merchantId: found.merchantId, secretKey: found.keys.secretKey };
    },
    balanceInquiry: async (merchantId) => {
      if (!(await apiCredentials.credentialsFor(merchantId))) return undefined;
      const answer = await (await apiGatewayFor(merchantId)).balanceInquiry();
      return { availableBalance: answer.availableBalance, currency: answer.currency };
    },
    admin: { apiKey: adminKey, masterKey, keyMode: 'test', credentialsChanged: () => apiCredentials.clear() },
  });
  const routes: { method: string; url: string }[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  await app.listen({ port: apiPort, host: '127.0.0.1' });
  started.push('the API', () => app.close());

  return {
    apiUrl,
    adminKey,
    sandbox,
    sandboxPublicKeyPem: sandbox.publicKeyPem,
    pool,
    app,
    masterKey,
    workerCredentials,
    workerClock,
    merchantA,
    merchantB,
    routes,
    async stop() {
      stopping = true;
      await started.stopAll(() => {});
    },
  };
}
