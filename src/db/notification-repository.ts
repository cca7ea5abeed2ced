// Backend notifications received from 2C2P, deduplicated by the SHA-256 of the raw signed token.
import type { Queryable } from './pool.js';
import { assertText, jsonParam, sha256Hex, toIso, toSafeInteger } from './row-values.js';

/** A stored notification; the raw token itself is never kept. */
export interface NotificationRow {
  id: number;
  dedupeKey: string;
  merchantId: string;
  invoiceNo: string;
  respCode: string;
  /** The verified, decoded claims. */
  payload: unknown;
  subscriptionId: string | null;
  receivedAt: string;
}

export interface NotificationInput {
  /** The HS256 token exactly as received; only its hash is stored. */
  rawToken: string;
  merchantId: string;
  invoiceNo: string;
  respCode: string;
  payload: unknown;
  subscriptionId?: string | null;
}

const COLUMNS = 'id, dedupe_key, merchant_id, invoice_no, resp_code, payload, subscription_id, received_at';

/** The dedupe key of a raw notification token: its SHA-256 in hex. */
export function notificationDedupeKey(rawToken: string): string {
  return sha256Hex(rawToken);
}

/** Stores a notification unless the same token was stored before; `inserted` says which. */
export async function recordNotification(
  db: Queryable,
  n: NotificationInput,
): Promise<{ inserted: boolean; row: NotificationRow }> {
  assertText(n.rawToken, 'rawToken');
  assertText(n.merchantId, 'merchantId');
  const dedupeKey = notificationDedupeKey(n.rawToken);
  const inserted = await db.query(
    `INSERT INTO notifications (dedupe_key, merchant_id, invoice_no, resp_code, payload, subscription_id)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6)
     ON CONFLICT (dedupe_key) DO NOTHING
     RETURNING ${COLUMNS}`,
    [dedupeKey, n.merchantId, n.invoiceNo, n.respCode, jsonParam(n.payload ?? {}), n.subscriptionId ?? null],
  );
  if (inserted.rows[0]) return { inserted: true, row: toNotification(inserted.rows[0]) };
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM notifications WHERE dedupe_key = $1`, [dedupeKey]);
  if (!rows[0]) throw new Error('notification vanished while being recorded');
  return { inserted: false, row: toNotification(rows[0]) };
}

function toNotification(r: Record<string, unknown>): NotificationRow {
  return {
    id: toSafeInteger(r.id, 'notifications.id'),
    dedupeKey: r.dedupe_key as string,
    merchantId: r.merchant_id as string,
    invoiceNo: r.invoice_no as string,
    respCode: r.resp_code as string,
    payload: r.payload,
    subscriptionId: (r.subscription_id as string | null) ?? null,
    receivedAt: toIso(r.received_at),
  };
}
