// Starts the subscription worker from configuration: Temporal connection, pg pool, activities, bundle.
import { Client } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createActivities } from '../activities/create-activities.js';
import { gatewayConfig, type Config } from '../config.js';
import { closePool, createPool, migrate } from '../db/index.js';
import { gatewayDirectory } from '../gateway/directory.js';
import { boundedStart } from '../startup/bounded-start.js';
import { StopStack } from '../startup/stop-stack.js';
import { startDispatcher } from '../webhooks/dispatcher.js';
import { createSubscriptionWorker } from './create-worker.js';

export interface RunningWorker {
  worker: Worker;
  /** Resolves when the worker has stopped (after shutdown, or a fatal error). */
  done: Promise<void>;
  /** Stops polling, lets running activities finish, then closes the pool and the connection. */
  shutdown(): Promise<void>;
}

export interface StartWorkerOptions {
  workflowBundlePath?: string;
  /** The sticky cache size (RECUR_WORKER_MAX_CACHED_WORKFLOWS); the worker's default when absent. */
  maxCachedWorkflows?: number;
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
      const gatewayFor = gatewayDirectory(gatewayConfig(config));
      const worker = await createSubscriptionWorker({
        connection,
        namespace: config.temporal.namespace,
        taskQueue: config.temporal.taskQueue,
        activities: createActivities({ pool, gatewayFor: (merchantId, observer) => gatewayFor(merchantId, observer) }),
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
        done,
        async shutdown() {
          if (worker.getState() === 'RUNNING') worker.shutdown();
          await done;
        },
      };
    },
    {
      part: 'the worker',
      hint: `check that Temporal answers at ${config.temporal.address} (TEMPORAL_ADDRESS) and PostgreSQL at DATABASE_URL`,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      abort: () => opened.stopAll(),
      discard: (running) => running.shutdown(),
    },
  );
}
