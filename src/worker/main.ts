// Entry point of the worker process: `npm run worker`. Stops gracefully on SIGINT/SIGTERM.
import { Runtime } from '@temporalio/worker';
import { configuredLogLevel, loadConfig } from '../config.js';
import { masterKeyFrom } from '../credentials/master-key.js';
import { createLogger } from '../logging/create-logger.js';
import { StartupError } from '../startup/startup-error.js';
import { maxCachedWorkflowsFrom } from './create-worker.js';
import { startWorker } from './start-worker.js';
import { temporalLogger } from './temporal-logger.js';
import { temporalMetricsTelemetry } from './temporal-metrics.js';

const config = loadConfig();
const maxCachedWorkflows = maxCachedWorkflowsFrom(process.env);
const masterKey = masterKeyFrom(process.env);
const logger = createLogger({ level: configuredLogLevel() });
// Before anything touches Temporal: the SDK's own lines and every activity's go through the same logger, and
// the SDK's metrics (task slots, polls, latencies) get their own Prometheus endpoint (TEMPORAL_METRICS_PORT).
const { temporalPort, workerPort } = config.metrics;
try {
  Runtime.install({ logger: temporalLogger(logger), ...temporalMetricsTelemetry(temporalPort) });
} catch (error) {
  // The core's exporter binds its port here, synchronously: a taken port is a configuration problem.
  logger.fatal(
    `recur worker: the Temporal SDK's metrics cannot listen on port ${temporalPort} (${(error as Error).message}): ` +
      'set TEMPORAL_METRICS_PORT to a free port, or to off',
  );
  process.exit(1);
}
const databaseUrl = config.database.url;
if (!databaseUrl) {
  logger.fatal('recur worker: DATABASE_URL is required (npm run dev starts an embedded PostgreSQL for you)');
  process.exit(1);
}
const running = await startWorker(config, databaseUrl, {
  workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
  maxCachedWorkflows,
  metricsPort: workerPort,
  masterKey,
  onDispatchError: (error) => logger.warn({ err: error }, 'webhook dispatcher: a round failed; the next one retries'),
}).catch((error: unknown) => {
  // A StartupError names what did not answer and what to do; its stack would only bury that.
  logger.fatal(`recur worker: ${error instanceof StartupError ? error.message : String(error)}`);
  process.exit(1);
});
const { taskQueue, address, namespace } = config.temporal;
const metrics = {
  metrics: running.metricsUrl,
  temporalMetrics: temporalPort && `http://127.0.0.1:${temporalPort}/metrics`,
};
logger.info({ taskQueue, address, namespace, maxCachedWorkflows, ...metrics }, 'recur worker: polling');
// The SDK's runtime already turns SIGINT/SIGTERM into a graceful worker shutdown; wait for it.
await running.done;
logger.info('recur worker: stopped');
