// Migration 4: events a merchant acts on (dunning reminders with the payment link), once each.
import type { Migration } from './migration.js';

const sql = `
CREATE TABLE subscription_events (
  id bigserial PRIMARY KEY,
  merchant_id text NOT NULL,
  subscription_id text NOT NULL,
  type text NOT NULL CHECK (type ~ '^[a-z][a-z_]*$'),
  dedupe_key text NOT NULL,
  data jsonb NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (subscription_id, type, dedupe_key)
);
`;

/** Subscription events, unique per (subscription, type, dedupe key) so activity retries record once. */
export const subscriptionEventsMigration: Migration = { version: 4, name: 'subscription-events', sql };
