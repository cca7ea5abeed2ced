// Migrations: ordered, applied once, safe when two processes start at once, atomic per migration.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { closePool, createPool, migrate, MIGRATIONS, type Migration } from '../../../src/db/index.js';
import { startTestDatabase, type TestDatabase } from '../../support/postgres.js';

describe('migrate', () => {
  let server: TestDatabase;
  const created: string[] = [];
  const pools: pg.Pool[] = [];

  /** A new empty database on the test server, with a pool on it. */
  async function freshPool(): Promise<{ pool: pg.Pool; url: string }> {
    const name = `recur_mig_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    created.push(name);
    const url = new URL(server.url);
    url.pathname = `/${name}`;
    const pool = createPool(url.toString());
    pools.push(pool);
    return { pool, url: url.toString() };
  }

  before(async () => {
    server = await startTestDatabase();
  });

  after(async () => {
    await Promise.all(pools.map((p) => closePool(p)));
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    await server.stop();
  });

  it('when migrate runs on an empty database, then every migration applies in order and is recorded', async () => {
    const { pool } = await freshPool();
    const { applied } = await migrate(pool);
    assert.deepEqual(
      applied,
      MIGRATIONS.map((m) => ({ version: m.version, name: m.name })),
    );
    const { rows } = await pool.query<{ version: number; name: string }>(
      'SELECT version, name FROM schema_migrations ORDER BY version',
    );
    assert.deepEqual(rows, applied);
    const tables = await pool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    assert.deepEqual(
      tables.rows.map((t) => t.table_name),
      [
        'api_keys',
        'charges',
        'events',
        'gateway_exchanges',
        'idempotency_keys',
        'merchant_credentials',
        'merchants',
        'notifications',
        'refunds',
        'schema_migrations',
        'subscriptions',
        'webhook_attempts',
        'webhook_deliveries',
        'webhook_endpoints',
      ],
    );
  });

  it('when migration 5 runs over stored subscriptions, then ended ones lose their next charge date and others keep it', async () => {
    const { pool } = await freshPool();
    await migrate(
      pool,
      MIGRATIONS.filter((m) => m.version < 5),
    );
    for (const [id, status] of [
      ['ended', 'canceled'],
      ['running', 'active'],
    ]) {
      await pool.query(
        `INSERT INTO subscriptions (id, merchant_id, customer_id, status, currency, amount_minor, plan, invoice_prefix,
           workflow_id, state_version, next_charge_date)
         VALUES ($1, 'M1', 'c', $2, 'SGD', 100, '{}', 'RP', 'wf', 1, '2026-03-01')`,
        [id, status],
      );
    }
    assert.deepEqual(
      (
        await migrate(
          pool,
          MIGRATIONS.filter((m) => m.version <= 5),
        )
      ).applied.map((m) => m.version),
      [5],
    );
    const { rows } = await pool.query('SELECT id, next_charge_date::text AS next FROM subscriptions ORDER BY id');
    assert.deepEqual(rows, [
      { id: 'ended', next: null },
      { id: 'running', next: '2026-03-01' },
    ]);
  });

  it('when migration 6 runs over stored dunning reminders, then they become dunning.link_sent events with public ids, already dispatched', async () => {
    const { pool } = await freshPool();
    await migrate(
      pool,
      MIGRATIONS.filter((m) => m.version < 6),
    );
    await pool.query(
      `INSERT INTO subscription_events (merchant_id, subscription_id, type, dedupe_key, data)
       VALUES ('M1', 'sub-1', 'dunning_reminder', 'INV1#1', '{"reminder": 1}')`,
    );
    await migrate(pool);
    const { rows } = await pool.query<{ id: string; type: string; dispatched: boolean }>(
      'SELECT id, type, dispatched_at IS NOT NULL AS dispatched FROM events',
    );
    assert.equal(rows.length, 1);
    assert.match(rows[0]?.id ?? '', /^evt_[0-9a-f]{24}$/);
    assert.equal(rows[0]?.type, 'dunning.link_sent');
    assert.equal(rows[0]?.dispatched, true);
  });

  it('when migrate runs a second time, then it applies nothing and records nothing new', async () => {
    const { pool } = await freshPool();
    await migrate(pool);
    const second = await migrate(pool);
    assert.deepEqual(second.applied, []);
    const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM schema_migrations');
    assert.equal(Number(rows[0]?.n), MIGRATIONS.length);
  });

  it('when two processes migrate the same fresh database at once, then both succeed and each migration applies once', async () => {
    for (let round = 0; round < 3; round += 1) {
      const { url } = await freshPool();
      const a = createPool(url);
      const b = createPool(url);
      pools.push(a, b);
      const [first, second] = await Promise.all([migrate(a), migrate(b)]);
      const versions = [...first.applied, ...second.applied].map((m) => m.version).sort();
      assert.deepEqual(
        versions,
        MIGRATIONS.map((m) => m.version),
      );
      const { rows } = await a.query<{ n: string }>('SELECT count(*) AS n FROM schema_migrations');
      assert.equal(Number(rows[0]?.n), MIGRATIONS.length);
    }
  });

  it('when a migration fails, then its statements roll back, it is not recorded and the earlier ones stay', async () => {
    const { pool } = await freshPool();
    const migrations: Migration[] = [
      { version: 1, name: 'first', sql: 'CREATE TABLE first_table (id int)' },
      { version: 2, name: 'broken', sql: 'CREATE TABLE second_table (id int); SELECT 1 / 0' },
    ];
    await assert.rejects(migrate(pool, migrations), /migration 2 \(broken\) failed: division by zero/);
    const { rows } = await pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    assert.deepEqual(rows, [{ version: 1 }]);
    const second = await pool.query(`SELECT to_regclass('second_table') AS t`);
    assert.equal(second.rows[0]?.t, null);
  });

  it('when an applied version has another name in this build, then migrate refuses to go on', async () => {
    const { pool } = await freshPool();
    await migrate(pool, [{ version: 1, name: 'first', sql: 'CREATE TABLE t1 (id int)' }]);
    await assert.rejects(
      migrate(pool, [{ version: 1, name: 'renamed', sql: 'CREATE TABLE t1 (id int)' }]),
      /version 1 as "first", this build calls it "renamed"/,
    );
  });

  it('when migrations are not in ascending order, then migrate throws a TypeError before any query', async () => {
    const unreachable = createPool('postgres://nobody@127.0.0.1:1/none');
    try {
      await assert.rejects(
        migrate(unreachable, [
          { version: 2, name: 'b', sql: 'SELECT 1' },
          { version: 1, name: 'a', sql: 'SELECT 1' },
        ]),
        TypeError,
      );
    } finally {
      await closePool(unreachable);
    }
  });
});
