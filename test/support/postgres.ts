// Gives a test a real PostgreSQL database: DATABASE_URL's server when set, an embedded one otherwise.
// The embedded one keeps its data under one 0755 folder in the system's temp folder (see
// startEmbeddedPostgres), where the "postgres" user that runs it as root can reach it.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedPostgres, type RunningPostgres } from '../../src/db/embedded-postgres.js';
import { StartupError } from '../../src/startup/startup-error.js';

export interface TestDatabase {
  readonly url: string;
  stop(): Promise<void>;
}

const CONNECT_TIMEOUT_MS = 10_000;

/** Starts (or connects to) PostgreSQL and creates a fresh, empty database for this test file. */
export async function startTestDatabase(): Promise<TestDatabase> {
  const external = process.env.DATABASE_URL;
  if (!external) {
    const running: RunningPostgres = await startEmbeddedPostgres();
    return running;
  }
  const name = `recur_test_${randomBytes(4).toString('hex')}`;
  const admin = await connect(external);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(external);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async stop() {
      const client = await connect(external);
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  try {
    await client.connect();
    return client;
  } catch (error) {
    const where = new URL(url);
    throw new StartupError({
      code: 'ERR_START_FAILED',
      part: `PostgreSQL at DATABASE_URL (${where.hostname}:${where.port || 5432})`,
      reason: (error as Error).message || String(error),
      hint: 'start that server or correct DATABASE_URL, or unset DATABASE_URL to use an embedded PostgreSQL',
      cause: error,
    });
  }
}
