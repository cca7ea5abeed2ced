// A fresh PostgreSQL database with Recur's migrations applied, for one repository test file.
import type pg from 'pg';
import { closePool, createPool, migrate } from '../../../src/db/index.js';
import { startTestDatabase, type TestDatabase } from '../../support/postgres.js';

export interface MigratedDatabase {
  pool: pg.Pool;
  url: string;
  stop(): Promise<void>;
}

/** Starts a database, opens a pool on it and applies every migration. */
export async function startMigratedDatabase(): Promise<MigratedDatabase> {
  const db: TestDatabase = await startTestDatabase();
  const pool = createPool(db.url);
  try {
    await migrate(pool);
  } catch (error) {
    await closePool(pool);
    await db.stop();
    throw error;
  }
  return {
    pool,
    url: db.url,
    async stop() {
      await closePool(pool);
      await db.stop();
    },
  };
}
