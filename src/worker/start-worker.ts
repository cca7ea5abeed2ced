// Starts the subscription worker from configuration: Temporal connection, pg pool, activities, bundle.
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createActivities } from '../activities/create-activities.js';
import { gatewayConfig, type Config } from '../config.js';
import { closePool, createPool, migrate } from '../db/index.js';
import { createSubscriptionWorker } from './create-worker.js';
import { gatewayDirectory } from '../gateway/directory.js';

export interface RunningWorker {
  worker: Worker;
  /** Resolves when the worker has stopped (after shutdown, or a fatal error). */
  done: Promise<void>;
  /** Stops polling, lets running activities finish, then closes the pool and the connection. */
  shutdown(): Promise<void>;
}

/** Connects, migrates the database and starts polling the task queue. */
export async function startWorker(config: Config, databaseUrl: string, options: { workflowBundlePath?: string } = {}): Promise<RunningWorker> {
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const pool = createPool(databaseUrl, { applicationName: 'recur-worker' });
  await migrate(pool);
  const gatewayFor = gatewayDirectory(gatewayConfig(config));
  const worker = await createSubscriptionWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    activities: createActivities({ pool, gatewayFor: (merchantId, observer) => gatewayFor(merchantId, observer) }),
    workflowBundlePath: options.workflowBundlePath,
  });
  const done = worker.run().finally(async () => {
    await closePool(pool);
    await connection.close();
  });
  return {
    worker,
    done,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
