// The scheduled Idempotency-Key purge: once at start, then on its interval; failures are logged, never thrown.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startIdempotencyPurge, type PurgeLog } from '../../../src/api/idempotency-purge.js';
import { closePool, createPool } from '../../../src/db/index.js';
import { freePort } from '../../../src/db/embedded-postgres.js';
import { startMigratedDatabase, type MigratedDatabase } from './migrated-database.js';

const HOUR = 3_600_000;

/** A logger that keeps what it was told. */
function recordingLog() {
  const lines: { level: 'info' | 'error'; fields: Record<string, unknown>; message: string }[] = [];
  const log: PurgeLog = {
    info: (fields, message) => lines.push({ level: 'info', fields: fields as Record<string, unknown>, message }),
    error: (fields, message) => lines.push({ level: 'error', fields: fields as Record<string, unknown>, message }),
  };
  return { log, lines };
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('idempotency purge', () => {
  let db: MigratedDatabase;
  before(async () => {
    db = await startMigratedDatabase();
  });
  after(async () => {
    await db?.stop();
  });

  const insertKey = (key: string, ageMs: number) =>
    db.pool.query(
      `INSERT INTO idempotency_keys (merchant_id, key, request_hash, state, created_at)
       VALUES ('M1', $1, 'h', 'in_progress', now() - ($2::double precision * interval '1 millisecond'))`,
      [key, ageMs],
    );
  const keys = async () =>
    (await db.pool.query<{ key: string }>('SELECT key FROM idempotency_keys ORDER BY key')).rows.map((r) => r.key);

  it('when the purge starts, then records past retention go at once and newer ones stay', async () => {
    await db.pool.query('DELETE FROM idempotency_keys');
    await insertKey('old-1', 25 * HOUR);
    await insertKey('old-2', 48 * HOUR);
    await insertKey('fresh', HOUR);
    const { log, lines } = recordingLog();
    const purge = startIdempotencyPurge(db.pool, { everyMs: HOUR, retentionMs: 24 * HOUR, log });
    await eventually(async () => (await keys()).length === 1, 'the first purge');
    await purge.stop();
    assert.deepEqual(await keys(), ['fresh']);
    assert.deepEqual(lines, [
      { level: 'info', fields: { deleted: 2 }, message: 'purged expired Idempotency-Key records' },
    ]);
  });

  it('when the interval passes, then the purge runs again; after stop, it does not', async () => {
    await db.pool.query('DELETE FROM idempotency_keys');
    const { log } = recordingLog();
    const purge = startIdempotencyPurge(db.pool, { everyMs: 50, retentionMs: HOUR, log });
    await insertKey('expired-later', 2 * HOUR);
    await eventually(async () => (await keys()).length === 0, 'a later purge');
    await purge.stop();
    await insertKey('after-stop', 2 * HOUR);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(await keys(), ['after-stop']);
  });

  it('when the database cannot be reached, then each failure is logged and nothing is thrown', async () => {
    const unreachable = createPool(`postgres://nobody:nothing@127.0.0.1:${await freePort()}/none`);
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const { log, lines } = recordingLog();
      const purge = startIdempotencyPurge(unreachable, { everyMs: 50, retentionMs: HOUR, log });
      await eventually(async () => lines.filter((l) => l.level === 'error').length >= 2, 'two logged failures');
      await purge.stop();
      assert.ok(lines.every((l) => l.level === 'error' && l.message === 'could not purge Idempotency-Key records'));
      assert.ok(lines[0]?.fields.err instanceof Error);
      assert.deepEqual(rejections, []);
    } finally {
      process.off('unhandledRejection', onRejection);
      await closePool(unreachable);
    }
  });

  it('when the schedule is not a positive whole number of milliseconds, then a RangeError is thrown before any query', () => {
    const { log, lines } = recordingLog();
    assert.throws(() => startIdempotencyPurge(db.pool, { everyMs: 0, retentionMs: HOUR, log }), RangeError);
    assert.throws(() => startIdempotencyPurge(db.pool, { everyMs: HOUR, retentionMs: Number.NaN, log }), RangeError);
    assert.deepEqual(lines, []);
  });
});
