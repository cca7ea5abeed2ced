// Every schema migration, in the order they apply. Append new ones; never edit or renumber an applied one.
import { initialMigration } from './001-initial.js';
import { auditMigration } from './002-audit.js';
import { apiAccessMigration } from './003-api-access.js';
import { subscriptionEventsMigration } from './004-subscription-events.js';
import { needsAttentionMigration } from './005-needs-attention.js';
import { eventsAndWebhooksMigration } from './006-events-and-webhooks.js';
import { merchantCredentialsMigration } from './007-merchant-credentials.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';

/** The schema of this version of Recur. */
export const MIGRATIONS: readonly Migration[] = [
  initialMigration,
  auditMigration,
  apiAccessMigration,
  subscriptionEventsMigration,
  needsAttentionMigration,
  eventsAndWebhooksMigration,
  merchantCredentialsMigration,
];
