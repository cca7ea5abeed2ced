// Merchant events (subscription.activated, charge.failed, …): recorded once per dedupe key, in the transaction of
// the row they describe, read by the API and dispatched to webhook endpoints by the worker (an outbox).
import { randomBytes } from 'node:crypto';
import { assertPageLimit, decodeCursor, encodeCursor } from './page-cursor.js';
import type { Queryable } from './pool.js';
import { assertText, jsonParam, toIso, toSafeInteger } from './row-values.js';

export interface EventRow {
  /** Public id, `evt_` + 24 hex digits. */
  id: string;
  /** Order of recording (per subscription, and across the deployment). */
  seq: number;
  merchantId: string;
  subscriptionId: string | null;
  /** `object.change`, e.g. `charge.succeeded` (src/domain/event-types.ts). */
  type: string;
  dedupeKey: string;
  /** A snapshot of the object, as the API shows it. */
  data: unknown;
  createdAt: string;
}

export interface EventInput {
  merchantId: string;
  subscriptionId: string | null;
  type: string;
  /** Unique per merchant and type, e.g. `${invoiceNo}#${reminder}`: a retried activity records nothing new. */
  dedupeKey: string;
  data: unknown;
}

const COLUMNS = 'id, seq, merchant_id, subscription_id, type, dedupe_key, data, created_at';

/** Records an event unless one with the same merchant, type and dedupe key exists. */
export async function recordEvent(db: Queryable, e: EventInput): Promise<{ inserted: boolean; row: EventRow }> {
  assertText(e.merchantId, 'merchantId');
  assertText(e.type, 'type');
  assertText(e.dedupeKey, 'dedupeKey');
  const inserted = await db.query(
    `INSERT INTO events (id, merchant_id, subscription_id, type, dedupe_key, data)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb)
     ON CONFLICT (merchant_id, type, dedupe_key) DO NOTHING RETURNING ${COLUMNS}`,
    [newEventId(), e.merchantId, e.subscriptionId, e.type, e.dedupeKey, jsonParam(e.data ?? {})],
  );
  if (inserted.rows[0]) return { inserted: true, row: toEvent(inserted.rows[0]) };
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM events WHERE merchant_id = $1 AND type = $2 AND dedupe_key = $3`,
    [e.merchantId, e.type, e.dedupeKey],
  );
  if (!rows[0]) throw new Error('event vanished while being recorded');
  return { inserted: false, row: toEvent(rows[0]) };
}

/** One event by id; with `merchantId`, only when it is that merchant's. */
export async function getEvent(db: Queryable, id: string, merchantId?: string): Promise<EventRow | undefined> {
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM events WHERE id = $1 AND ($2::text IS NULL OR merchant_id = $2)`,
    [id, merchantId ?? null],
  );
  return rows[0] ? toEvent(rows[0]) : undefined;
}

export interface ListEventsQuery {
  merchantId: string;
  type?: string;
  subscriptionId?: string;
  /** 1 to 100; 20 when absent. */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

/** A page of a merchant's events, newest first (keyset on the recording order). */
export async function listEvents(
  db: Queryable,
  query: ListEventsQuery,
): Promise<{ items: EventRow[]; nextCursor: string | null }> {
  assertText(query.merchantId, 'merchantId');
  const limit = query.limit ?? 20;
  assertPageLimit(limit, 100);
  const values: unknown[] = [query.merchantId];
  const where = ['merchant_id = $1'];
  if (query.type !== undefined) where.push(`type = $${values.push(query.type)}`);
  if (query.subscriptionId !== undefined) where.push(`subscription_id = $${values.push(query.subscriptionId)}`);
  if (query.cursor !== undefined) where.push(`seq < $${values.push(seqOfCursor(query.cursor))}`);
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT $${values.push(limit + 1)}`,
    values,
  );
  const items = rows.slice(0, limit).map(toEvent);
  const last = items[items.length - 1];
  const nextCursor =
    rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: String(last.seq) }) : null;
  return { items, nextCursor };
}

/** A subscription's events in the order they were recorded. */
export async function listSubscriptionEvents(db: Queryable, subscriptionId: string): Promise<EventRow[]> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM events WHERE subscription_id = $1 ORDER BY seq`, [
    subscriptionId,
  ]);
  return rows.map(toEvent);
}

function seqOfCursor(cursor: string): number {
  const { id } = decodeCursor(cursor);
  if (!/^\d{1,15}$/.test(id)) throw new RangeError('cursor is not valid');
  return Number(id);
}

function newEventId(): string {
  return `evt_${randomBytes(12).toString('hex')}`;
}

/** An events row as an EventRow (shared with the outbox, which selects the same columns). */
export function toEvent(r: Record<string, unknown>): EventRow {
  return {
    id: r.id as string,
    seq: toSafeInteger(r.seq, 'events.seq'),
    merchantId: r.merchant_id as string,
    subscriptionId: (r.subscription_id as string | null) ?? null,
    type: r.type as string,
    dedupeKey: r.dedupe_key as string,
    data: r.data,
    createdAt: toIso(r.created_at),
  };
}

/** The columns `toEvent` reads, for queries elsewhere in db. */
export const EVENT_COLUMNS = COLUMNS;
