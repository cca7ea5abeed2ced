// The whole engine on one machine: Temporal dev server, PostgreSQL, the 2C2P sandbox (unless real 2C2P
// settings are given), the worker and the API. Used by `npm run dev` and by the end-to-end tests.
import { createPublicKey } from 'node:crypto';
import { join, resolve } from 'node:path';
import { startApi } from '../api/start-api.js';
import { loadOrCreateKeyPair, loadOrCreateSecret } from '../cli/sandbox-files.js';
import { configuredTimeZone, loadConfig, type Config } from '../config.js';
import { adminApiKeyFrom } from '../api/admin-api-key.js';
import { masterKeyFrom } from '../credentials/master-key.js';
import { closePool, createPool } from '../db/index.js';
import { freePort, startEmbeddedPostgres } from '../db/embedded-postgres.js';
import type { LoggerSettings } from '../logging/create-logger.js';
import { preflightEmbeddedPostgres } from '../db/postgres-preflight.js';
import { money } from '../domain/money.js';
import { createSandbox, type Sandbox } from '../sandbox/index.js';
import { boundedStart } from '../startup/bounded-start.js';
import { portHint } from '../startup/port-hint.js';
import { StopStack } from '../startup/stop-stack.js';
import { startWorker } from '../worker/start-worker.js';
import { devApiKey } from './dev-api-key.js';
import { devWebhookEndpoint } from './dev-webhook-endpoint.js';
import { startDevWebhookReceiver } from './webhook-receiver.js';
import { startTemporalDevServer } from './temporal-dev-server.js';

/** The merchant the sandbox registers in dev mode. */
export const DEV_MERCHANT_ID = 'RECURDEV001';

export interface StackOptions {
  /** Where state is kept between runs (Temporal SQLite, PostgreSQL, keys, the sandbox's sandbox/state.json). */
  dataDir: string;
  apiPort: number;
  sandboxPort: number;
  temporalPort: number;
  temporalUiPort: number;
  /** Port of the dev webhook receiver (0: any free port). */
  webhooksPort?: number;
  /** Environment: TEMPORAL_ADDRESS, DATABASE_URL and TWOC2P_* replace the local parts they name. */
  env: NodeJS.ProcessEnv;
  /** Sandbox clock follows real time (dev); tests move it by hand. */
  sandboxRealTime: boolean;
  log(line: string): void;
  /** The API's log (src/logging); none when absent, as in the end-to-end tests. */
  logging?: LoggerSettings;
  /** Aborting it stops the start: what had started is stopped and startStack rejects. */
  signal?: AbortSignal;
}

export interface RunningStack {
  apiUrl: string;
  temporalAddress: string;
  temporalUiUrl?: string;
  sandbox?: Sandbox;
  sandboxUrl?: string;
  merchantId: string;
  apiKey: string;
  /** The dev receiver (GET it to watch deliveries) and the dev merchant's endpoint that points at it. */
  webhooks: { url: string; endpointId: string };
  config: Config;
  stop(): Promise<void>;
}

/**
 * Starts every part, in dependency order, each within about a minute; on any failure (or an abort) stops
 * what had started, the detached Temporal dev server included, and rejects with a StartupError.
 */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const parts = new StopStack();
  const { signal } = options;
  const stop = () =>
    parts.stopAll((name, error) =>
      options.log(`stopping ${name} failed: ${(error as Error).message ?? String(error)}`),
    );
  try {
    const dataDir = resolve(options.dataDir);
    const postgresDataDir = join(dataDir, 'postgres');
    const dataDirFix = 'set RECUR_DATA_DIR to a folder other users can enter (e.g. /var/tmp/recur)';
    let databaseUrl = options.env.DATABASE_URL;
    // Known in milliseconds, before anything is started: PostgreSQL cannot run from where it is.
    if (!databaseUrl) await preflightEmbeddedPostgres({ dataDir: join(postgresDataDir, 'data'), dataDirFix });

    let temporalAddress = options.env.TEMPORAL_ADDRESS;
    let temporalUiUrl: string | undefined;
    if (!temporalAddress) {
      options.log('starting the Temporal dev server…');
      const temporal = await startTemporalDevServer({
        dataDir: join(dataDir, 'temporal'),
        port: options.temporalPort,
        uiPort: options.temporalUiPort,
        signal,
      });
      parts.push('the Temporal dev server', temporal.stop);
      temporalAddress = temporal.address;
      temporalUiUrl = temporal.uiUrl;
    }

    if (!databaseUrl) {
      options.log('starting PostgreSQL (embedded-postgres)…');
      const postgres = await startEmbeddedPostgres({
        dataDir: postgresDataDir,
        port: await freePort(),
        dataDirFix,
        signal,
      });
      parts.push('PostgreSQL', postgres.stop);
      databaseUrl = postgres.url;
    }

    const apiBase = `http://127.0.0.1:${options.apiPort}`;
    const env: NodeJS.ProcessEnv = {
      ...options.env,
      TEMPORAL_ADDRESS: temporalAddress,
      DATABASE_URL: databaseUrl,
      API_PORT: String(options.apiPort),
    };
    env.PUBLIC_BASE_URL ??= apiBase;
    let sandbox: Sandbox | undefined;
    let sandboxUrl: string | undefined;
    if (!realGatewayConfigured(options.env)) {
      options.log('starting the 2C2P sandbox…');
      const keysDir = join(dataDir, 'keys');
      const merchantKeys = loadOrCreateKeyPair(keysDir, 'merchant');
      const sandboxKeys = loadOrCreateKeyPair(keysDir, 'sandbox');
      const { secret } = loadOrCreateSecret(keysDir);
      sandbox = createSandbox({
        merchants: [
          {
            merchantId: DEV_MERCHANT_ID,
            secretKey: secret,
            merchantPublicKey: createPublicKey(merchantKeys.publicKeyPem),
            currency: options.env.TWOC2P_CURRENCY ?? 'SGD',
            initialBalance: money(1_000_000_00, options.env.TWOC2P_CURRENCY ?? 'SGD'),
          },
        ],
        keys: { privateKeyPem: sandboxKeys.privateKeyPem, publicKeyPem: sandboxKeys.publicKeyPem },
        realTime: options.sandboxRealTime,
        // The zone the engine writes paymentExpiry in (TWOC2P_TIMEZONE), so a link expires when it says.
        timeZone: configuredTimeZone(options.env),
        // Temporal and PostgreSQL keep their state across restarts; the gateway's side must too, or a
        // surviving subscription's plan would be unknown to it (16). Its clock resumes, then follows real time.
        stateFile: join(dataDir, 'sandbox', 'state.json'),
      });
      const listening = sandbox;
      sandboxUrl = await boundedStart(async () => (await listening.listen(options.sandboxPort, '127.0.0.1')).baseUrl, {
        part: 'the 2C2P sandbox',
        hint: portHint('SANDBOX_PORT', options.sandboxPort),
        signal,
        abort: () => listening.close(),
      });
      parts.push('the 2C2P sandbox', () => listening.close());
      Object.assign(env, {
        TWOC2P_MERCHANT_ID: DEV_MERCHANT_ID,
        TWOC2P_MERCHANT_PRIVATE_KEY: merchantKeys.privateKeyPath,
        TWOC2P_GATEWAY_PUBLIC_KEY: sandboxKeys.publicKeyPath,
        TWOC2P_SECRET_KEY: secret,
        TWOC2P_PAYMENT_ACTION_BASE: `${sandboxUrl}/2C2PFrontend`,
        TWOC2P_PGW_BASE: sandboxUrl,
        SANDBOX_CONTROL_URL: sandboxUrl,
      });
    }
    const config = loadConfig(env);
    // Merchants onboarded with `recur merchant add` are served beside the TWOC2P_* (or sandbox) merchant.
    const masterKey = masterKeyFrom(env);

    // Before the worker, so it stops after it: a delivery in flight at Ctrl-C still finds the receiver, instead
    // of retrying against a closed port while the worker's shutdown waits for it (the README test saw a 30 s hang).
    const receiver = await boundedStart(() => startDevWebhookReceiver(options.webhooksPort ?? 0), {
      part: 'the webhook receiver',
      hint: portHint('WEBHOOKS_PORT', options.webhooksPort ?? 0),
      signal,
    });
    parts.push('the webhook receiver', receiver.close);
    signal?.throwIfAborted();
    options.log('starting the worker…');
    const worker = await startWorker(config, databaseUrl, { signal, masterKey });
    parts.push('the worker', worker.shutdown);
    options.log('starting the API…');
    const api = await startApi(config, databaseUrl, {
      host: '127.0.0.1',
      port: options.apiPort,
      signal,
      logging: options.logging,
      masterKey,
      adminApiKey: adminApiKeyFrom(env),
    });
    parts.push('the API', api.close);

    signal?.throwIfAborted();
    const pool = createPool(databaseUrl, { max: 1 });
    // rk_test_ on the sandbox, rk_live_ only when real 2C2P credentials are configured.
    const mode = sandbox ? 'test' : 'live';
    const { apiKey, endpoint } = await (async () => {
      const merchantId = config.gateway.merchantId;
      const key = await devApiKey(pool, merchantId, join(dataDir, 'dev-api-key'), { mode });
      const file = join(dataDir, 'dev-webhook-endpoint.json');
      return { apiKey: key, endpoint: await devWebhookEndpoint(pool, merchantId, receiver.url, file) };
    })().finally(() => closePool(pool));
    receiver.setSecret(endpoint.secret);
    return {
      apiUrl: apiBase,
      temporalAddress,
      temporalUiUrl,
      sandbox,
      sandboxUrl,
      merchantId: config.gateway.merchantId,
      apiKey,
      webhooks: { url: receiver.url, endpointId: endpoint.id },
      config,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Real 2C2P is used when all four merchant credentials are given. */
function realGatewayConfigured(env: NodeJS.ProcessEnv): boolean {
  return ['TWOC2P_MERCHANT_ID', 'TWOC2P_MERCHANT_PRIVATE_KEY', 'TWOC2P_GATEWAY_PUBLIC_KEY', 'TWOC2P_SECRET_KEY'].every(
    (name) => !!env[name]?.trim() || !!env[`${name}_FILE`]?.trim(),
  );
}
