// Starts the subscription worker from configuration: Temporal connection, pg pool, activities, bundle.
import { Client } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createActivities } from '../activities/create-activities.js';
import type { Config } from '../config.js';
import { CredentialsProvider } from '../credentials/credentials-provider.js';
import { environmentMerchant, sharedGatewaySettings } from '../credentials/environment-merchant.js';
import { gatewayClients } from '../credentials/gateway-clients.js';
import type { MasterKey } from '../credentials/master-key.js';
import { closePool, createPool, migrate } from '../db/index.js';
import { startMetricsServer } from '../metrics/metrics-server.js';
import { processMetrics } from '../metrics/recur-metrics.js';
import { boundedStart } from '../startup/bounded-start.js';
import { portHint } from '../startup/port-hint.js';
import { StopStack } from '../startup/stop-stack.js';
import { startDispatcher } from '../webhooks/dispatcher.js';
import { createSubscriptionWorker } from './create-worker.js';

export interface RunningWorker {
  worker: Worker;
  /** The worker's GET /metrics, when it serves one. */
  metricsUrl?: string;
  /** Resolves when the worker has stopped (after shutdown, or a fatal error). */
  done: Promise<void>;
  /** Stops polling, lets running activities finish, then closes the pool and the connection. */
  shutdown(): Promise<void>;
}

export interface StartWorkerOptions {
  workflowBundlePath?: string;
  /** The sticky cache size (RECUR_WORKER_MAX_CACHED_WORKFLOWS); the worker's default when absent. */
  maxCachedWorkflows?: number;
  /** Port of the worker's GET /metrics (WORKER_METRICS_PORT); none when absent. */
  metricsPort?: number;
  /** RECUR_MASTER_KEY(_FILE): opens the merchants' stored credentials; only the TWOC2P_* merchant is served without it. */
  masterKey?: MasterKey;
  /** Stops the start (closing what it had opened) when aborted. */
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Told when a round of the webhook dispatcher fails (it tries again on the next one). */
  onDispatchError?: (error: unknown) => void;
}

/** Connects, migrates the database and starts polling the task queue; fails within about a minute. */
export async function startWorker(
  config: Config,
  databaseUrl: string,
  options: StartWorkerOptions = {},
): Promise<RunningWorker> {
  const opened = new StopStack();
  return boundedStart(
    async (gaveUp) => {
      const connection = await NativeConnection.connect({ address: config.temporal.address });
      opened.push('the Temporal connection', () => connection.close());
      const pool = createPool(databaseUrl, { applicationName: 'recur-worker' });
      opened.push('the database pool', () => closePool(pool));
      await migrate(pool);
      gaveUp.throwIfAborted();
      // Each call uses its merchant's own credentials (PostgreSQL, cached a bounded time), or TWOC2P_*'s.
      const credentials = new CredentialsProvider({
        db: pool,
        masterKey: options.masterKey,
        environmentMerchant: environmentMerchant(config),
      });
      const gatewayFor = gatewayClients(credentials, sharedGatewaySettings(config));
      const metrics = processMetrics();
      let metricsUrl: string | undefined;
      if (options.metricsPort !== undefined) {
        const server = await startMetricsServer({
          registry: metrics.registry,
          port: options.metricsPort,
          token: config.metrics.token,
        });
        opened.push('the metrics server', server.close);
        metricsUrl = server.url;
      }
      const worker = await createSubscriptionWorker({
        connection,
        namespace: config.temporal.namespace,
        taskQueue: config.temporal.taskQueue,
        activities: createActivities({
          pool,
          gatewayFor: (merchantId, observer) => gatewayFor(merchantId, observer),
          metrics,
        }),
        workflowBundlePath: options.workflowBundlePath,
        maxCachedWorkflows: options.maxCachedWorkflows,
      });
      gaveUp.throwIfAborted();
      // The outbox of merchant events: each new one starts its webhook deliveries on this task queue.
      const dispatcher = startDispatcher({
        pool,
        client: new Client({ connection, namespace: config.temporal.namespace }),
        taskQueue: config.temporal.taskQueue,
        onError: options.onDispatchError,
      });
      opened.push('the webhook dispatcher', () => dispatcher.stop());
      const done = worker.run().finally(() => opened.stopAll());
      return {
        worker,
        metricsUrl,
        done,
        async shutdown() {
          if (worker.getState() === 'RUNNING') worker.shutdown();
          await done;
        },
      };
    },
    {
      part: 'the worker',
      hint: (error) =>
        (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE'
          ? portHint('WORKER_METRICS_PORT', options.metricsPort ?? 0)(error)
          : `check that Temporal answers at ${config.temporal.address} (TEMPORAL_ADDRESS) and PostgreSQL at DATABASE_URL`,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      abort: () => opened.stopAll(),
      discard: (running) => running.shutdown(),
    },
  );
}
