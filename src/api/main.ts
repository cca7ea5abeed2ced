// Entry point of the API process: `npm run api`. Closes cleanly on SIGINT/SIGTERM.
import { configuredLogLevel, loadConfig } from '../config.js';
import { masterKeyFrom } from '../credentials/master-key.js';
import { adminApiKeyFrom } from './admin-api-key.js';
import { createLogger } from '../logging/create-logger.js';
import { StartupError } from '../startup/startup-error.js';
import { startApi } from './start-api.js';

const config = loadConfig();
const masterKey = masterKeyFrom(process.env);
const adminApiKey = adminApiKeyFrom(process.env);
const logging = { level: configuredLogLevel() };
const logger = createLogger(logging);
const databaseUrl = config.database.url;
if (!databaseUrl) {
  logger.fatal('recur api: DATABASE_URL is required (npm run dev starts an embedded PostgreSQL for you)');
  process.exit(1);
}
const api = await startApi(config, databaseUrl, { logging, masterKey, adminApiKey }).catch((error: unknown) => {
  // A StartupError names what did not answer and what to do; its stack would only bury that.
  logger.fatal(`recur api: ${error instanceof StartupError ? error.message : String(error)}`);
  process.exit(1);
});
logger.info({ url: api.url, docs: `${api.url}/docs` }, 'recur api: listening');
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void api.close().then(() => process.exit(0));
  });
}
