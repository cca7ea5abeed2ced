// The whole engine for a chaos run, each part its own process: the Temporal dev server, PostgreSQL, the
// sandbox, two workers and the API, wired by the same environment a deployment uses (docker-compose.yml).
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrCreateKeyPair, loadOrCreateSecret } from '../../src/cli/sandbox-files.js';
import { closePool, createPool } from '../../src/db/index.js';
import { freePort } from '../../src/db/embedded-postgres.js';
import { devApiKey } from '../../src/dev/dev-api-key.js';
import { startTemporalDevServer, type DevTemporal } from '../../src/dev/temporal-dev-server.js';
import { buildWorkflowBundle } from '../../src/worker/workflow-bundle.js';
import { EngineChild } from './child-process.js';

export const CHAOS_MERCHANT_ID = 'RECURCHAOS01';
const TSX = ['--import', 'tsx'];
/** A part that cannot start on a fresh run has a setup problem: say so soon, not after a supervisor's patience. */
const FIRST_START_ATTEMPTS = 2;

export interface ChaosEngine {
  readonly apiUrl: string;
  readonly sandboxUrl: string;
  readonly temporalAddress: string;
  readonly databaseUrl: string;
  readonly apiKey: string;
  readonly merchantId: string;
  /** The environment the workers and the API run with (for in-process checks such as reconcile). */
  readonly env: NodeJS.ProcessEnv;
  readonly postgres: EngineChild;
  readonly sandbox: EngineChild;
  readonly workers: readonly EngineChild[];
  readonly api: EngineChild;
  stop(): Promise<void>;
}

/** The workflow bundle, built once: workers killed and started again load it instead of bundling each time. */
async function workflowBundle(dir: string): Promise<string> {
  if (process.env.WORKFLOW_BUNDLE_PATH) return process.env.WORKFLOW_BUNDLE_PATH;
  const path = join(dir, 'workflow-bundle.js');
  writeFileSync(path, (await buildWorkflowBundle()).code);
  return path;
}

export interface ChaosEngineOptions {
  readonly workers: number;
  /** Settings the workers alone get on top of the deployment's (a benchmark's RECUR_WORKER_MAX_CACHED_WORKFLOWS). */
  readonly workerEnv?: NodeJS.ProcessEnv;
  /**
   * Whether the sandbox keeps its state file (default true). A benchmark turns it off: with 10,000
   * subscriptions the file is some 90 MB, rewritten every 250 ms, and the simulator would be what is measured.
   */
  readonly sandboxStateFile?: boolean;
}

/** Starts every part under `dir` (logs in dir/logs); on failure stops what had started. */
export async function startChaosEngine(dir: string, options: ChaosEngineOptions): Promise<ChaosEngine> {
  const logs = join(dir, 'logs');
  const keysDir = join(dir, 'keys');
  mkdirSync(logs, { recursive: true });
  // As root, embedded-postgres runs PostgreSQL as the "postgres" user, who must be able to enter the folder.
  chmodSync(dir, 0o755);
  const started: Array<{ close(): Promise<void> }> = [];
  let temporal: DevTemporal | undefined;
  const stop = async () => {
    for (const part of started.reverse()) await part.close().catch(() => undefined);
    await temporal?.stop().catch(() => undefined);
  };
  try {
    temporal = await startTemporalDevServer({
      dataDir: join(dir, 'temporal'),
      port: await freePort(),
      uiPort: await freePort(),
    });
    const [postgresPort, sandboxPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const base: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TMPDIR: process.env.TMPDIR,
      LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? 'info',
      TWOC2P_MERCHANT_ID: CHAOS_MERCHANT_ID,
      TWOC2P_CURRENCY: 'SGD',
      TWOC2P_TIMEZONE: 'Asia/Bangkok',
    };
    const postgres = new EngineChild({
      name: 'postgres',
      args: [...TSX, 'scripts/chaos/postgres-main.ts'],
      env: { ...base, CHAOS_POSTGRES_DIR: join(dir, 'postgres'), CHAOS_POSTGRES_PORT: String(postgresPort) },
      logFile: join(logs, 'postgres.log'),
      ready: /postgres ready/,
    });
    started.push(postgres);
    await postgres.start(FIRST_START_ATTEMPTS);
    const databaseUrl = `postgres://recur:recur@127.0.0.1:${postgresPort}/recur`;

    const merchantKeys = loadOrCreateKeyPair(keysDir, 'merchant');
    const sandboxKeys = loadOrCreateKeyPair(keysDir, 'sandbox');
    const { secret } = loadOrCreateSecret(keysDir);
    const sandbox = new EngineChild({
      name: 'sandbox',
      args: [...TSX, 'scripts/chaos/sandbox-main.ts'],
      env: {
        ...base,
        CHAOS_KEYS_DIR: keysDir,
        CHAOS_SANDBOX_PORT: String(sandboxPort),
        ...(options.sandboxStateFile === false ? { CHAOS_SANDBOX_STATELESS: '1' } : {}),
      },
      logFile: join(logs, 'sandbox.log'),
      ready: /sandbox ready/,
    });
    started.push(sandbox);
    await sandbox.start(FIRST_START_ATTEMPTS);
    const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    const apiUrl = `http://127.0.0.1:${apiPort}`;

    const env: NodeJS.ProcessEnv = {
      ...base,
      TEMPORAL_ADDRESS: temporal.address,
      DATABASE_URL: databaseUrl,
      API_PORT: String(apiPort),
      PUBLIC_BASE_URL: apiUrl,
      TWOC2P_MERCHANT_PRIVATE_KEY: merchantKeys.privateKeyPath,
      TWOC2P_GATEWAY_PUBLIC_KEY: sandboxKeys.publicKeyPath,
      TWOC2P_SECRET_KEY: secret,
      TWOC2P_PAYMENT_ACTION_BASE: `${sandboxUrl}/2C2PFrontend`,
      TWOC2P_PGW_BASE: sandboxUrl,
      SANDBOX_CONTROL_URL: sandboxUrl,
      WORKFLOW_BUNDLE_PATH: await workflowBundle(dir),
    };
    // The API migrates the database; the workers start after it.
    const api = new EngineChild({
      name: 'api',
      args: [...TSX, 'src/api/main.ts'],
      env,
      logFile: join(logs, 'api.log'),
      ready: /recur api: listening/,
    });
    started.push(api);
    await api.start(FIRST_START_ATTEMPTS);
    // Each worker serves its metrics (and the Temporal SDK's) on ports of its own: two cannot share 9464.
    const metricsPorts: Array<{ WORKER_METRICS_PORT: string; TEMPORAL_METRICS_PORT: string }> = [];
    for (let i = 0; i < options.workers; i += 1)
      metricsPorts.push({
        WORKER_METRICS_PORT: String(await freePort()),
        TEMPORAL_METRICS_PORT: String(await freePort()),
      });
    const workers = Array.from(
      { length: options.workers },
      (_, i) =>
        new EngineChild({
          name: `worker-${i + 1}`,
          args: [...TSX, 'src/worker/main.ts'],
          env: { ...env, ...metricsPorts[i], ...options.workerEnv },
          logFile: join(logs, `worker-${i + 1}.log`),
          ready: /recur worker: polling/,
          readyTimeoutMs: 180_000,
        }),
    );
    started.push(...workers);
    await Promise.all(workers.map((w) => w.start(FIRST_START_ATTEMPTS)));

    const pool = createPool(databaseUrl, { max: 1 });
    const apiKey = await devApiKey(pool, CHAOS_MERCHANT_ID, join(dir, 'api-key')).finally(() => closePool(pool));
    return {
      apiUrl,
      sandboxUrl,
      temporalAddress: temporal.address,
      databaseUrl,
      apiKey,
      merchantId: CHAOS_MERCHANT_ID,
      env,
      postgres,
      sandbox,
      workers,
      api,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
