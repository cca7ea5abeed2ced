// Entry point of the API process: `npm run api`. Closes cleanly on SIGINT/SIGTERM.
import { loadConfig } from '../config.js';
import { StartupError } from '../startup/startup-error.js';
import { startApi } from './start-api.js';

const config = loadConfig();
const databaseUrl = config.database.url;
if (!databaseUrl) {
  console.error('recur api: DATABASE_URL is required (npm run dev starts an embedded PostgreSQL for you)');
  process.exit(1);
}
const api = await startApi(config, databaseUrl).catch((error: unknown) => {
  // A StartupError names what did not answer and what to do; its stack would only bury that.
  console.error(`recur api: ${error instanceof StartupError ? error.message : String(error)}`);
  process.exit(1);
});
console.log(`recur api: listening on ${api.url} (docs at ${api.url}/docs)`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void api.close().then(() => process.exit(0));
  });
}
