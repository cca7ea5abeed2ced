// Subscription events for the merchant (e.g. a dunning reminder carrying the payment link), recorded once each.
import type { Queryable } from './pool.js';
import { assertText, jsonParam, toIso, toSafeInteger } from './row-values.js';

export interface EventRow {
  id: number;
  merchantId: string;
  subscriptionId: string;
  /** snake_case, e.g. `dunning_reminder`. */
  type: string;
  dedupeKey: string;
  data: unknown;
  occurredAt: string;
}

export interface EventInput {
  merchantId: string;
  subscriptionId: string;
  type: string;
  /** Unique per subscription and type, e.g. `${invoiceNo}#${reminder}`: a retried activity records nothing new. */
  dedupeKey: string;
  data: unknown;
}

const COLUMNS = 'id, merchant_id, subscription_id, type, dedupe_key, data, occurred_at';

/** Records an event unless one with the same subscription, type and dedupe key exists. */
export async function recordEvent(db: Queryable, e: EventInput): Promise<{ inserted: boolean; row: EventRow }> {
  assertText(e.merchantId, 'merchantId');
  assertText(e.subscriptionId, 'subscriptionId');
  assertText(e.type, 'type');
  assertText(e.dedupeKey, 'dedupeKey');
  const inserted = await db.query(
    `INSERT INTO subscription_events (merchant_id, subscription_id, type, dedupe_key, data)
     VALUES ($1, $2, $3, $4, $5::jsonb)
     ON CONFLICT (subscription_id, type, dedupe_key) DO NOTHING RETURNING ${COLUMNS}`,
    [e.merchantId, e.subscriptionId, e.type, e.dedupeKey, jsonParam(e.data ?? {})],
  );
  if (inserted.rows[0]) return { inserted: true, row: toEvent(inserted.rows[0]) };
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM subscription_events WHERE subscription_id = $1 AND type = $2 AND dedupe_key = $3`,
    [e.subscriptionId, e.type, e.dedupeKey],
  );
  if (!rows[0]) throw new Error('event vanished while being recorded');
  return { inserted: false, row: toEvent(rows[0]) };
}

/** A subscription's events in the order they were recorded. */
export async function listEvents(db: Queryable, subscriptionId: string): Promise<EventRow[]> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM subscription_events WHERE subscription_id = $1 ORDER BY id`, [
    subscriptionId,
  ]);
  return rows.map(toEvent);
}

function toEvent(r: Record<string, unknown>): EventRow {
  return {
    id: toSafeInteger(r.id, 'subscription_events.id'),
    merchantId: r.merchant_id as string,
    subscriptionId: r.subscription_id as string,
    type: r.type as string,
    dedupeKey: r.dedupe_key as string,
    data: r.data,
    occurredAt: toIso(r.occurred_at),
  };
}
