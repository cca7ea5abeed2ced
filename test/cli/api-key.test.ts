// `recur api-key create`: a merchant's API key in the app database, printed once or kept in a file.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { closePool, createPool, findMerchantByApiKey } from '../../src/db/index.js';
import { startTestDatabase, type TestDatabase } from '../support/postgres.js';
import { recur } from './support.js';

describe('recur api-key create', () => {
  let db: TestDatabase;
  let dir: string;
  before(async () => {
    db = await startTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'recur-api-key-'));
  });
  after(async () => {
    await db?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when run without --file, then it prints a sandbox (rk_test_) key that authenticates as that merchant', async () => {
    const result = await recur(['api-key', 'create', 'MERCHANT01'], { DATABASE_URL: db.url });
    assert.equal(result.code, 0, result.stderr);
    const key = result.stdout.trim().split('\n').at(-1) ?? '';
    assert.match(key, /^rk_test_/);
    const pool = createPool(db.url);
    try {
      assert.equal((await findMerchantByApiKey(pool, key))?.merchantId, 'MERCHANT01');
      const { rows } = await pool.query<{ key_hash: string }>('SELECT key_hash FROM api_keys');
      assert.ok(
        rows.every((r) => r.key_hash !== key),
        'only the hash is stored',
      );
    } finally {
      await closePool(pool);
    }
  });

  it('when run with --live for a deployment on real 2C2P, then the key is rk_live_ and authenticates', async () => {
    const result = await recur(['api-key', 'create', 'MERCHANT04', '--live'], { DATABASE_URL: db.url });
    assert.equal(result.code, 0, result.stderr);
    const key = result.stdout.trim().split('\n').at(-1) ?? '';
    assert.match(key, /^rk_live_/);
    const pool = createPool(db.url);
    try {
      assert.equal((await findMerchantByApiKey(pool, key))?.merchantId, 'MERCHANT04');
    } finally {
      await closePool(pool);
    }
  });

  it('when run twice with --file, then the key is written once (0600), reused, and never printed', async () => {
    const file = join(dir, 'api-key');
    const first = await recur(['api-key', 'create', 'MERCHANT02', '--file', file], { DATABASE_URL: db.url });
    assert.equal(first.code, 0, first.stderr);
    const key = readFileSync(file, 'utf8').trim();
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.ok(!first.stdout.includes(key));
    const second = await recur(['api-key', 'create', 'MERCHANT02', '--file', file], { DATABASE_URL: db.url });
    assert.equal(second.code, 0, second.stderr);
    assert.equal(readFileSync(file, 'utf8').trim(), key);
  });

  it('when DATABASE_URL or the merchant is missing, then one usage line and exit 2', async () => {
    const noDatabase = await recur(['api-key', 'create', 'MERCHANT03'], {});
    assert.equal(noDatabase.code, 2);
    assert.match(noDatabase.stderr, /DATABASE_URL/);
    const noMerchant = await recur(['api-key', 'create'], { DATABASE_URL: db.url });
    assert.equal(noMerchant.code, 2);
    assert.match(noMerchant.stderr, /usage: recur api-key create/);
    assert.equal(noMerchant.stderr.trim().split('\n').length, 1);
  });
});
