// Merchant events: recorded once per dedupe key, listed newest first with cursor paging, filtered and scoped.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getEvent, listEvents, listSubscriptionEvents, recordEvent, type EventInput } from '../../../src/db/index.js';
import { startMigratedDatabase, type MigratedDatabase } from './migrated-database.js';

let db: MigratedDatabase;
before(async () => {
  db = await startMigratedDatabase();
});
after(async () => {
  await db.stop();
});

const reminder = (n: number, subscriptionId = 'sub-ev'): EventInput => ({
  merchantId: 'M1',
  subscriptionId,
  type: 'dunning.link_sent',
  dedupeKey: `${subscriptionId}/RABC00000D0000401#${n}`,
  data: { invoiceNo: 'RABC00000D0000401', reminder: n, of: 2, webPaymentUrl: 'http://127.0.0.1/pay/t' },
});

describe('event repository', () => {
  it('when an activity records the same event twice, then it is stored once with one id', async () => {
    const first = await recordEvent(db.pool, reminder(1));
    const retried = await recordEvent(db.pool, reminder(1));
    assert.equal(first.inserted, true);
    assert.equal(retried.inserted, false);
    assert.deepEqual(retried.row, first.row);
    assert.match(first.row.id, /^evt_[0-9a-f]{24}$/);
  });

  it('when several events are recorded, then a subscription lists them in the order they were recorded', async () => {
    await recordEvent(db.pool, reminder(2));
    await recordEvent(db.pool, reminder(2, 'sub-other'));
    const listed = await listSubscriptionEvents(db.pool, 'sub-ev');
    assert.deepEqual(
      listed.map((e) => e.dedupeKey),
      ['sub-ev/RABC00000D0000401#1', 'sub-ev/RABC00000D0000401#2'],
    );
    assert.ok((listed[0]?.seq ?? 0) < (listed[1]?.seq ?? 0));
    assert.deepEqual(listed[1]?.data, reminder(2).data);
  });

  it('when a merchant pages through its events, then it sees each once, newest first, and no other merchant', async () => {
    for (let n = 1; n <= 5; n += 1) {
      await recordEvent(db.pool, { ...reminder(n, 'sub-page'), merchantId: 'M2' });
    }
    await recordEvent(db.pool, { ...reminder(9, 'sub-page'), merchantId: 'M3' });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listEvents(db.pool, { merchantId: 'M2', limit: 2, cursor });
      seen.push(...page.items.map((e) => e.dedupeKey));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    assert.deepEqual(
      seen,
      [5, 4, 3, 2, 1].map((n) => `sub-page/RABC00000D0000401#${n}`),
    );
  });

  it('when events are filtered by type and subscription, then only those match', async () => {
    await recordEvent(db.pool, {
      merchantId: 'M1',
      subscriptionId: 'sub-ev',
      type: 'charge.succeeded',
      dedupeKey: 'sub-ev/INV9',
      data: {},
    });
    const charges = await listEvents(db.pool, { merchantId: 'M1', type: 'charge.succeeded' });
    assert.deepEqual(
      charges.items.map((e) => e.type),
      ['charge.succeeded'],
    );
    const other = await listEvents(db.pool, { merchantId: 'M1', subscriptionId: 'sub-other' });
    assert.deepEqual(
      other.items.map((e) => e.subscriptionId),
      ['sub-other'],
    );
  });

  it('when another merchant asks for an event by id, then it is not found; its own merchant finds it', async () => {
    const { row } = await recordEvent(db.pool, reminder(7));
    assert.equal(await getEvent(db.pool, row.id, 'M2'), undefined);
    assert.equal((await getEvent(db.pool, row.id, 'M1'))?.id, row.id);
  });

  it('when a cursor was not made by the list, then it is refused with a RangeError', async () => {
    await assert.rejects(listEvents(db.pool, { merchantId: 'M1', cursor: 'bm90IGEgY3Vyc29y' }), RangeError);
  });

  it('when an event type is not object.change, then the database refuses it', async () => {
    await assert.rejects(
      recordEvent(db.pool, { ...reminder(3), type: 'Dunning Reminder' }),
      (error: { code?: string }) => error.code === '23514',
    );
  });
});
