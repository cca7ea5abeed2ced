// Advisory locks under load: more holders than the pool has connections take turns instead of deadlocking.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADVISORY_LOCKS, withAdvisoryLock } from '../../../src/db/advisory-lock.js';
import { closePool, createPool } from '../../../src/db/index.js';
import { startMigratedDatabase, type MigratedDatabase } from './migrated-database.js';

describe('advisory locks', () => {
  let db: MigratedDatabase;
  before(async () => {
    db = await startMigratedDatabase();
  });
  after(async () => {
    await db?.stop();
  });

  // Live-subscriptions bench: 16 concurrent starts held all ten API connections for the lock, each waiting
  // for an eleventh to insert its row; the API never answered again.
  it('when more callers than the pool has connections hold the lock and query, then every one finishes', async () => {
    const pool = createPool(db.url, { max: 4 });
    // A caller that waits this long for a connection fails instead of waiting for ever: a deadlock shows as
    // rejections here rather than as a hung test.
    pool.options.connectionTimeoutMillis = 5000;
    try {
      let most = 0;
      let holding = 0;
      const callers = Array.from({ length: 12 }, (_, i) =>
        withAdvisoryLock(pool, ADVISORY_LOCKS.testClock, i === 5 ? 'exclusive' : 'shared', async () => {
          most = Math.max(most, (holding += 1));
          const { rows } = await pool.query<{ n: number }>('SELECT $1::int AS n, pg_sleep(0.05)', [i]);
          holding -= 1;
          return rows[0]?.n;
        }),
      );
      const settled = await Promise.allSettled(callers);
      assert.deepEqual(
        settled.map((s) => (s.status === 'fulfilled' ? s.value : String(s.reason))),
        [...Array(12).keys()],
      );
      assert.ok(most <= 3, `at most pool size − 1 hold the lock at once (saw ${most})`);
    } finally {
      await closePool(pool);
    }
  });
});
