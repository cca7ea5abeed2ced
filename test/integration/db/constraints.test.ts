// The schema's own guards: CHECK constraints refuse values no repository should ever write.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startMigratedDatabase, type MigratedDatabase } from './migrated-database.js';

const CHECK_VIOLATION = '23514';

describe('schema constraints', () => {
  let db: MigratedDatabase;
  before(async () => {
    db = await startMigratedDatabase();
  });
  after(async () => {
    await db?.stop();
  });

  const insertSubscription = (status: string, currency = 'SGD', amount = 100) =>
    db.pool.query(
      `INSERT INTO subscriptions (id, merchant_id, customer_id, status, currency, amount_minor, plan, invoice_prefix,
         workflow_id, state_version) VALUES (gen_random_uuid()::text, 'M1', 'c', $1, $2, $3, '{}', 'RP', 'wf', 1)`,
      [status, currency, amount],
    );
  const insertCharge = (kind: string, status: string) =>
    db.pool.query(
      `INSERT INTO charges (merchant_id, invoice_no, subscription_id, kind, amount_minor, currency, status, resp_code)
       VALUES ('M1', gen_random_uuid()::text, 's', $1, 100, 'SGD', $2, '00')`,
      [kind, status],
    );
  const insertRefund = (status: string, reason = 'requested') =>
    db.pool.query(
      `INSERT INTO refunds (idempotency_id, merchant_id, subscription_id, invoice_no, amount_minor, currency, reason,
         status) VALUES (gen_random_uuid()::text, 'M1', 's', 'I', 100, 'SGD', $1, $2)`,
      [reason, status],
    );
  const rejectsCheck = (promise: Promise<unknown>) =>
    assert.rejects(promise, (error: { code?: string }) => error.code === CHECK_VIOLATION);

  it('when a subscription has an unknown status, a lowercase currency or a negative amount, then it is refused', async () => {
    await insertSubscription('active');
    await rejectsCheck(insertSubscription('paused'));
    await rejectsCheck(insertSubscription('ACTIVE'));
    await rejectsCheck(insertSubscription('active', 'sgd'));
    await rejectsCheck(insertSubscription('active', 'SGD', -1));
  });

  it('when a charge has an unknown kind or status, then it is refused', async () => {
    await insertCharge('dunning', 'pending');
    await rejectsCheck(insertCharge('refund', 'succeeded'));
    await rejectsCheck(insertCharge('recurring', 'approved'));
  });

  it('when a subscription needs attention, then the status is accepted, and attention that is not an object is refused', async () => {
    await insertSubscription('needs_attention');
    const withAttention = (attention: string) =>
      db.pool.query(
        `INSERT INTO subscriptions (id, merchant_id, customer_id, status, currency, amount_minor, plan, invoice_prefix,
           workflow_id, state_version, attention)
         VALUES (gen_random_uuid()::text, 'M1', 'c', 'needs_attention', 'SGD', 1, '{}', 'RP', 'wf', 1, $1::jsonb)`,
        [attention],
      );
    await withAttention('{"operation": "Refund R1"}');
    await rejectsCheck(withAttention('"stuck"'));
    await rejectsCheck(withAttention('[]'));
  });

  it('when a refund is for a payment made after the end, then its reason is accepted', async () => {
    await insertRefund('requested', 'payment_after_end');
  });

  it('when a refund has an unknown status or reason, then it is refused', async () => {
    await insertRefund('waiting_settlement');
    await rejectsCheck(insertRefund('settled'));
    await rejectsCheck(insertRefund('requested', 'goodwill'));
  });

  it('when an idempotency record is completed without a response status, then it is refused', async () => {
    await rejectsCheck(
      db.pool.query(
        `INSERT INTO idempotency_keys (merchant_id, key, request_hash, state) VALUES ('M1', 'k', 'h', 'completed')`,
      ),
    );
    await rejectsCheck(
      db.pool.query(
        `INSERT INTO idempotency_keys (merchant_id, key, request_hash, state) VALUES ('M1', 'k', 'h', 'done')`,
      ),
    );
  });

  it('when a subscription created_at has sub-millisecond precision, then it is refused (cursors would skip rows)', async () => {
    await rejectsCheck(
      db.pool.query(
        `INSERT INTO subscriptions (id, merchant_id, customer_id, status, currency, amount_minor, plan, invoice_prefix,
           workflow_id, state_version, created_at)
         VALUES ('s-us', 'M1', 'c', 'active', 'SGD', 1, '{}', 'RP', 'wf', 1, '2026-01-01T00:00:00.000001Z')`,
      ),
    );
  });

  it('when an api key hash is not a sha256 hex digest, then it is refused', async () => {
    await db.pool.query(`INSERT INTO merchants (id, name) VALUES ('MK', 'MK')`);
    await rejectsCheck(
      db.pool.query(
        `INSERT INTO api_keys (id, merchant_id, key_hash, prefix) VALUES ('k1', 'MK', 'rk_live_plain', 'rk')`,
      ),
    );
  });
});
