// PostgreSQL advisory locks: one lock that every API process sees, held on its own connection for the
// length of a call and released with it (also when the connection dies, so a crashed holder never blocks).
import { Semaphore } from 'async-mutex';
import type pg from 'pg';
import { checkOut } from './pool.js';

/** The locks Recur takes, as (namespace, id) pairs of pg_advisory_lock's two-key form. */
export const ADVISORY_LOCKS = {
  /** Subscription starts (shared) against test-clock advances (exclusive); see advance-test-clock.ts. */
  testClock: [0x52435552, 1],
} as const satisfies Record<string, readonly [number, number]>;

const holders = new WeakMap<pg.Pool, Semaphore>();

/**
 * At most one holder fewer than the pool has connections: a holder keeps one connection for the lock and
 * needs another for `fn`, so as many holders as connections would each wait for a second one for ever
 * (ten concurrent subscription starts did that to the API's pool of ten).
 */
function holdersOf(pool: pg.Pool): Semaphore {
  let semaphore = holders.get(pool);
  if (!semaphore) {
    semaphore = new Semaphore(Math.max(1, (pool.options.max ?? 10) - 1));
    holders.set(pool, semaphore);
  }
  return semaphore;
}

/**
 * Runs `fn` holding the advisory lock `key`: `shared` holders run side by side, an `exclusive` holder
 * runs alone. The lock is taken on a connection of its own, which `fn` does not use; callers beyond the
 * pool's size minus one wait their turn before taking a connection.
 */
export async function withAdvisoryLock<T>(
  pool: pg.Pool,
  key: readonly [number, number],
  mode: 'shared' | 'exclusive',
  fn: () => Promise<T>,
): Promise<T> {
  return holdersOf(pool).runExclusive(() => holdingLock(pool, key, mode, fn));
}

async function holdingLock<T>(
  pool: pg.Pool,
  key: readonly [number, number],
  mode: 'shared' | 'exclusive',
  fn: () => Promise<T>,
): Promise<T> {
  const held = await checkOut(pool);
  const { client } = held;
  const suffix = mode === 'shared' ? '_shared' : '';
  // A connection whose lock or unlock failed is destroyed rather than reused: its session may hold the lock.
  let destroy: Error | undefined;
  try {
    await client.query(`SELECT pg_advisory_lock${suffix}($1, $2)`, [...key]).catch((error: Error) => {
      destroy = error;
      throw error;
    });
    try {
      return await fn();
    } finally {
      await client.query(`SELECT pg_advisory_unlock${suffix}($1, $2)`, [...key]).catch((error: Error) => {
        destroy = error;
      });
    }
  } finally {
    held.done();
    client.release(destroy ?? held.failure());
  }
}
