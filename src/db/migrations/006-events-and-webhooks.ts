// Migration 6: merchant events (the subscription events of migration 4, grown into every change a merchant cares
// about) and outgoing webhooks: endpoints, deliveries and their attempts.
import type { Migration } from './migration.js';

const sql = `
ALTER TABLE subscription_events RENAME TO events;
ALTER TABLE events RENAME COLUMN id TO seq;
ALTER TABLE events RENAME COLUMN occurred_at TO created_at;
-- Events about an endpoint (webhook_endpoint.disabled) belong to no subscription.
ALTER TABLE events ALTER COLUMN subscription_id DROP NOT NULL;
ALTER TABLE events DROP CONSTRAINT subscription_events_type_check;
ALTER TABLE events DROP CONSTRAINT subscription_events_subscription_id_type_dedupe_key_key;
UPDATE events SET type = 'dunning.link_sent' WHERE type = 'dunning_reminder';
ALTER TABLE events ADD CONSTRAINT events_type_check CHECK (type ~ '^[a-z][a-z_]*\\.[a-z][a-z_]*$');
ALTER TABLE events ADD CONSTRAINT events_dedupe_key_key UNIQUE (merchant_id, type, dedupe_key);
ALTER TABLE events ADD COLUMN id text;
UPDATE events SET id = 'evt_' || substr(md5(random()::text || seq::text), 1, 24);
ALTER TABLE events ALTER COLUMN id SET NOT NULL;
ALTER TABLE events ADD CONSTRAINT events_id_key UNIQUE (id);
ALTER TABLE events ADD CONSTRAINT events_id_check CHECK (id ~ '^evt_[0-9a-f]{24}$');
-- The outbox: the worker's dispatcher starts deliveries for events not yet dispatched. Events recorded before
-- webhooks existed had no endpoint to go to.
ALTER TABLE events ADD COLUMN dispatched_at timestamptz;
UPDATE events SET dispatched_at = now();
CREATE INDEX events_undispatched_idx ON events (seq) WHERE dispatched_at IS NULL;
CREATE INDEX events_merchant_idx ON events (merchant_id, seq);
CREATE INDEX events_merchant_subscription_idx ON events (merchant_id, subscription_id, seq);
CREATE INDEX events_merchant_type_idx ON events (merchant_id, type, seq);

CREATE TABLE webhook_endpoints (
  id text PRIMARY KEY CHECK (id ~ '^we_[0-9a-f]{24}$'),
  merchant_id text NOT NULL CHECK (merchant_id <> ''),
  url text NOT NULL CHECK (url ~ '^https?://'),
  description text,
  enabled_events text[] NOT NULL CHECK (cardinality(enabled_events) > 0),
  status text NOT NULL CHECK (status IN ('enabled', 'disabled')),
  disabled_reason text,
  -- Readable: the worker signs with it. Never logged, never answered except when created or rotated.
  secret text NOT NULL CHECK (secret ~ '^whsec_'),
  previous_secret text CHECK (previous_secret ~ '^whsec_'),
  previous_secret_expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((previous_secret IS NULL) = (previous_secret_expires_at IS NULL))
);
CREATE INDEX webhook_endpoints_merchant_idx ON webhook_endpoints (merchant_id, created_at DESC, id DESC);

CREATE TABLE webhook_deliveries (
  id text PRIMARY KEY CHECK (id ~ '^whd_[0-9a-f]{24}$'),
  merchant_id text NOT NULL,
  endpoint_id text NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event_id text NOT NULL REFERENCES events (id),
  -- The delivery workflow; unique so the dispatcher, retried, never starts a second one.
  workflow_id text NOT NULL UNIQUE,
  status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'canceled')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  completed_at timestamptz
);
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, created_at DESC, id DESC);
CREATE INDEX webhook_deliveries_event_idx ON webhook_deliveries (event_id);

CREATE TABLE webhook_attempts (
  delivery_id text NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  attempt integer NOT NULL CHECK (attempt >= 1),
  succeeded boolean NOT NULL,
  status_code integer,
  duration_ms integer NOT NULL CHECK (duration_ms >= 0),
  response_excerpt text CHECK (octet_length(response_excerpt) <= 1024),
  error text,
  attempted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (delivery_id, attempt)
);
`;

/** Events (renamed from subscription_events, with public ids and an outbox column) and webhook tables. */
export const eventsAndWebhooksMigration: Migration = { version: 6, name: 'events-and-webhooks', sql };
