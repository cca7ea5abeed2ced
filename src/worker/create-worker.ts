// Creates the subscription worker: the bundled workflows and the activities, on one task queue.
import { Worker, type NativeConnection } from '@temporalio/worker';
import type { SubscriptionActivities } from '../activities/types.js';
import { ConfigError } from '../config.js';
import { loadWorkflowBundle } from './workflow-bundle.js';

/** The variable that sets the worker's sticky cache size. */
export const MAX_CACHED_WORKFLOWS_VARIABLE = 'RECUR_WORKER_MAX_CACHED_WORKFLOWS';
/**
 * Workflows kept in memory when RECUR_WORKER_MAX_CACHED_WORKFLOWS is unset. bench/live-subscriptions.ts
 * measured 360 to 440 KB of worker RSS per cached subscription (about 170 KB of it live V8 heap), so a 1 GB
 * budget holds 2,300 to 2,900: 2,000 leaves room for a due day's garbage. The SDK's own default follows the machine's
 * heap limit instead, which on a large host lets the cache outgrow the container the worker runs in.
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 2000;
const MAX_CACHED_WORKFLOWS_LIMIT = 1_000_000;

/**
 * The sticky cache size from RECUR_WORKER_MAX_CACHED_WORKFLOWS (default DEFAULT_MAX_CACHED_WORKFLOWS); 0
 * turns the cache off. Throws ConfigError naming the variable for anything but a whole number in range.
 */
export function maxCachedWorkflowsFrom(env: NodeJS.ProcessEnv): number {
  const text = env[MAX_CACHED_WORKFLOWS_VARIABLE]?.trim();
  if (!text) return DEFAULT_MAX_CACHED_WORKFLOWS;
  const problem = (reason: string) => new ConfigError([`${MAX_CACHED_WORKFLOWS_VARIABLE}: ${reason}`]);
  if (!/^\d+$/.test(text)) throw problem('must be a whole number');
  const size = Number(text);
  // The SDK quietly raises 1 to 2: refuse it rather than run with another size than the one configured.
  if (size === 1) throw problem('must be 0 (no cache) or at least 2');
  if (size > MAX_CACHED_WORKFLOWS_LIMIT) throw problem(`must be at most ${MAX_CACHED_WORKFLOWS_LIMIT}`);
  return size;
}

export interface SubscriptionWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  activities: SubscriptionActivities;
  /** A bundle built ahead of time; bundled now when absent. */
  workflowBundle?: { code: string };
  workflowBundlePath?: string;
  /** Workflows kept in memory (default DEFAULT_MAX_CACHED_WORKFLOWS); 0 turns off sticky execution. */
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
    maxCachedWorkflows: options.maxCachedWorkflows ?? DEFAULT_MAX_CACHED_WORKFLOWS,
  });
}
