// Migration 5: the needs_attention status and its details, refunds of payments made after the end, and no next
// charge date on an ended subscription.
import type { Migration } from './migration.js';

// The CHECKs of migration 1 are column constraints, so PostgreSQL named them <table>_<column>_check.
const sql = `
ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_status_check;
ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_status_check CHECK (status IN
  ('pending_payment', 'active', 'past_due', 'canceled', 'completed', 'incomplete', 'unpaid', 'needs_attention'));

-- The workflow's Attention (operation, failureType, reason, since, attempts, nextAttemptAt, resumeStatus).
ALTER TABLE subscriptions ADD COLUMN attention jsonb CHECK (attention IS NULL OR jsonb_typeof(attention) = 'object');

ALTER TABLE refunds DROP CONSTRAINT refunds_reason_check;
ALTER TABLE refunds ADD CONSTRAINT refunds_reason_check CHECK (reason IN
  ('cancel_prorated', 'cancel_full', 'downgrade_prorated', 'requested', 'payment_after_end'));

-- An ended subscription has no next charge; rows written before the projection cleared it lose theirs.
UPDATE subscriptions SET next_charge_date = NULL
WHERE status IN ('canceled', 'completed', 'incomplete', 'unpaid') AND next_charge_date IS NOT NULL;
`;

/** needs_attention and subscriptions.attention, the payment_after_end refund reason, ended rows without a next charge. */
export const needsAttentionMigration: Migration = { version: 5, name: 'needs-attention', sql };
