// Charges: one row per invoice however many times and however concurrently it is reported.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getCharge, listCharges, recordCharge, type ChargeInput } from '../../../src/db/index.js';
import { startMigratedDatabase, type MigratedDatabase } from './migrated-database.js';

function charge(overrides: Partial<ChargeInput> = {}): ChargeInput {
  return {
    merchantId: 'M1',
    invoiceNo: 'RABC0000000100001',
    subscriptionId: 'sub-1',
    sequence: 1,
    kind: 'recurring',
    amountMinor: 3000,
    currency: 'SGD',
    status: 'succeeded',
    respCode: '00',
    respDesc: 'Success',
    tranRef: 'T1',
    transactionAt: '2026-02-28T03:00:00.000Z',
    periodStart: '2026-02-28',
    periodEnd: '2026-03-31',
    source: 'notification',
    ...overrides,
  };
}

describe('charge repository', () => {
  let db: MigratedDatabase;
  before(async () => {
    db = await startMigratedDatabase();
  });
  after(async () => {
    await db?.stop();
  });

  it('when a charge is recorded, then it reads back with amounts as numbers and dates as strings', async () => {
    const { inserted, row } = await recordCharge(db.pool, charge({ invoiceNo: 'INV-READ' }));
    assert.equal(inserted, true);
    assert.equal(row.amountMinor, 3000);
    assert.equal(row.sequence, 1);
    assert.equal(row.periodStart, '2026-02-28');
    assert.equal(row.transactionAt, '2026-02-28T03:00:00.000Z');
    assert.equal(row.referenceNo, null);
    assert.deepEqual(await getCharge(db.pool, 'M1', 'INV-READ'), row);
  });

  it('when the same invoice is reported again with other values, then the first record stands', async () => {
    const first = await recordCharge(db.pool, charge({ invoiceNo: 'INV-DUP' }));
    const again = await recordCharge(
      db.pool,
      charge({ invoiceNo: 'INV-DUP', status: 'declined', respCode: '05', source: 'inquiry' }),
    );
    assert.equal(again.inserted, false);
    assert.equal(again.updated, false);
    assert.deepEqual(again.row, first.row);
  });

  it('when ten reports of one invoice race, then exactly one inserts and all see the same row', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => recordCharge(db.pool, charge({ invoiceNo: 'INV-RACE', tranRef: `T${i}` }))),
    );
    assert.equal(results.filter((r) => r.inserted).length, 1);
    const winner = results.find((r) => r.inserted)!.row;
    for (const r of results) assert.deepEqual(r.row, winner);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM charges WHERE invoice_no = 'INV-RACE'`);
    assert.equal(rows[0]?.n, 1);
  });

  it('when a pending charge is later reported final, then it is updated once and stays final', async () => {
    await recordCharge(db.pool, charge({ invoiceNo: 'INV-PEND', status: 'pending', respCode: '0001', tranRef: null }));
    const final = await recordCharge(
      db.pool,
      charge({ invoiceNo: 'INV-PEND', status: 'succeeded', respCode: '0000', tranRef: 'TF' }),
    );
    assert.equal(final.updated, true);
    assert.equal(final.row.status, 'succeeded');
    assert.equal(final.row.tranRef, 'TF');
    const pendingAgain = await recordCharge(
      db.pool,
      charge({ invoiceNo: 'INV-PEND', status: 'pending', respCode: '0001' }),
    );
    assert.equal(pendingAgain.updated, false);
    assert.equal(pendingAgain.row.status, 'succeeded');
    const declinedLater = await recordCharge(
      db.pool,
      charge({ invoiceNo: 'INV-PEND', status: 'declined', respCode: '4005' }),
    );
    assert.equal(declinedLater.updated, false);
    assert.equal(declinedLater.row.respCode, '0000');
  });

  it('when two merchants use the same invoice number, then each has its own charge', async () => {
    const a = await recordCharge(db.pool, charge({ merchantId: 'MA', invoiceNo: 'SHARED' }));
    const b = await recordCharge(db.pool, charge({ merchantId: 'MB', invoiceNo: 'SHARED', amountMinor: 10 }));
    assert.equal(a.inserted && b.inserted, true);
    assert.equal(b.row.amountMinor, 10);
  });

  it('when a subscription has several charges, then they list in transaction order', async () => {
    const subscriptionId = 'sub-list';
    await recordCharge(
      db.pool,
      charge({ subscriptionId, invoiceNo: 'L2', sequence: 2, transactionAt: '2026-03-31T00:00:00Z' }),
    );
    await recordCharge(
      db.pool,
      charge({
        subscriptionId,
        invoiceNo: 'L0',
        sequence: null,
        kind: 'initial',
        transactionAt: '2026-01-31T00:00:00Z',
      }),
    );
    await recordCharge(
      db.pool,
      charge({ subscriptionId, invoiceNo: 'L1', sequence: 1, transactionAt: '2026-02-28T00:00:00Z' }),
    );
    const listed = await listCharges(db.pool, subscriptionId);
    assert.deepEqual(
      listed.map((c) => c.invoiceNo),
      ['L0', 'L1', 'L2'],
    );
    assert.equal(listed[0]?.sequence, null);
  });

  it('when a stored amount exceeds a safe integer, then reading it throws a RangeError rather than rounding', async () => {
    await db.pool.query(
      `INSERT INTO charges (merchant_id, invoice_no, subscription_id, kind, amount_minor, currency, status, resp_code)
       VALUES ('M1', 'HUGE', 'sub-huge', 'recurring', 9007199254740993, 'SGD', 'succeeded', '00')`,
    );
    await assert.rejects(listCharges(db.pool, 'sub-huge'), (error: unknown) => {
      assert.ok(error instanceof RangeError);
      assert.match(error.message, /charges\.amount_minor/);
      return true;
    });
  });

  it('when an amount is negative or fractional, then a RangeError is thrown before any write', async () => {
    await assert.rejects(recordCharge(db.pool, charge({ invoiceNo: 'NEG', amountMinor: -1 })), RangeError);
    await assert.rejects(recordCharge(db.pool, charge({ invoiceNo: 'FRAC', amountMinor: 0.5 })), RangeError);
    assert.equal(await getCharge(db.pool, 'M1', 'NEG'), undefined);
  });
});
