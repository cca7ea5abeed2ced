// The projection activities announce each change as an event in the same transaction: once per change however
// often an activity is retried, and never for a write that changes nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLedgerActivities } from '../../../src/activities/ledger-activities.js';
import { listSubscriptionEvents } from '../../../src/db/index.js';
import type { ChargeRecord, Plan, RefundRecord, SubscriptionView } from '../../../src/domain/subscription-model.js';
import { startMigratedDatabase, type MigratedDatabase } from '../db/migrated-database.js';
import { monthlyPlan } from '../../support/plans.js';

let db: MigratedDatabase;
let ledger: ReturnType<typeof createLedgerActivities>;
before(async () => {
  db = await startMigratedDatabase();
  ledger = createLedgerActivities(db.pool);
});
after(async () => {
  await db.stop();
});

const plan: Plan = monthlyPlan();

function view(subscriptionId: string, fields: Partial<SubscriptionView>): SubscriptionView {
  return {
    merchantId: 'M1',
    subscriptionId,
    customerId: 'cust_1',
    status: 'pending_payment',
    plan,
    invoicePrefix: `P${subscriptionId}`,
    nextChargeDate: '2026-03-01',
    nextSequence: 1,
    charges: [],
    refunds: [],
    version: 1,
    ...fields,
  };
}

const charge = (invoiceNo: string, status: ChargeRecord['status']): ChargeRecord => ({
  invoiceNo,
  kind: 'recurring',
  sequence: 1,
  amountMinor: 2990,
  currency: 'SGD',
  status,
  respCode: status === 'succeeded' ? '0000' : '4005',
  respDesc: status === 'succeeded' ? 'Success' : 'Declined',
  source: 'notification',
});

const types = async (subscriptionId: string) =>
  (await listSubscriptionEvents(db.pool, subscriptionId)).map((e) => e.type);

describe('events written by the projection activities', () => {
  it('when a subscription is saved through its life, then each status change is announced once, in order', async () => {
    const id = 'sub-life';
    await ledger.saveSubscription(view(id, { version: 1 }));
    await ledger.saveSubscription(view(id, { version: 1 })); // a retried activity
    await ledger.saveSubscription(view(id, { version: 2, status: 'active' }));
    await ledger.saveSubscription(view(id, { version: 3, status: 'active', nextChargeDate: '2026-04-01' }));
    await ledger.saveSubscription(view(id, { version: 4, status: 'active', plan: { ...plan, amountMinor: 3990 } }));
    await ledger.saveSubscription(view(id, { version: 5, status: 'past_due' }));
    await ledger.saveSubscription(view(id, { version: 4, status: 'active' })); // older, arriving late
    await ledger.saveSubscription(view(id, { version: 6, status: 'canceled', endedReason: 'cancelled' }));
    assert.deepEqual(await types(id), [
      'subscription.created',
      'subscription.activated',
      'subscription.updated',
      'subscription.past_due',
      'subscription.canceled',
    ]);
  });

  it('when a subscription event is recorded, then its data is the subscription as the API shows it', async () => {
    const [created] = await listSubscriptionEvents(db.pool, 'sub-life');
    const data = created?.data as { subscriptionId: string; status: string; plan: { amount: string } };
    assert.equal(data.subscriptionId, 'sub-life');
    assert.equal(data.status, 'pending_payment');
    assert.equal(data.plan.amount, '29.90');
    assert.equal(created?.merchantId, 'M1');
  });

  it('when a charge is recorded twice, then its outcome is announced once, with the charge as data', async () => {
    const id = 'sub-charges';
    const context = { merchantId: 'M1', subscriptionId: id };
    await ledger.recordCharge({ ...context, charge: charge('INV1', 'succeeded') });
    await ledger.recordCharge({ ...context, charge: charge('INV1', 'succeeded') });
    await ledger.recordCharge({ ...context, charge: charge('INV2', 'declined') });
    await ledger.recordCharge({ ...context, charge: charge('INV2', 'declined') });
    const events = await listSubscriptionEvents(db.pool, id);
    assert.deepEqual(
      events.map((e) => [e.type, (e.data as { invoiceNo: string; amount: string }).invoiceNo]),
      [
        ['charge.succeeded', 'INV1'],
        ['charge.failed', 'INV2'],
      ],
    );
    assert.equal((events[0]?.data as { amount: string }).amount, '29.90');
  });

  it('when a refund is requested and then succeeds, then refund.requested and refund.succeeded are announced once', async () => {
    const id = 'sub-refund';
    const refund = (status: RefundRecord['status']): RefundRecord => ({
      idempotencyId: 'rf-1',
      invoiceNo: 'INV1',
      amountMinor: 1000,
      currency: 'SGD',
      reason: 'requested',
      status,
      requestedAt: '2026-03-02T00:00:00.000Z',
    });
    const context = { merchantId: 'M1', subscriptionId: id };
    await ledger.saveRefund({ ...context, refund: refund('requested') });
    await ledger.saveRefund({ ...context, refund: refund('waiting_settlement') });
    await ledger.saveRefund({ ...context, refund: refund('succeeded') });
    await ledger.saveRefund({ ...context, refund: refund('succeeded') });
    assert.deepEqual(await types(id), ['refund.requested', 'refund.succeeded']);
  });

  it('when a dunning reminder is recorded twice, then one dunning.link_sent carries the link', async () => {
    const id = 'sub-dunning';
    const reminder = { merchantId: 'M1', subscriptionId: id, invoiceNo: 'D1', reminder: 1, of: 2 };
    await ledger.recordDunningReminder({ ...reminder, webPaymentUrl: 'http://127.0.0.1/pay/1' });
    await ledger.recordDunningReminder({ ...reminder, webPaymentUrl: 'http://127.0.0.1/pay/1' });
    const events = await listSubscriptionEvents(db.pool, id);
    assert.deepEqual(
      events.map((e) => [e.type, (e.data as { webPaymentUrl: string }).webPaymentUrl]),
      [['dunning.link_sent', 'http://127.0.0.1/pay/1']],
    );
  });
});
