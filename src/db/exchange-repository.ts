// The append-only audit of every 2C2P exchange: decoded request and response, never keys or secrets.
import { assertPageLimit } from './page-cursor.js';
import type { Queryable } from './pool.js';
import { assertText, jsonParam, toIso, toSafeInteger, toSafeIntegerOrNull } from './row-values.js';

/** One stored exchange; `id` grows with insertion order. */
export interface ExchangeRow {
  id: number;
  merchantId: string;
  subscriptionId: string | null;
  operation: string;
  url: string;
  httpStatus: number | null;
  durationMs: number;
  request: unknown;
  response: unknown;
  error: unknown;
  startedAt: string;
  activityRef: string | null;
}

/** An exchange as the gateway client's observer reports it, plus who it was for. */
export interface ExchangeInput {
  merchantId: string;
  subscriptionId?: string | null;
  operation: string;
  url: string;
  /** ISO instant the request was sent. */
  startedAt: string;
  /** Rounded to whole milliseconds. */
  durationMs: number;
  httpStatus?: number | null;
  request: unknown;
  response?: unknown;
  error?: unknown;
  /** Which activity attempt made the call, e.g. `workflowId/activityId#attempt`. */
  activityRef?: string | null;
}

const COLUMNS = `id, merchant_id, subscription_id, operation, url, http_status, duration_ms, request, response, error,
  started_at, activity_ref`;

/** Appends one exchange to the audit. */
export async function recordExchange(db: Queryable, e: ExchangeInput): Promise<ExchangeRow> {
  assertText(e.merchantId, 'merchantId');
  assertText(e.operation, 'operation');
  if (!Number.isFinite(e.durationMs) || e.durationMs < 0) {
    throw new RangeError('durationMs must be a non-negative number');
  }
  const { rows } = await db.query(
    `INSERT INTO gateway_exchanges (merchant_id, subscription_id, operation, url, http_status, duration_ms, request,
       response, error, started_at, activity_ref)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9::jsonb, $10::timestamptz, $11)
     RETURNING ${COLUMNS}`,
    [
      e.merchantId,
      e.subscriptionId ?? null,
      e.operation,
      e.url,
      e.httpStatus ?? null,
      Math.round(e.durationMs),
      jsonParam(e.request ?? {}),
      jsonParam(e.response),
      jsonParam(e.error),
      e.startedAt,
      e.activityRef ?? null,
    ],
  );
  return toExchange(rows[0] as Record<string, unknown>);
}

/** A subscription's exchanges in the order they were recorded; `afterId` continues from a previous call. */
export async function listExchanges(
  db: Queryable,
  subscriptionId: string,
  options: { limit?: number; afterId?: number } = {},
): Promise<ExchangeRow[]> {
  const limit = options.limit ?? 500;
  assertPageLimit(limit, 1000);
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM gateway_exchanges WHERE subscription_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
    [subscriptionId, options.afterId ?? 0, limit],
  );
  return rows.map(toExchange);
}

function toExchange(r: Record<string, unknown>): ExchangeRow {
  return {
    id: toSafeInteger(r.id, 'gateway_exchanges.id'),
    merchantId: r.merchant_id as string,
    subscriptionId: (r.subscription_id as string | null) ?? null,
    operation: r.operation as string,
    url: r.url as string,
    httpStatus: toSafeIntegerOrNull(r.http_status, 'gateway_exchanges.http_status'),
    durationMs: toSafeInteger(r.duration_ms, 'gateway_exchanges.duration_ms'),
    request: r.request,
    response: r.response ?? null,
    error: r.error ?? null,
    startedAt: toIso(r.started_at),
    activityRef: (r.activity_ref as string | null) ?? null,
  };
}
