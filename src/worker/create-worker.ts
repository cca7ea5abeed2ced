// Creates the subscription worker: the bundled workflows and the activities, on one task queue.
import { Worker, type NativeConnection } from '@temporalio/worker';
import type { SubscriptionActivities } from '../activities/types.js';
import { loadWorkflowBundle } from './workflow-bundle.js';

export interface SubscriptionWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  activities: SubscriptionActivities;
  /** A bundle built ahead of time; bundled now when absent. */
  workflowBundle?: { code: string };
  workflowBundlePath?: string;
  /** Workflows kept in memory; 0 turns off sticky execution (every task goes to the shared queue). */
  maxCachedWorkflows?: number;
}

/** A worker that runs subscription workflows and their activities. */
export async function createSubscriptionWorker(options: SubscriptionWorkerOptions): Promise<Worker> {
  const workflowBundle = options.workflowBundle ?? (await loadWorkflowBundle(options.workflowBundlePath));
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue,
    workflowBundle,
    activities: options.activities as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>,
    // Finish in-flight gateway calls on shutdown rather than abandoning them mid-request.
    shutdownGraceTime: '20 seconds',
    ...(options.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: options.maxCachedWorkflows }),
  });
}
