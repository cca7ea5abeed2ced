// Entry point of the worker process: `npm run worker`. Stops gracefully on SIGINT/SIGTERM.
import { Runtime } from '@temporalio/worker';
import { configuredLogLevel, loadConfig } from '../config.js';
import { createLogger } from '../logging/create-logger.js';
import { StartupError } from '../startup/startup-error.js';
import { maxCachedWorkflowsFrom } from './create-worker.js';
import { startWorker } from './start-worker.js';
import { temporalLogger } from './temporal-logger.js';

const config = loadConfig();
const maxCachedWorkflows = maxCachedWorkflowsFrom(process.env);
const logger = createLogger({ level: configuredLogLevel() });
// Before anything touches Temporal: the SDK's own lines and every activity's go through the same logger.
Runtime.install({ logger: temporalLogger(logger) });
const databaseUrl = config.database.url;
if (!databaseUrl) {
  logger.fatal('recur worker: DATABASE_URL is required (npm run dev starts an embedded PostgreSQL for you)');
  process.exit(1);
}
const running = await startWorker(config, databaseUrl, {
  workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
  maxCachedWorkflows,
  onDispatchError: (error) => logger.warn({ err: error }, 'webhook dispatcher: a round failed; the next one retries'),
}).catch((error: unknown) => {
  // A StartupError names what did not answer and what to do; its stack would only bury that.
  logger.fatal(`recur worker: ${error instanceof StartupError ? error.message : String(error)}`);
  process.exit(1);
});
const { taskQueue, address, namespace } = config.temporal;
logger.info({ taskQueue, address, namespace, maxCachedWorkflows }, 'recur worker: polling');
// The SDK's runtime already turns SIGINT/SIGTERM into a graceful worker shutdown; wait for it.
await running.done;
logger.info('recur worker: stopped');
