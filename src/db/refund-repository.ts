// Refunds, one row per refund idempotency id; a status only ever moves forward.
import type { RefundReason, RefundStatus } from '../domain/subscription-model.js';
import type { Queryable } from './pool.js';
import { assertCurrency, assertMinor, assertText, toIso, toSafeInteger } from './row-values.js';

export type { RefundReason, RefundStatus };

/** A refund as stored. Amounts are safe integers of minor units; instants are ISO strings. */
export interface RefundRow {
  idempotencyId: string;
  merchantId: string;
  subscriptionId: string;
  invoiceNo: string;
  amountMinor: number;
  currency: string;
  reason: RefundReason;
  status: RefundStatus;
  respCode: string | null;
  respDesc: string | null;
  referenceNo: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A refund at some point of its life; the first write fixes amount, charge and reason. `createdAt` (when
 * the refund was requested) is now() when absent. */
export type RefundInput = Omit<RefundRow, RefundOptional | 'updatedAt'> & Partial<Pick<RefundRow, RefundOptional>>;
type RefundOptional = 'respCode' | 'respDesc' | 'referenceNo' | 'createdAt';

const COLUMNS = `idempotency_id, merchant_id, subscription_id, invoice_no, amount_minor, currency, reason, status,
  resp_code, resp_desc, reference_no, created_at, updated_at`;

// refund_status_rank (migration 1) orders requested < waiting_settlement < pending < succeeded = failed,
// so an activity retried out of order can never take a refund back to an earlier status.
const ADVANCE = `
UPDATE refunds SET status = $3, resp_code = COALESCE($4, resp_code), resp_desc = COALESCE($5, resp_desc),
  reference_no = COALESCE($6, reference_no), updated_at = now()
WHERE idempotency_id = $1 AND merchant_id = $2 AND refund_status_rank($3) > refund_status_rank(status)
RETURNING ${COLUMNS}`;

/** Inserts a refund or moves its status forward; an older or equal status is a no-op returning the stored row. */
export async function upsertRefund(
  db: Queryable,
  r: RefundInput,
): Promise<{ inserted: boolean; updated: boolean; row: RefundRow }> {
  assertText(r.idempotencyId, 'idempotencyId');
  assertText(r.merchantId, 'merchantId');
  assertMinor(r.amountMinor, 'amountMinor');
  if (r.amountMinor === 0) throw new RangeError('amountMinor of a refund must be positive');
  assertCurrency(r.currency);
  const inserted = await db.query(
    `INSERT INTO refunds (idempotency_id, merchant_id, subscription_id, invoice_no, amount_minor, currency, reason,
       status, resp_code, resp_desc, reference_no, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, COALESCE($12::timestamptz, now()))
     ON CONFLICT (idempotency_id) DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      r.idempotencyId,
      r.merchantId,
      r.subscriptionId,
      r.invoiceNo,
      r.amountMinor,
      r.currency,
      r.reason,
      r.status,
      r.respCode ?? null,
      r.respDesc ?? null,
      r.referenceNo ?? null,
      r.createdAt ?? null,
    ],
  );
  if (inserted.rows[0]) return { inserted: true, updated: false, row: toRefund(inserted.rows[0]) };
  const advanced = await db.query(ADVANCE, [
    r.idempotencyId,
    r.merchantId,
    r.status,
    r.respCode ?? null,
    r.respDesc ?? null,
    r.referenceNo ?? null,
  ]);
  if (advanced.rows[0]) return { inserted: false, updated: true, row: toRefund(advanced.rows[0]) };
  const existing = await getRefund(db, r.idempotencyId);
  if (!existing) throw new Error(`refund ${r.idempotencyId} vanished while being saved`);
  if (existing.merchantId !== r.merchantId) throw new Error(`refund ${r.idempotencyId} belongs to another merchant`);
  return { inserted: false, updated: false, row: existing };
}

/** One refund by its idempotency id. */
export async function getRefund(db: Queryable, idempotencyId: string): Promise<RefundRow | undefined> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM refunds WHERE idempotency_id = $1`, [idempotencyId]);
  return rows[0] ? toRefund(rows[0]) : undefined;
}

/** A subscription's refunds, oldest first. */
export async function listRefunds(db: Queryable, subscriptionId: string): Promise<RefundRow[]> {
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM refunds WHERE subscription_id = $1 ORDER BY created_at, idempotency_id`,
    [subscriptionId],
  );
  return rows.map(toRefund);
}

function toRefund(r: Record<string, unknown>): RefundRow {
  return {
    idempotencyId: r.idempotency_id as string,
    merchantId: r.merchant_id as string,
    subscriptionId: r.subscription_id as string,
    invoiceNo: r.invoice_no as string,
    amountMinor: toSafeInteger(r.amount_minor, 'refunds.amount_minor'),
    currency: r.currency as string,
    reason: r.reason as RefundReason,
    status: r.status as RefundStatus,
    respCode: (r.resp_code as string | null) ?? null,
    respDesc: (r.resp_desc as string | null) ?? null,
    referenceNo: (r.reference_no as string | null) ?? null,
    createdAt: toIso(r.created_at),
    updatedAt: toIso(r.updated_at),
  };
}
