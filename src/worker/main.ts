// Entry point of the worker process: `npm run worker`. Stops gracefully on SIGINT/SIGTERM.
import { loadConfig } from '../config.js';
import { StartupError } from '../startup/startup-error.js';
import { startWorker } from './start-worker.js';

const config = loadConfig();
const databaseUrl = config.database.url;
if (!databaseUrl) {
  console.error('recur worker: DATABASE_URL is required (npm run dev starts an embedded PostgreSQL for you)');
  process.exit(1);
}
const running = await startWorker(config, databaseUrl, { workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH }).catch(
  (error: unknown) => {
    // A StartupError names what did not answer and what to do; its stack would only bury that.
    console.error(`recur worker: ${error instanceof StartupError ? error.message : String(error)}`);
    process.exit(1);
  },
);
console.log(
  `recur worker: polling ${config.temporal.taskQueue} on ${config.temporal.address} (${config.temporal.namespace})`,
);
// The SDK's runtime already turns SIGINT/SIGTERM into a graceful worker shutdown; wait for it.
await running.done;
console.log('recur worker: stopped');
