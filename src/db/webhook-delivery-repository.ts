// Webhook deliveries (one event to one endpoint, followed by one workflow) and every attempt at one.
import { createHash } from 'node:crypto';
import { assertPageLimit, decodeCursor, encodeCursor } from './page-cursor.js';
import type { Queryable } from './pool.js';
import { assertText, toIso, toIsoOrNull, toSafeInteger, toSafeIntegerOrNull } from './row-values.js';

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'canceled';

/** One POST of an event to an endpoint, as recorded. */
export interface AttemptRow {
  attempt: number;
  succeeded: boolean;
  statusCode: number | null;
  durationMs: number;
  /** At most 1 KB of the response body. */
  responseExcerpt: string | null;
  /** Why no answer came (timeout, connection refused), when none did. */
  error: string | null;
  attemptedAt: string;
}

export interface DeliveryRow {
  id: string;
  merchantId: string;
  endpointId: string;
  eventId: string;
  workflowId: string;
  status: DeliveryStatus;
  attempts: number;
  createdAt: string;
  completedAt: string | null;
}

export type AttemptInput = Omit<AttemptRow, 'attemptedAt'> & { deliveryId: string };

const COLUMNS = 'id, merchant_id, endpoint_id, event_id, workflow_id, status, attempts, created_at, completed_at';

/** The excerpt kept of a response body: its first 1024 bytes of UTF-8, cut on a character boundary. */
export function responseExcerpt(body: string): string {
  const bytes = Buffer.from(body, 'utf8');
  if (bytes.length <= 1024) return body;
  return new TextDecoder().decode(bytes.subarray(0, 1024)).replace(/\uFFFD+$/, '');
}

/** A delivery's id (`whd_` + 24 hex digits), derived from its workflow id so every writer agrees on it. */
export function deliveryIdOf(workflowId: string): string {
  return `whd_${createHash('sha256').update(workflowId).digest('hex').slice(0, 24)}`;
}

/** Records a delivery for `workflowId` unless one exists; either way returns the stored one. */
export async function createDelivery(
  db: Queryable,
  d: { merchantId: string; endpointId: string; eventId: string; workflowId: string },
): Promise<DeliveryRow> {
  assertText(d.workflowId, 'workflowId');
  await db.query(
    `INSERT INTO webhook_deliveries (id, merchant_id, endpoint_id, event_id, workflow_id, status)
     VALUES ($1, $2, $3, $4, $5, 'pending') ON CONFLICT (workflow_id) DO NOTHING`,
    [deliveryIdOf(d.workflowId), d.merchantId, d.endpointId, d.eventId, d.workflowId],
  );
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM webhook_deliveries WHERE workflow_id = $1`, [d.workflowId]);
  if (!rows[0]) throw new Error(`delivery ${d.workflowId} vanished while being recorded`);
  return toDelivery(rows[0]);
}

/** One delivery by id. */
export async function getDelivery(db: Queryable, id: string): Promise<DeliveryRow | undefined> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM webhook_deliveries WHERE id = $1`, [id]);
  return rows[0] ? toDelivery(rows[0]) : undefined;
}

/** Records an attempt (a retried activity overwrites its own attempt) and counts it on the delivery. */
export async function recordAttempt(db: Queryable, a: AttemptInput): Promise<void> {
  await db.query(
    `INSERT INTO webhook_attempts (delivery_id, attempt, succeeded, status_code, duration_ms, response_excerpt, error)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (delivery_id, attempt) DO UPDATE SET succeeded = EXCLUDED.succeeded,
       status_code = EXCLUDED.status_code, duration_ms = EXCLUDED.duration_ms,
       response_excerpt = EXCLUDED.response_excerpt, error = EXCLUDED.error, attempted_at = now()`,
    [
      a.deliveryId,
      a.attempt,
      a.succeeded,
      a.statusCode,
      Math.max(0, Math.round(a.durationMs)),
      a.responseExcerpt === null ? null : responseExcerpt(a.responseExcerpt),
      a.error,
    ],
  );
  await db.query('UPDATE webhook_deliveries SET attempts = GREATEST(attempts, $2) WHERE id = $1', [
    a.deliveryId,
    a.attempt,
  ]);
}

/** Marks a pending delivery finished; a finished one keeps its first outcome. */
export async function completeDelivery(
  db: Queryable,
  id: string,
  status: Exclude<DeliveryStatus, 'pending'>,
): Promise<void> {
  await db.query(
    `UPDATE webhook_deliveries SET status = $2, completed_at = now() WHERE id = $1 AND status = 'pending'`,
    [id, status],
  );
}

/** Whether any delivery to the endpoint has succeeded since `deliveryId` was created (it included). */
export async function endpointSucceededSince(db: Queryable, endpointId: string, deliveryId: string): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT EXISTS (SELECT 1 FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
       WHERE d.endpoint_id = $1 AND a.succeeded
         AND a.attempted_at >= (SELECT created_at FROM webhook_deliveries WHERE id = $2)) AS ok`,
    [endpointId, deliveryId],
  );
  return Boolean((rows[0] as { ok: boolean } | undefined)?.ok);
}

/** A page of an endpoint's deliveries, newest first, each with its attempts in order. */
export async function listDeliveries(
  db: Queryable,
  query: { endpointId: string; limit?: number; cursor?: string },
): Promise<{ items: Array<DeliveryRow & { attemptLog: AttemptRow[] }>; nextCursor: string | null }> {
  const limit = query.limit ?? 20;
  assertPageLimit(limit, 100);
  const values: unknown[] = [query.endpointId];
  let after = '';
  if (query.cursor !== undefined) {
    const position = decodeCursor(query.cursor);
    after = ` AND (created_at, id) < ($${values.push(position.createdAt)}::timestamptz, $${values.push(position.id)})`;
  }
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM webhook_deliveries WHERE endpoint_id = $1${after}
     ORDER BY created_at DESC, id DESC LIMIT $${values.push(limit + 1)}`,
    values,
  );
  const deliveries = rows.slice(0, limit).map(toDelivery);
  const attempts = await db.query(
    `SELECT delivery_id, attempt, succeeded, status_code, duration_ms, response_excerpt, error, attempted_at
     FROM webhook_attempts WHERE delivery_id = ANY($1::text[]) ORDER BY delivery_id, attempt`,
    [deliveries.map((d) => d.id)],
  );
  const items = deliveries.map((d) => ({
    ...d,
    attemptLog: attempts.rows.filter((a) => a.delivery_id === d.id).map(toAttempt),
  }));
  const last = items[items.length - 1];
  const nextCursor = rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null;
  return { items, nextCursor };
}

function toDelivery(r: Record<string, unknown>): DeliveryRow {
  return {
    id: r.id as string,
    merchantId: r.merchant_id as string,
    endpointId: r.endpoint_id as string,
    eventId: r.event_id as string,
    workflowId: r.workflow_id as string,
    status: r.status as DeliveryStatus,
    attempts: toSafeInteger(r.attempts, 'webhook_deliveries.attempts'),
    createdAt: toIso(r.created_at),
    completedAt: toIsoOrNull(r.completed_at),
  };
}

function toAttempt(r: Record<string, unknown>): AttemptRow {
  return {
    attempt: toSafeInteger(r.attempt, 'webhook_attempts.attempt'),
    succeeded: r.succeeded as boolean,
    statusCode: toSafeIntegerOrNull(r.status_code, 'webhook_attempts.status_code'),
    durationMs: toSafeInteger(r.duration_ms, 'webhook_attempts.duration_ms'),
    responseExcerpt: (r.response_excerpt as string | null) ?? null,
    error: (r.error as string | null) ?? null,
    attemptedAt: toIso(r.attempted_at),
  };
}
