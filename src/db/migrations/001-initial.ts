// Migration 1: merchants and the subscription projection (subscriptions, charges, refunds).
import type { Migration } from './migration.js';

// No foreign keys from the projection tables: activities write them in whatever order retries arrive,
// and a charge recorded before its subscription row must not fail.
const sql = `
CREATE TABLE merchants (
  id text PRIMARY KEY CHECK (id <> ''),
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE subscriptions (
  id text PRIMARY KEY CHECK (id <> ''),
  merchant_id text NOT NULL CHECK (merchant_id <> ''),
  customer_id text NOT NULL,
  status text NOT NULL
    CHECK (status IN ('pending_payment', 'active', 'past_due', 'canceled', 'completed', 'incomplete', 'unpaid')),
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
  plan jsonb NOT NULL,
  recurring_unique_id text,
  invoice_prefix text NOT NULL CHECK (invoice_prefix <> ''),
  customer_token text,
  next_charge_date date,
  payment_url text,
  workflow_id text NOT NULL,
  ended_reason text,
  state_version bigint NOT NULL CHECK (state_version >= 0),
  -- Millisecond precision, so the keyset cursor (a JS Date) round-trips exactly.
  created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now())
    CHECK (created_at = date_trunc('milliseconds', created_at)),
  updated_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz
);
CREATE INDEX subscriptions_merchant_status_idx ON subscriptions (merchant_id, status, created_at DESC, id DESC);
CREATE INDEX subscriptions_merchant_customer_idx ON subscriptions (merchant_id, customer_id, created_at DESC, id DESC);
CREATE INDEX subscriptions_merchant_created_idx ON subscriptions (merchant_id, created_at DESC, id DESC);
CREATE INDEX subscriptions_merchant_invoice_prefix_idx ON subscriptions (merchant_id, invoice_prefix);
CREATE INDEX subscriptions_merchant_recurring_idx ON subscriptions (merchant_id, recurring_unique_id)
  WHERE recurring_unique_id IS NOT NULL;

CREATE TABLE charges (
  merchant_id text NOT NULL,
  invoice_no text NOT NULL CHECK (invoice_no <> ''),
  subscription_id text NOT NULL,
  sequence integer CHECK (sequence >= 0),
  kind text NOT NULL CHECK (kind IN ('initial', 'recurring', 'dunning')),
  amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  status text NOT NULL CHECK (status IN ('succeeded', 'declined', 'pending')),
  resp_code text NOT NULL,
  resp_desc text NOT NULL DEFAULT '',
  tran_ref text,
  reference_no text,
  approval_code text,
  transaction_at timestamptz,
  period_start date,
  period_end date,
  source text CHECK (source IN ('notification', 'inquiry')),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (merchant_id, invoice_no)
);
CREATE INDEX charges_subscription_idx ON charges (subscription_id);

CREATE TABLE refunds (
  idempotency_id text PRIMARY KEY CHECK (idempotency_id <> ''),
  merchant_id text NOT NULL,
  subscription_id text NOT NULL,
  invoice_no text NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  reason text NOT NULL CHECK (reason IN ('cancel_prorated', 'cancel_full', 'downgrade_prorated', 'requested')),
  status text NOT NULL CHECK (status IN ('requested', 'waiting_settlement', 'pending', 'succeeded', 'failed')),
  resp_code text,
  resp_desc text,
  reference_no text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refunds_subscription_idx ON refunds (subscription_id, created_at);
CREATE INDEX refunds_charge_idx ON refunds (merchant_id, invoice_no);

-- Refund statuses only move forward; succeeded and failed are both final.
CREATE FUNCTION refund_status_rank(status text) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE status WHEN 'requested' THEN 0 WHEN 'waiting_settlement' THEN 1 WHEN 'pending' THEN 2 ELSE 3 END
$$;
`;

/** Merchants, subscriptions, charges and refunds. */
export const initialMigration: Migration = { version: 1, name: 'initial', sql };
