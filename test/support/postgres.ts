// Gives a test a real PostgreSQL database: DATABASE_URL's server when set, an embedded one otherwise.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedPostgres, type RunningPostgres } from '../../src/db/embedded-postgres.js';

export interface TestDatabase {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts (or connects to) PostgreSQL and creates a fresh, empty database for this test file. */
export async function startTestDatabase(): Promise<TestDatabase> {
  const external = process.env.DATABASE_URL;
  if (!external) {
    const running: RunningPostgres = await startEmbeddedPostgres();
    return running;
  }
  const name = `recur_test_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: external });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(external);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async stop() {
      const client = new pg.Client({ connectionString: external });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
