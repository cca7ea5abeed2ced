// Applies the schema migrations at start-up: ordered, once each, safe when several processes start together.
import type pg from 'pg';
import { MIGRATIONS, type Migration } from './migrations/index.js';
import { withTransaction } from './pool.js';

/** Arbitrary but fixed: every Recur process takes this advisory lock before touching the schema. */
const MIGRATION_LOCK_KEY = 7_262_011_001;

/** A migration that `migrate` applied in this call. */
export interface AppliedMigration {
  version: number;
  name: string;
}

/** Applies every migration not yet recorded in schema_migrations, each in its own transaction. */
export async function migrate(
  pool: pg.Pool,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<{ applied: AppliedMigration[] }> {
  assertOrdered(migrations);
  const applied: AppliedMigration[] = [];
  for (const migration of migrations) {
    const ran = await withTransaction(pool, async (client) => {
      // The transaction-scoped lock serialises concurrent start-ups and is released by COMMIT/ROLLBACK.
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const { rows } = await client.query<{ name: string }>('SELECT name FROM schema_migrations WHERE version = $1', [
        migration.version,
      ]);
      const recorded = rows[0];
      if (recorded) {
        if (recorded.name !== migration.name) {
          throw new Error(
            `schema_migrations has version ${migration.version} as "${recorded.name}", ` +
              `this build calls it "${migration.name}"`,
          );
        }
        return false;
      }
      try {
        await client.query(migration.sql);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`migration ${migration.version} (${migration.name}) failed: ${reason}`, { cause: error });
      }
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (ran) applied.push({ version: migration.version, name: migration.name });
  }
  return { applied };
}

function assertOrdered(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const migration of migrations) {
    if (!Number.isSafeInteger(migration.version) || migration.version <= previous) {
      throw new TypeError(`migration versions must be positive integers in ascending order (at ${migration.version})`);
    }
    if (!migration.name) throw new TypeError(`migration ${migration.version} has no name`);
    previous = migration.version;
  }
}
