// Refunds: one row per idempotency id; statuses only move forward, whatever order retries arrive in.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getRefund, listRefunds, upsertRefund, type RefundInput, type RefundStatus } from '../../../src/db/index.js';
import { startMigratedDatabase, type MigratedDatabase } from './migrated-database.js';

function refund(overrides: Partial<RefundInput> = {}): RefundInput {
  return {
    idempotencyId: 'rf-1',
    merchantId: 'M1',
    subscriptionId: 'sub-1',
    invoiceNo: 'RABC0000000100001',
    amountMinor: 1500,
    currency: 'SGD',
    reason: 'cancel_prorated',
    status: 'requested',
    ...overrides,
  };
}

describe('refund repository', () => {
  let db: MigratedDatabase;
  before(async () => {
    db = await startMigratedDatabase();
  });
  after(async () => {
    await db?.stop();
  });

  it('when a refund moves through its statuses, then each forward step is stored', async () => {
    const id = 'rf-forward';
    const steps: RefundStatus[] = ['requested', 'waiting_settlement', 'pending', 'succeeded'];
    for (const [i, status] of steps.entries()) {
      const referenceNo = status === 'pending' ? 'REF9' : undefined;
      const result = await upsertRefund(db.pool, refund({ idempotencyId: id, status, referenceNo }));
      assert.equal(result.inserted, i === 0);
      assert.equal(result.updated, i > 0);
      assert.equal(result.row.status, status);
    }
    const row = await getRefund(db.pool, id);
    assert.equal(row?.referenceNo, 'REF9', 'a later write without a reference keeps the earlier one');
    assert.equal(row?.amountMinor, 1500);
  });

  it('when an older status arrives after a newer one, then the newer status stays', async () => {
    const id = 'rf-back';
    await upsertRefund(db.pool, refund({ idempotencyId: id, status: 'pending', respCode: '42' }));
    for (const status of ['requested', 'waiting_settlement', 'pending'] as const) {
      const result = await upsertRefund(db.pool, refund({ idempotencyId: id, status, respCode: 'xx' }));
      assert.equal(result.updated, false);
      assert.equal(result.row.status, 'pending');
      assert.equal(result.row.respCode, '42');
    }
  });

  it('when a refund is final, then neither the other final status nor an earlier one replaces it', async () => {
    const id = 'rf-final';
    await upsertRefund(db.pool, refund({ idempotencyId: id, status: 'failed', respCode: '15' }));
    const after = await upsertRefund(db.pool, refund({ idempotencyId: id, status: 'succeeded', respCode: '00' }));
    assert.equal(after.updated, false);
    assert.equal(after.row.status, 'failed');
  });

  it('when the first write is retried with a different amount, then the stored amount is kept', async () => {
    const id = 'rf-amount';
    await upsertRefund(db.pool, refund({ idempotencyId: id }));
    const retried = await upsertRefund(db.pool, refund({ idempotencyId: id, amountMinor: 9999, status: 'pending' }));
    assert.equal(retried.row.amountMinor, 1500);
    assert.equal(retried.row.status, 'pending');
  });

  it('when concurrent writes race, then the furthest status wins', async () => {
    const id = 'rf-race';
    const statuses: RefundStatus[] = [
      'pending',
      'requested',
      'succeeded',
      'waiting_settlement',
      'pending',
      'requested',
    ];
    await Promise.all(statuses.map((status) => upsertRefund(db.pool, refund({ idempotencyId: id, status }))));
    assert.equal((await getRefund(db.pool, id))?.status, 'succeeded');
  });

  it('when another merchant reuses an idempotency id, then the write is refused', async () => {
    await upsertRefund(db.pool, refund({ idempotencyId: 'rf-owned' }));
    await assert.rejects(
      upsertRefund(db.pool, refund({ idempotencyId: 'rf-owned', merchantId: 'M2', status: 'succeeded' })),
      /another merchant/,
    );
    assert.equal((await getRefund(db.pool, 'rf-owned'))?.status, 'requested');
  });

  it('when a subscription has refunds, then they list oldest first', async () => {
    await upsertRefund(
      db.pool,
      refund({ idempotencyId: 'b', subscriptionId: 'sub-l', createdAt: '2026-03-02T00:00:00Z' }),
    );
    await upsertRefund(
      db.pool,
      refund({ idempotencyId: 'a', subscriptionId: 'sub-l', createdAt: '2026-03-03T00:00:00Z' }),
    );
    await upsertRefund(
      db.pool,
      refund({ idempotencyId: 'c', subscriptionId: 'sub-l', createdAt: '2026-03-01T00:00:00Z' }),
    );
    assert.deepEqual(
      (await listRefunds(db.pool, 'sub-l')).map((r) => r.idempotencyId),
      ['c', 'b', 'a'],
    );
  });

  it('when a refund amount is zero, then a RangeError is thrown before any write', async () => {
    await assert.rejects(upsertRefund(db.pool, refund({ idempotencyId: 'rf-zero', amountMinor: 0 })), RangeError);
    assert.equal(await getRefund(db.pool, 'rf-zero'), undefined);
  });
});
