// Migration 2: the audit trail: every gateway exchange and every backend notification received.
import type { Migration } from './migration.js';

const sql = `
CREATE TABLE gateway_exchanges (
  id bigserial PRIMARY KEY,
  merchant_id text NOT NULL,
  subscription_id text,
  operation text NOT NULL CHECK (operation <> ''),
  url text NOT NULL,
  http_status integer,
  duration_ms integer NOT NULL CHECK (duration_ms >= 0),
  request jsonb NOT NULL,
  response jsonb,
  error jsonb,
  started_at timestamptz NOT NULL,
  activity_ref text
);
CREATE INDEX gateway_exchanges_subscription_idx ON gateway_exchanges (subscription_id, id)
  WHERE subscription_id IS NOT NULL;
CREATE INDEX gateway_exchanges_merchant_idx ON gateway_exchanges (merchant_id, started_at);

-- An audit row is evidence: it may be purged for retention, never rewritten.
CREATE FUNCTION gateway_exchanges_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'gateway_exchanges is append-only' USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER gateway_exchanges_append_only BEFORE UPDATE ON gateway_exchanges
  FOR EACH ROW EXECUTE FUNCTION gateway_exchanges_refuse_update();

CREATE TABLE notifications (
  id bigserial PRIMARY KEY,
  dedupe_key text NOT NULL UNIQUE CHECK (dedupe_key ~ '^[0-9a-f]{64}$'),
  merchant_id text NOT NULL,
  invoice_no text NOT NULL,
  resp_code text NOT NULL,
  payload jsonb NOT NULL,
  subscription_id text,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_invoice_idx ON notifications (merchant_id, invoice_no);
CREATE INDEX notifications_subscription_idx ON notifications (subscription_id) WHERE subscription_id IS NOT NULL;
`;

/** Gateway exchanges (append-only) and received notifications (deduplicated). */
export const auditMigration: Migration = { version: 2, name: 'audit', sql };
