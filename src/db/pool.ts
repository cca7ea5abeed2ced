// The PostgreSQL connection pool and the transaction helper every repository runs inside.
import pg from 'pg';

/** Anything that runs a parameterised query: a pool, or a client inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

export interface PoolOptions {
  /** Most connections open at once (pg's default is 10). */
  max?: number;
  /** Shown in pg_stat_activity, so an operator can tell the worker from the API. */
  applicationName?: string;
  /** Called when an idle connection fails; the pool has already discarded it. */
  onError?: (error: Error) => void;
}

/** Opens a pool on a `postgres://` URL; nothing connects until the first query. */
export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  if (typeof url !== 'string' || !/^postgres(ql)?:\/\//.test(url)) {
    throw new TypeError('database url must start with postgres:// or postgresql://');
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max,
    application_name: options.applicationName ?? 'recur',
  });
  // Without a listener an idle connection dropped by the server would crash the process.
  const onError =
    options.onError ?? ((error: Error) => process.emitWarning(`idle PostgreSQL connection failed: ${error.message}`));
  pool.on('error', onError);
  return pool;
}

/**
 * Checks a client out of the pool with a listener for its 'error' event: pg-pool listens only while a client
 * is idle, so a server that goes away while one is checked out (and between queries) would otherwise
 * crash the process with an unhandled 'error'. `failure()` is that error, for `release(failure())`.
 */
export async function checkOut(
  pool: pg.Pool,
): Promise<{ client: pg.PoolClient; failure(): Error | undefined; done(): void }> {
  const client = await pool.connect();
  let failed: Error | undefined;
  const onError = (error: Error) => {
    failed = error;
  };
  client.on('error', onError);
  return { client, failure: () => failed, done: () => client.off('error', onError) };
}

/** Runs `fn` in one transaction on one client: commits when it resolves, rolls back when it throws. */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const held = await checkOut(pool);
  const { client } = held;
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      // A client that cannot roll back is in an unknown state: destroy it rather than reuse it.
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    }
    throw error;
  } finally {
    held.done();
    client.release(broken ?? held.failure());
  }
}

/** Ends a pool and waits until every connection has closed (pool.end() alone resolves before sockets close). */
export async function closePool(pool: pg.Pool, timeoutMs = 5_000): Promise<void> {
  let remaining = pool.totalCount;
  let onRemove: (() => void) | undefined;
  const closed = new Promise<void>((resolve) => {
    if (remaining === 0) return resolve();
    // A connection that fails while opening leaves without a 'remove' event, hence the timer.
    const timer = setTimeout(resolve, timeoutMs);
    timer.unref();
    onRemove = () => {
      remaining -= 1;
      if (remaining <= 0) {
        clearTimeout(timer);
        resolve();
      }
    };
    pool.on('remove', onRemove);
  });
  await pool.end();
  await closed;
  if (onRemove) pool.off('remove', onRemove);
}
