// The pool and transaction helper: repositories run inside a transaction and share its fate.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADVISORY_LOCKS, withAdvisoryLock } from '../../../src/db/advisory-lock.js';
import {
  closePool,
  createPool,
  getCharge,
  recordCharge,
  withTransaction,
  type ChargeInput,
} from '../../../src/db/index.js';
import { startMigratedDatabase, type MigratedDatabase } from './migrated-database.js';

const charge = (invoiceNo: string): ChargeInput => ({
  merchantId: 'M1',
  invoiceNo,
  subscriptionId: 'sub-1',
  sequence: 1,
  kind: 'recurring',
  amountMinor: 100,
  currency: 'SGD',
  status: 'succeeded',
  respCode: '00',
});

describe('pool and transactions', () => {
  let db: MigratedDatabase;
  before(async () => {
    db = await startMigratedDatabase();
  });
  after(async () => {
    await db?.stop();
  });

  it('when the function resolves, then the repositories’ writes commit together', async () => {
    const result = await withTransaction(db.pool, async (client) => {
      await recordCharge(client, charge('TX-1'));
      await recordCharge(client, charge('TX-2'));
      return 'done';
    });
    assert.equal(result, 'done');
    assert.ok(await getCharge(db.pool, 'M1', 'TX-1'));
    assert.ok(await getCharge(db.pool, 'M1', 'TX-2'));
  });

  it('when the function throws, then every write rolls back and the error reaches the caller', async () => {
    await assert.rejects(
      withTransaction(db.pool, async (client) => {
        await recordCharge(client, charge('TX-ROLLBACK'));
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await getCharge(db.pool, 'M1', 'TX-ROLLBACK'), undefined);
    const { rows } = await db.pool.query<{ one: number }>('SELECT 1 AS one');
    assert.equal(rows[0]?.one, 1, 'the client went back to the pool usable');
  });

  it('when a pool is closed, then every connection has closed before closePool resolves', async () => {
    const pool = createPool(db.url);
    let opened = 0;
    let closed = 0;
    pool.on('connect', () => (opened += 1));
    pool.on('remove', () => (closed += 1));
    await Promise.all([1, 2, 3].map(() => pool.query('SELECT pg_sleep(0.02)')));
    assert.equal(opened, 3);
    await closePool(pool);
    assert.equal(closed, 3, 'a server stopped right after must not find a live connection');
  });

  // Chaos run: PostgreSQL stopped during a test-clock advance crashed the API with an unhandled 'error'.
  it('when the server ends a checked-out connection between queries, then the holder gets on and the process survives', async () => {
    const pool = createPool(db.url, { max: 4 });
    try {
      const terminate = async (client: { query(text: string): Promise<{ rows: Array<{ pid: number }> }> }) => {
        const { rows } = await client.query('SELECT pg_backend_pid() AS pid');
        await db.pool.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
        // The socket closes while no query runs: pg emits 'error' on the checked-out client.
        await new Promise((resolve) => setTimeout(resolve, 300));
      };
      await assert.rejects(
        withTransaction(pool, async (client) => {
          await terminate(client);
          return 'unreachable';
        }),
      );
      // The lock's own connection is ended while `fn` runs: fn's result still comes back, the connection goes.
      let lockPid = 0;
      const result = await withAdvisoryLock(pool, ADVISORY_LOCKS.testClock, 'exclusive', async () => {
        const { rows } = await db.pool.query<{ pid: number }>(
          `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted LIMIT 1`,
        );
        lockPid = rows[0]!.pid;
        await db.pool.query('SELECT pg_terminate_backend($1)', [lockPid]);
        await new Promise((resolve) => setTimeout(resolve, 300));
        return 'advanced';
      });
      assert.equal(result, 'advanced');
      assert.ok(lockPid > 0);
      assert.equal((await pool.query('SELECT 1 AS one')).rows[0].one, 1, 'the pool still serves queries');
    } finally {
      await closePool(pool);
    }
  });

  it('when the url is not a postgres url, then createPool throws a TypeError', () => {
    assert.throws(() => createPool('mysql://localhost/db'), TypeError);
  });
});
