// Subscriptions projection: newer state wins, reads are scoped, pages are keyset-stable.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  findSubscriptionByInvoice,
  getSubscription,
  listSubscriptions,
  upsertSubscription,
  type SubscriptionUpsert,
} from '../../../src/db/index.js';
import { startMigratedDatabase, type MigratedDatabase } from './migrated-database.js';

let counter = 0;
function subscription(overrides: Partial<SubscriptionUpsert> = {}): SubscriptionUpsert {
  counter += 1;
  const id = overrides.id ?? `sub-${counter}`;
  return {
    id,
    merchantId: 'M1',
    customerId: 'cust-1',
    status: 'pending_payment',
    currency: 'SGD',
    amountMinor: 3000,
    plan: { amountMinor: 3000, currency: 'SGD', interval: { kind: 'day-of-month', day: 31 }, recurringCount: 12 },
    invoicePrefix: `R${String(counter).padStart(11, '0')}`,
    workflowId: `subscription/M1/${id}`,
    stateVersion: 1,
    ...overrides,
  };
}

describe('subscription repository', () => {
  let db: MigratedDatabase;
  before(async () => {
    db = await startMigratedDatabase();
  });
  after(async () => {
    await db?.stop();
  });

  it('when a subscription is first saved, then it reads back as plain values', async () => {
    const input = subscription({ nextChargeDate: '2026-02-28', createdAt: '2026-01-31T10:00:00.123Z' });
    const { applied, row } = await upsertSubscription(db.pool, input);
    assert.equal(applied, true);
    assert.deepEqual(await getSubscription(db.pool, input.id), row);
    assert.equal(row.amountMinor, 3000);
    assert.equal(row.stateVersion, 1);
    assert.equal(row.nextChargeDate, '2026-02-28');
    assert.equal(row.createdAt, '2026-01-31T10:00:00.123Z');
    assert.deepEqual(row.plan, input.plan);
    assert.equal(row.recurringUniqueId, null);
    assert.equal(row.closedAt, null);
  });

  it('when an older state_version arrives after a newer one, then the newer state stays', async () => {
    const base = subscription();
    await upsertSubscription(db.pool, { ...base, status: 'active', stateVersion: 5, recurringUniqueId: 'RU5' });
    const stale = await upsertSubscription(db.pool, { ...base, status: 'pending_payment', stateVersion: 3 });
    assert.equal(stale.applied, false);
    assert.equal(stale.row.status, 'active');
    assert.equal(stale.row.stateVersion, 5);
    const same = await upsertSubscription(db.pool, { ...base, status: 'past_due', stateVersion: 5 });
    assert.equal(same.applied, false, 'an equal version is not newer');
    const newer = await upsertSubscription(db.pool, { ...base, status: 'past_due', stateVersion: 6 });
    assert.equal(newer.applied, true);
    assert.equal((await getSubscription(db.pool, base.id))?.status, 'past_due');
  });

  it('when versions arrive concurrently in any order, then the highest one is stored', async () => {
    const base = subscription();
    const versions = [4, 9, 1, 7, 3, 8, 2, 6, 5, 10];
    await Promise.all(
      versions.map((v) => upsertSubscription(db.pool, { ...base, stateVersion: v, amountMinor: v * 100 })),
    );
    const row = await getSubscription(db.pool, base.id);
    assert.equal(row?.stateVersion, 10);
    assert.equal(row?.amountMinor, 1000);
  });

  it('when a subscription reaches a terminal status, then closed_at is set once and kept', async () => {
    const base = subscription();
    await upsertSubscription(db.pool, { ...base, status: 'active', stateVersion: 1 });
    const closed = await upsertSubscription(db.pool, { ...base, status: 'canceled', stateVersion: 2 });
    assert.ok(closed.row.closedAt);
    const later = await upsertSubscription(db.pool, { ...base, status: 'canceled', stateVersion: 3 });
    assert.equal(later.row.closedAt, closed.row.closedAt);
    assert.equal(later.row.createdAt, closed.row.createdAt);
  });

  it('when a subscription ends, then its next charge date is cleared even if the writer still sends one', async () => {
    const base = subscription({ nextChargeDate: '2026-03-01' });
    assert.equal((await upsertSubscription(db.pool, { ...base, status: 'active' })).row.nextChargeDate, '2026-03-01');
    for (const [version, status] of [
      [2, 'canceled'],
      [3, 'unpaid'],
      [4, 'completed'],
    ] as const) {
      const { row } = await upsertSubscription(db.pool, { ...base, status, stateVersion: version });
      assert.equal(row.nextChargeDate, null, status);
    }
    const first = await upsertSubscription(
      db.pool,
      subscription({ status: 'incomplete', nextChargeDate: '2026-03-01' }),
    );
    assert.equal(first.row.nextChargeDate, null, 'the first write of an ended subscription too');
  });

  it('when a subscription needs attention, then its status and details are stored, listed by status, and cleared after', async () => {
    const attention = {
      operation: 'Payment inquiry RABC00000003',
      failureType: 'ERR_GATEWAY_PROTOCOL',
      reason: 'the response signature does not verify',
      since: '2026-02-01T10:00:00.000Z',
      attempts: 3,
      nextAttemptAt: '2026-02-01T16:00:00.000Z',
      resumeStatus: 'active' as const,
    };
    const base = subscription({ merchantId: 'ATTN', workflowId: 'subscription/ATTN/x' });
    await upsertSubscription(db.pool, { ...base, status: 'active' });
    const { row } = await upsertSubscription(db.pool, {
      ...base,
      status: 'needs_attention',
      attention,
      nextChargeDate: '2026-03-01',
      stateVersion: 2,
    });
    assert.equal(row.status, 'needs_attention');
    assert.deepEqual(row.attention, attention);
    assert.equal(row.nextChargeDate, '2026-03-01', 'needs_attention is not an end');
    assert.equal(row.closedAt, null);
    const listed = await listSubscriptions(db.pool, { merchantId: 'ATTN', status: 'needs_attention' });
    assert.deepEqual(
      listed.items.map((r) => [r.id, r.attention?.failureType]),
      [[base.id, 'ERR_GATEWAY_PROTOCOL']],
    );
    const resumed = await upsertSubscription(db.pool, { ...base, status: 'active', attention: null, stateVersion: 3 });
    assert.equal(resumed.row.attention, null);
    assert.deepEqual((await listSubscriptions(db.pool, { merchantId: 'ATTN', status: 'needs_attention' })).items, []);
  });

  it('when another merchant writes an existing subscription id, then the write is refused and the row unchanged', async () => {
    const base = subscription();
    await upsertSubscription(db.pool, base);
    await assert.rejects(
      upsertSubscription(db.pool, { ...base, merchantId: 'M2', stateVersion: 99 }),
      /belongs to another merchant/,
    );
    assert.equal((await getSubscription(db.pool, base.id))?.merchantId, 'M1');
    assert.equal(await getSubscription(db.pool, base.id, 'M2'), undefined);
    assert.equal((await getSubscription(db.pool, base.id, 'M1'))?.id, base.id);
  });

  it('when an amount is not a safe integer, then a RangeError is thrown before any write', async () => {
    await assert.rejects(upsertSubscription(db.pool, subscription({ amountMinor: 10.5 })), RangeError);
    await assert.rejects(upsertSubscription(db.pool, subscription({ currency: 'sgd' })), RangeError);
  });

  it('when a notification names an invoice, then the subscription with that invoice prefix is found', async () => {
    const s = subscription({ merchantId: 'M3', invoicePrefix: 'RABCDEF12345' });
    await upsertSubscription(db.pool, s);
    assert.equal((await findSubscriptionByInvoice(db.pool, 'M3', 'RABCDEF1234500003'))?.id, s.id);
    assert.equal((await findSubscriptionByInvoice(db.pool, 'M3', 'RABCDEF12345D0000301'))?.id, s.id);
    assert.equal(await findSubscriptionByInvoice(db.pool, 'M1', 'RABCDEF1234500003'), undefined);
    assert.equal(await findSubscriptionByInvoice(db.pool, 'M3', 'RZZZ00000'), undefined);
  });

  it('when a merchant pages through its subscriptions, then every row appears once, newest first', async () => {
    const merchantId = 'PAGER';
    // Several share one created_at, so the id must break the tie.
    const created = ['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', '2026-01-02T00:00:00.000Z'];
    const ids: string[] = [];
    for (let i = 0; i < 11; i += 1) {
      const s = subscription({
        merchantId,
        customerId: i % 2 === 0 ? 'even' : 'odd',
        status: i % 3 === 0 ? 'active' : 'pending_payment',
        createdAt: created[i % created.length],
      });
      ids.push(s.id);
      await upsertSubscription(db.pool, s);
    }
    await upsertSubscription(db.pool, subscription({ merchantId: 'OTHER' }));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listSubscriptions(db.pool, { merchantId, limit: 4, cursor });
      seen.push(...page.items.map((s) => s.id));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    assert.equal(pages, 3);
    assert.deepEqual([...seen].sort(), [...ids].sort());
    assert.equal(new Set(seen).size, seen.length);
    const all = (await listSubscriptions(db.pool, { merchantId, limit: 100 })).items;
    assert.deepEqual(
      all.map((s) => s.id),
      seen,
    );
    for (let i = 1; i < all.length; i += 1) {
      const [prev, cur] = [all[i - 1]!, all[i]!];
      assert.ok(prev.createdAt > cur.createdAt || (prev.createdAt === cur.createdAt && prev.id > cur.id));
    }
  });

  it('when the list is filtered by status and customer, then only matching rows come back', async () => {
    const merchantId = 'FILTER';
    await upsertSubscription(db.pool, subscription({ merchantId, customerId: 'a', status: 'active' }));
    await upsertSubscription(db.pool, subscription({ merchantId, customerId: 'a', status: 'past_due' }));
    await upsertSubscription(db.pool, subscription({ merchantId, customerId: 'b', status: 'active' }));
    const active = await listSubscriptions(db.pool, { merchantId, status: 'active' });
    assert.deepEqual(active.items.map((s) => s.customerId).sort(), ['a', 'b']);
    const a = await listSubscriptions(db.pool, { merchantId, customerId: 'a' });
    assert.equal(a.items.length, 2);
    const both = await listSubscriptions(db.pool, { merchantId, customerId: 'a', status: 'active' });
    assert.equal(both.items.length, 1);
    assert.equal(both.nextCursor, null);
  });

  it('when a cursor, limit or status is malformed, then a RangeError is thrown', async () => {
    await assert.rejects(listSubscriptions(db.pool, { merchantId: 'M1', cursor: 'not-a-cursor' }), RangeError);
    await assert.rejects(listSubscriptions(db.pool, { merchantId: 'M1', limit: 0 }), RangeError);
    await assert.rejects(listSubscriptions(db.pool, { merchantId: 'M1', limit: 101 }), RangeError);
    await assert.rejects(listSubscriptions(db.pool, { merchantId: 'M1', status: 'paused' as never }), RangeError);
  });
});
