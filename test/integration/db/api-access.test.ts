// API access: keys stored only as hashes and scoped to a merchant; Idempotency-Key claims, replays and refusals.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  abandonIdempotent,
  beginIdempotent,
  completeIdempotent,
  createApiKey,
  findMerchantByApiKey,
  getMerchant,
  listApiKeys,
  purgeIdempotencyKeys,
  revokeApiKey,
  sha256Hex,
  upsertMerchant,
} from '../../../src/db/index.js';
import { devApiKey } from '../../../src/dev/dev-api-key.js';
import { startMigratedDatabase, type MigratedDatabase } from './migrated-database.js';

let db: MigratedDatabase;
before(async () => {
  db = await startMigratedDatabase();
});
after(async () => {
  await db?.stop();
});

describe('api key repository', () => {
  it('when a key is created, then the plaintext is returned once and only its hash is stored', async () => {
    await upsertMerchant(db.pool, { id: 'JT01', name: 'Jolly Toys' });
    const created = await createApiKey(db.pool, 'JT01', { mode: 'test' });
    assert.match(created.key, /^rk_test_[A-Za-z0-9_-]{43}$/);
    assert.ok(created.key.startsWith(created.prefix));
    assert.ok(!('keyHash' in created));
    const secretPart = created.key.slice('rk_test_'.length);
    const { rows } = await db.pool.query<{ t: string; key_hash: string }>(
      'SELECT row_to_json(k)::text AS t, key_hash FROM api_keys k WHERE id = $1',
      [created.id],
    );
    assert.equal(rows.length, 1);
    assert.ok(!rows[0]!.t.includes(secretPart), 'the plaintext key must not be stored');
    assert.equal(rows[0]!.key_hash, sha256Hex(created.key));
    assert.equal((await getMerchant(db.pool, 'JT01'))?.name, 'Jolly Toys', 'an existing merchant keeps its name');
  });

  it('when a key is presented, then it resolves to its merchant; a wrong or malformed key resolves to nothing', async () => {
    const a = await createApiKey(db.pool, 'MA', { mode: 'test' });
    const b = await createApiKey(db.pool, 'MB', { mode: 'live' });
    assert.deepEqual(await findMerchantByApiKey(db.pool, a.key), { merchantId: 'MA', keyId: a.id });
    assert.deepEqual(await findMerchantByApiKey(db.pool, b.key), { merchantId: 'MB', keyId: b.id });
    const tampered = a.key.slice(0, -1) + (a.key.endsWith('A') ? 'B' : 'A');
    assert.equal(await findMerchantByApiKey(db.pool, tampered), undefined);
    assert.equal(await findMerchantByApiKey(db.pool, ''), undefined);
    assert.equal(await findMerchantByApiKey(db.pool, `Bearer ${a.key}`), undefined);
    assert.equal(await findMerchantByApiKey(db.pool, sha256Hex(a.key)), undefined, 'the hash is not a key');
    assert.equal((await getMerchant(db.pool, 'MA'))?.name, 'MA', 'an unknown merchant is created, named after its id');
  });

  it('when a key is revoked, then it is refused while the merchant’s other keys still work', async () => {
    const old = await createApiKey(db.pool, 'MR', { mode: 'test' });
    const current = await createApiKey(db.pool, 'MR', { mode: 'test' });
    assert.equal(await revokeApiKey(db.pool, old.id), true);
    assert.equal(await revokeApiKey(db.pool, old.id), false);
    assert.equal(await findMerchantByApiKey(db.pool, old.key), undefined);
    assert.equal((await findMerchantByApiKey(db.pool, current.key))?.merchantId, 'MR');
    const listed = await listApiKeys(db.pool, 'MR');
    assert.equal(listed.length, 2);
    assert.ok(listed.find((k) => k.id === old.id)?.revokedAt);
    assert.equal(listed.find((k) => k.id === current.id)?.revokedAt, null);
  });
});

describe('api key modes', () => {
  it('when keys are created for the sandbox and for real 2C2P, then they are rk_test_ and rk_live_ and both authenticate', async () => {
    const test = await createApiKey(db.pool, 'MODE01', { mode: 'test' });
    const live = await createApiKey(db.pool, 'MODE01', { mode: 'live' });
    assert.match(test.key, /^rk_test_[A-Za-z0-9_-]{43}$/);
    assert.match(live.key, /^rk_live_[A-Za-z0-9_-]{43}$/);
    assert.equal(test.prefix, test.key.slice(0, 14));
    assert.equal(live.prefix, live.key.slice(0, 14));
    assert.equal((await findMerchantByApiKey(db.pool, test.key))?.merchantId, 'MODE01');
    assert.equal((await findMerchantByApiKey(db.pool, live.key))?.merchantId, 'MODE01');
    const otherPrefix = `rk_prod_${test.key.slice('rk_test_'.length)}`;
    assert.equal(await findMerchantByApiKey(db.pool, otherPrefix), undefined, 'only the two prefixes are keys');
  });

  it('when the mode is neither test nor live, then createApiKey throws a TypeError before any query', async () => {
    const noQueries = {
      query: () => {
        throw new Error('no query may run');
      },
    } as unknown as typeof db.pool;
    await assert.rejects(createApiKey(noQueries, 'MODE02', { mode: 'prod' as 'live' }), TypeError);
    await assert.rejects(createApiKey(noQueries, 'MODE02', undefined as unknown as { mode: 'live' }), TypeError);
  });
});

describe('dev API key', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'recur-dev-key-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('when the dev stack runs on the sandbox, then its key is rk_test_ and is reused across restarts', async () => {
    const file = join(dir, 'sandbox-key');
    const first = await devApiKey(db.pool, 'DEV01', file);
    assert.match(first, /^rk_test_/);
    assert.equal(readFileSync(file, 'utf8').trim(), first);
    assert.equal(await devApiKey(db.pool, 'DEV01', file, { mode: 'test' }), first);
  });

  it('when the dev stack moves from the sandbox to real 2C2P, then a new rk_live_ key replaces the stored test key', async () => {
    const file = join(dir, 'moved-key');
    const sandboxKey = await devApiKey(db.pool, 'DEV02', file, { mode: 'test' });
    const liveKey = await devApiKey(db.pool, 'DEV02', file, { mode: 'live' });
    assert.match(liveKey, /^rk_live_/);
    assert.notEqual(liveKey, sandboxKey);
    assert.equal(readFileSync(file, 'utf8').trim(), liveKey);
    assert.equal((await findMerchantByApiKey(db.pool, liveKey))?.merchantId, 'DEV02');
  });

  it('when the stored key belongs to no merchant in the database, then a new one is created', async () => {
    const file = join(dir, 'stale-key');
    writeFileSync(file, `rk_test_${'A'.repeat(43)}\n`);
    const key = await devApiKey(db.pool, 'DEV03', file);
    assert.notEqual(key, `rk_test_${'A'.repeat(43)}`);
    assert.equal((await findMerchantByApiKey(db.pool, key))?.merchantId, 'DEV03');
  });
});

describe('idempotency key repository', () => {
  const ref = (key: string, requestHash = 'hash-1') => ({ merchantId: 'M1', key, requestHash });

  it('when a key is new, then the request may run, and a retry while it runs is told it is in progress', async () => {
    assert.deepEqual(await beginIdempotent(db.pool, ref('k-new')), { kind: 'new' });
    assert.deepEqual(await beginIdempotent(db.pool, ref('k-new')), { kind: 'in_progress' });
  });

  it('when the request completed, then the same key and body replay its answer', async () => {
    await beginIdempotent(db.pool, ref('k-done'));
    const body = { id: 'sub-1', status: 'pending_payment', items: [1, 2] };
    assert.equal(await completeIdempotent(db.pool, { merchantId: 'M1', key: 'k-done', status: 201, body }), true);
    assert.deepEqual(await beginIdempotent(db.pool, ref('k-done')), { kind: 'replay', status: 201, body });
    assert.equal(await completeIdempotent(db.pool, { merchantId: 'M1', key: 'k-done', status: 500, body: {} }), false);
  });

  it('when the same key comes with another body, then it is a mismatch, running or completed', async () => {
    await beginIdempotent(db.pool, ref('k-mis'));
    assert.deepEqual(await beginIdempotent(db.pool, ref('k-mis', 'hash-2')), { kind: 'mismatch' });
    await completeIdempotent(db.pool, { merchantId: 'M1', key: 'k-mis', status: 200, body: null });
    assert.deepEqual(await beginIdempotent(db.pool, ref('k-mis', 'hash-2')), { kind: 'mismatch' });
  });

  it('when a request failed with a 5xx and was abandoned, then a retry with the same key runs again', async () => {
    await beginIdempotent(db.pool, ref('k-5xx'));
    assert.equal(await abandonIdempotent(db.pool, { merchantId: 'M1', key: 'k-5xx' }), true);
    assert.deepEqual(await beginIdempotent(db.pool, ref('k-5xx', 'hash-other')), { kind: 'new' });
  });

  it('when two merchants use the same key, then they do not interfere', async () => {
    await beginIdempotent(db.pool, ref('k-shared'));
    const other = await beginIdempotent(db.pool, { merchantId: 'M2', key: 'k-shared', requestHash: 'hash-9' });
    assert.deepEqual(other, { kind: 'new' });
  });

  it('when ten identical requests race, then exactly one runs and the rest are told it is in progress', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => beginIdempotent(db.pool, ref('k-race'))));
    assert.equal(results.filter((r) => r.kind === 'new').length, 1);
    assert.equal(results.filter((r) => r.kind === 'in_progress').length, 9);
  });

  it('when a claim was left in progress by a crashed process, then after the stale period one retry takes it over', async () => {
    await beginIdempotent(db.pool, ref('k-stale'));
    await db.pool.query(`UPDATE idempotency_keys SET created_at = now() - interval '1 hour' WHERE key = 'k-stale'`);
    const results = await Promise.all(Array.from({ length: 5 }, () => beginIdempotent(db.pool, ref('k-stale'))));
    assert.equal(results.filter((r) => r.kind === 'new').length, 1);
    assert.deepEqual(await beginIdempotent(db.pool, { ...ref('k-stale'), staleAfterMs: 60_000 }), {
      kind: 'in_progress',
    });
  });

  it('when old records are purged, then only those before the cut-off go', async () => {
    await beginIdempotent(db.pool, ref('k-old'));
    await db.pool.query(`UPDATE idempotency_keys SET created_at = now() - interval '2 days' WHERE key = 'k-old'`);
    const purged = await purgeIdempotencyKeys(db.pool, new Date(Date.now() - 86_400_000));
    assert.equal(purged, 1);
    assert.deepEqual(await beginIdempotent(db.pool, ref('k-old')), { kind: 'new' });
  });

  it('when a key is empty or too long, then a RangeError is thrown before any query', async () => {
    await assert.rejects(beginIdempotent(db.pool, ref('')), RangeError);
    await assert.rejects(beginIdempotent(db.pool, ref('x'.repeat(256))), RangeError);
  });
});
