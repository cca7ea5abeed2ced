// Starts the HTTP API from configuration: Temporal client, pg pool, the merchant's secret and balance.
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { subscriptionTimingsConfig, type Config } from '../config.js';
import { CredentialsProvider } from '../credentials/credentials-provider.js';
import { environmentMerchant, sharedGatewaySettings } from '../credentials/environment-merchant.js';
import { gatewayClients } from '../credentials/gateway-clients.js';
import type { MasterKey } from '../credentials/master-key.js';
import { closePool, createPool, migrate } from '../db/index.js';
import { loggerOptions, type LoggerSettings } from '../logging/create-logger.js';
import { boundedStart } from '../startup/bounded-start.js';
import { portHint } from '../startup/port-hint.js';
import { StopStack } from '../startup/stop-stack.js';
import { startIdempotencyPurge } from './idempotency-purge.js';
import { buildApiServer } from './server.js';
import { sandboxTestClock } from './test-clock.js';

export interface RunningApi {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

export interface StartApiOptions {
  host?: string;
  port?: number;
  /** Stops the start (closing what it had opened) when aborted. */
  signal?: AbortSignal;
  timeoutMs?: number;
  /** RECUR_MASTER_KEY(_FILE): opens the merchants' stored credentials; only the TWOC2P_* merchant is served without it. */
  masterKey?: MasterKey;
  /** RECUR_ADMIN_API_KEY: turns on /v1/admin (merchant onboarding) under this key. */
  adminApiKey?: string;
  /** Level and format of the API's log (src/logging); no log when absent. */
  logging?: LoggerSettings;
}

/** Connects to Temporal and PostgreSQL (migrating it) and listens on the port; fails within about a minute. */
export async function startApi(
  config: Config,
  databaseUrl: string,
  options: StartApiOptions = {},
): Promise<RunningApi> {
  const port = options.port ?? config.api.port;
  const opened = new StopStack();
  const listenHint = portHint('API_PORT', port);
  return boundedStart(
    async (gaveUp) => {
      const connection = await Connection.connect({ address: config.temporal.address });
      opened.push('the Temporal connection', () => connection.close());
      const temporal = new Client({ connection, namespace: config.temporal.namespace });
      const pool = createPool(databaseUrl, { applicationName: 'recur-api' });
      opened.push('the database pool', () => closePool(pool));
      await migrate(pool);
      gaveUp.throwIfAborted();
      const credentials = new CredentialsProvider({
        db: pool,
        masterKey: options.masterKey,
        environmentMerchant: environmentMerchant(config),
      });
      const gatewayFor = gatewayClients(credentials, sharedGatewaySettings(config));
      const app = buildApiServer({
        temporal,
        taskQueue: config.temporal.taskQueue,
        pool,
        publicBaseUrl: config.api.publicBaseUrl,
        logger: options.logging ? loggerOptions(options.logging) : false,
        subscriptionTimings: subscriptionTimingsConfig(config),
        timeZone: config.gateway.timeZone,
        metricsToken: config.metrics.token,
        testClock: config.api.sandboxControlUrl ? sandboxTestClock(config.api.sandboxControlUrl) : undefined,
        admin: options.adminApiKey
          ? {
              apiKey: options.adminApiKey,
              masterKey: options.masterKey,
              // rk_test_ keys on a sandbox deployment (its test clock is the sandbox's), rk_live_ otherwise.
              keyMode: config.api.sandboxControlUrl ? 'test' : 'live',
              credentialsChanged: () => credentials.clear(),
            }
          : undefined,
        notificationMerchant: async (gatewayMerchantId) => {
          const found = await credentials.credentialsForGatewayMerchant(gatewayMerchantId);
          return found && { merchantId: found.merchantId, secretKey: found.keys.secretKey };
        },
        // The caller's own merchant's credentials: the route has already checked the id is the API key's.
        balanceInquiry: async (id) => {
          if (!(await credentials.credentialsFor(id))) return undefined;
          const answer = await (await gatewayFor(id)).balanceInquiry();
          return { availableBalance: answer.availableBalance, currency: answer.currency };
        },
      });
      opened.push('the HTTP server', () => app.close());
      // Idempotency keys are kept a day (a client retry comes within minutes), then purged hourly.
      const purge = startIdempotencyPurge(pool, { everyMs: 3_600_000, retentionMs: 86_400_000, log: app.log });
      opened.push('the Idempotency-Key purge', purge.stop);
      const url = await app.listen({ host: options.host ?? '0.0.0.0', port });
      return { app, url, close: () => opened.stopAll() };
    },
    {
      part: 'the API',
      hint: (error) =>
        (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE'
          ? listenHint(error)
          : `check that Temporal answers at ${config.temporal.address} (TEMPORAL_ADDRESS) and PostgreSQL at DATABASE_URL`,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      abort: () => opened.stopAll(),
      discard: (running) => running.close(),
    },
  );
}
