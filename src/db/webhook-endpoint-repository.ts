// Webhook endpoints per merchant: where events are POSTed, which types, and the secrets deliveries are signed with.
// A secret leaves this module only at creation and rotation (to be shown once) and to the worker that signs.
import { randomBytes } from 'node:crypto';
import { assertPageLimit, decodeCursor, encodeCursor } from './page-cursor.js';
import type { Queryable } from './pool.js';
import { assertText, toIso, toIsoOrNull } from './row-values.js';

export type EndpointStatus = 'enabled' | 'disabled';

/** An endpoint as the API shows it: never its secrets. */
export interface EndpointRow {
  id: string;
  merchantId: string;
  url: string;
  description: string | null;
  /** Event types, or `['*']` for every type. */
  enabledEvents: string[];
  status: EndpointStatus;
  disabledReason: string | null;
  /** Until when the secret before the last rotation still signs; null when there is none. */
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface EndpointInput {
  merchantId: string;
  url: string;
  enabledEvents: string[];
  description?: string | null;
}

export type EndpointChanges = Partial<Pick<EndpointRow, 'url' | 'enabledEvents' | 'description' | 'status'>>;

const COLUMNS = `id, merchant_id, url, description, enabled_events, status, disabled_reason, previous_secret_expires_at,
  created_at, updated_at`;

/** A new signing secret: `whsec_` and 32 random bytes, base64url. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** Creates an enabled endpoint; its secret is returned here and never again (except by rotation). */
export async function createEndpoint(db: Queryable, e: EndpointInput): Promise<{ row: EndpointRow; secret: string }> {
  assertText(e.merchantId, 'merchantId');
  assertText(e.url, 'url');
  const secret = newWebhookSecret();
  const { rows } = await db.query(
    `INSERT INTO webhook_endpoints (id, merchant_id, url, description, enabled_events, status, secret)
     VALUES ($1, $2, $3, $4, $5::text[], 'enabled', $6) RETURNING ${COLUMNS}`,
    [`we_${randomBytes(12).toString('hex')}`, e.merchantId, e.url, e.description ?? null, e.enabledEvents, secret],
  );
  return { row: toEndpoint(rows[0] as Record<string, unknown>), secret };
}

/** One endpoint by id; with `merchantId`, only when it is that merchant's. */
export async function getEndpoint(db: Queryable, id: string, merchantId?: string): Promise<EndpointRow | undefined> {
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM webhook_endpoints WHERE id = $1 AND ($2::text IS NULL OR merchant_id = $2)`,
    [id, merchantId ?? null],
  );
  return rows[0] ? toEndpoint(rows[0]) : undefined;
}

/** A page of a merchant's endpoints, newest first. */
export async function listEndpoints(
  db: Queryable,
  query: { merchantId: string; limit?: number; cursor?: string },
): Promise<{ items: EndpointRow[]; nextCursor: string | null }> {
  const limit = query.limit ?? 20;
  assertPageLimit(limit, 100);
  const values: unknown[] = [query.merchantId];
  let after = '';
  if (query.cursor !== undefined) {
    const position = decodeCursor(query.cursor);
    after = ` AND (created_at, id) < ($${values.push(position.createdAt)}::timestamptz, $${values.push(position.id)})`;
  }
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM webhook_endpoints WHERE merchant_id = $1${after}
     ORDER BY created_at DESC, id DESC LIMIT $${values.push(limit + 1)}`,
    values,
  );
  const items = rows.slice(0, limit).map(toEndpoint);
  const last = items[items.length - 1];
  const nextCursor = rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null;
  return { items, nextCursor };
}

/** Applies the given changes; enabling an endpoint clears why it was disabled. Undefined when not the merchant's. */
export async function updateEndpoint(
  db: Queryable,
  id: string,
  merchantId: string,
  changes: EndpointChanges,
): Promise<EndpointRow | undefined> {
  const { rows } = await db.query(
    `UPDATE webhook_endpoints SET url = COALESCE($3, url), enabled_events = COALESCE($4::text[], enabled_events),
       description = CASE WHEN $5 THEN $6 ELSE description END, status = COALESCE($7, status),
       disabled_reason = CASE WHEN COALESCE($7, status) = 'enabled' THEN NULL ELSE disabled_reason END,
       updated_at = now()
     WHERE id = $1 AND merchant_id = $2 RETURNING ${COLUMNS}`,
    [
      id,
      merchantId,
      changes.url ?? null,
      changes.enabledEvents ?? null,
      changes.description !== undefined,
      changes.description ?? null,
      changes.status ?? null,
    ],
  );
  return rows[0] ? toEndpoint(rows[0]) : undefined;
}

/** Deletes an endpoint and its delivery records; false when it is not the merchant's. */
export async function deleteEndpoint(db: Queryable, id: string, merchantId: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM webhook_endpoints WHERE id = $1 AND merchant_id = $2', [
    id,
    merchantId,
  ]);
  return (rowCount ?? 0) > 0;
}

/**
 * Replaces the secret; the old one keeps signing for `overlapSeconds` (deliveries then carry one signature per
 * secret), so the merchant can deploy the new one without refusing a delivery. Undefined when not the merchant's.
 */
export async function rotateEndpointSecret(
  db: Queryable,
  id: string,
  merchantId: string,
  overlapSeconds: number,
): Promise<{ row: EndpointRow; secret: string } | undefined> {
  if (!Number.isInteger(overlapSeconds) || overlapSeconds < 0) throw new RangeError('overlapSeconds must be >= 0');
  const secret = newWebhookSecret();
  const { rows } = await db.query(
    `UPDATE webhook_endpoints SET previous_secret = CASE WHEN $4 > 0 THEN secret END,
       previous_secret_expires_at = CASE WHEN $4 > 0 THEN now() + make_interval(secs => $4) END,
       secret = $3, updated_at = now()
     WHERE id = $1 AND merchant_id = $2 RETURNING ${COLUMNS}`,
    [id, merchantId, secret, overlapSeconds],
  );
  return rows[0] ? { row: toEndpoint(rows[0]), secret } : undefined;
}

/** Disables an enabled endpoint, saying why; undefined when it was not enabled (already disabled, or gone). */
export async function disableEndpoint(db: Queryable, id: string, reason: string): Promise<EndpointRow | undefined> {
  const { rows } = await db.query(
    `UPDATE webhook_endpoints SET status = 'disabled', disabled_reason = $2, updated_at = now()
     WHERE id = $1 AND status = 'enabled' RETURNING ${COLUMNS}`,
    [id, reason],
  );
  return rows[0] ? toEndpoint(rows[0]) : undefined;
}

/** The merchant's enabled endpoints that take events of `type`. */
export async function endpointsFor(db: Queryable, merchantId: string, type: string): Promise<EndpointRow[]> {
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM webhook_endpoints
     WHERE merchant_id = $1 AND status = 'enabled' AND ('*' = ANY(enabled_events) OR $2 = ANY(enabled_events))
     ORDER BY created_at, id`,
    [merchantId, type],
  );
  return rows.map(toEndpoint);
}

/** The secrets a delivery is signed with now: the current one, and the previous one inside its overlap. */
export async function signingSecrets(db: Queryable, id: string): Promise<string[]> {
  const { rows } = await db.query<{ secret: string; previous: string | null }>(
    `SELECT secret, CASE WHEN previous_secret_expires_at > now() THEN previous_secret END AS previous
     FROM webhook_endpoints WHERE id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row) return [];
  return row.previous ? [row.secret, row.previous] : [row.secret];
}

function toEndpoint(r: Record<string, unknown>): EndpointRow {
  return {
    id: r.id as string,
    merchantId: r.merchant_id as string,
    url: r.url as string,
    description: (r.description as string | null) ?? null,
    enabledEvents: r.enabled_events as string[],
    status: r.status as EndpointStatus,
    disabledReason: (r.disabled_reason as string | null) ?? null,
    previousSecretExpiresAt: toIsoOrNull(r.previous_secret_expires_at),
    createdAt: toIso(r.created_at),
    updatedAt: toIso(r.updated_at),
  };
}
