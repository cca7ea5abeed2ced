// The audit trail: gateway exchanges are append-only; notifications are stored once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  listExchanges,
  notificationDedupeKey,
  recordExchange,
  recordNotification,
  sha256Hex,
  type ExchangeInput,
} from '../../../src/db/index.js';
import { startMigratedDatabase, type MigratedDatabase } from './migrated-database.js';

function exchange(overrides: Partial<ExchangeInput> = {}): ExchangeInput {
  return {
    merchantId: 'M1',
    subscriptionId: 'sub-1',
    operation: 'paymentToken',
    url: 'http://127.0.0.1/payment/4.3/paymentToken',
    startedAt: '2026-01-31T10:00:00.000Z',
    durationMs: 12.6,
    httpStatus: 200,
    request: { invoiceNo: 'INV1', customerToken: ['a', 'b'] },
    response: { respCode: '0000' },
    activityRef: 'subscription/M1/sub-1/3#1',
    ...overrides,
  };
}

let db: MigratedDatabase;
before(async () => {
  db = await startMigratedDatabase();
});
after(async () => {
  await db?.stop();
});

describe('gateway exchange repository', () => {
  it('when exchanges are recorded, then they list by subscription in order with their JSON intact', async () => {
    const first = await recordExchange(db.pool, exchange());
    const failed = await recordExchange(
      db.pool,
      exchange({
        operation: 'paymentInquiry',
        httpStatus: null,
        response: undefined,
        error: { code: 'ERR_GATEWAY_TIMEOUT', message: 'timed out' },
      }),
    );
    await recordExchange(db.pool, exchange({ subscriptionId: 'sub-other' }));
    await recordExchange(db.pool, exchange({ subscriptionId: null, operation: 'balanceInquiry' }));
    const listed = await listExchanges(db.pool, 'sub-1');
    assert.deepEqual(
      listed.map((e) => e.id),
      [first.id, failed.id],
    );
    assert.deepEqual(listed[0]?.request, { invoiceNo: 'INV1', customerToken: ['a', 'b'] });
    assert.equal(listed[0]?.durationMs, 13);
    assert.equal(listed[0]?.startedAt, '2026-01-31T10:00:00.000Z');
    assert.equal(listed[1]?.httpStatus, null);
    assert.equal(listed[1]?.response, null);
    assert.deepEqual(listed[1]?.error, { code: 'ERR_GATEWAY_TIMEOUT', message: 'timed out' });
    assert.deepEqual(
      (await listExchanges(db.pool, 'sub-1', { afterId: first.id })).map((e) => e.id),
      [failed.id],
    );
    assert.equal((await listExchanges(db.pool, 'sub-1', { limit: 1 })).length, 1);
  });

  it('when something tries to rewrite an exchange, then the database refuses', async () => {
    const row = await recordExchange(db.pool, exchange());
    await assert.rejects(
      db.pool.query(`UPDATE gateway_exchanges SET response = '{}' WHERE id = $1`, [row.id]),
      (error: { code?: string }) => error.code === '23001',
    );
  });
});

describe('notification repository', () => {
  const input = (rawToken: string) => ({
    rawToken,
    merchantId: 'M1',
    invoiceNo: 'RABC0000000100001',
    respCode: '0000',
    payload: { invoiceNo: 'RABC0000000100001', respCode: '0000', amount: 30 },
    subscriptionId: 'sub-1',
  });

  it('when the same token arrives twice, then it is stored once and the second call says so', async () => {
    const first = await recordNotification(db.pool, input('header.payload.sig-1'));
    const second = await recordNotification(db.pool, input('header.payload.sig-1'));
    assert.equal(first.inserted, true);
    assert.equal(second.inserted, false);
    assert.deepEqual(second.row, first.row);
    assert.equal(first.row.dedupeKey, sha256Hex('header.payload.sig-1'));
    assert.equal(first.row.dedupeKey, notificationDedupeKey('header.payload.sig-1'));
    assert.deepEqual(first.row.payload, input('x').payload);
  });

  it('when duplicates race, then exactly one is inserted', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => recordNotification(db.pool, input('raced-token'))),
    );
    assert.equal(results.filter((r) => r.inserted).length, 1);
    assert.equal(new Set(results.map((r) => r.row.id)).size, 1);
  });

  it('when two different tokens report the same invoice, then both are kept', async () => {
    const a = await recordNotification(db.pool, input('token-a'));
    const b = await recordNotification(db.pool, input('token-b'));
    assert.equal(a.inserted && b.inserted, true);
    assert.notEqual(a.row.id, b.row.id);
  });

  it('when a notification is stored, then the raw token itself is nowhere in the table', async () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.secret-payload.signature';
    await recordNotification(db.pool, input(token));
    const { rows } = await db.pool.query<{ t: string }>('SELECT row_to_json(n)::text AS t FROM notifications n');
    assert.ok(rows.length > 0);
    for (const { t } of rows) assert.ok(!t.includes(token));
  });
});
