// Charges, one row per 2C2P invoice number: recorded once however many notifications or inquiries report it.
import type { Queryable } from './pool.js';
import {
  assertCurrency,
  assertMinor,
  assertText,
  toIso,
  toIsoOrNull,
  toSafeInteger,
  toSafeIntegerOrNull,
} from './row-values.js';

import type { ChargeKind, ChargeSource } from '../domain/subscription-model.js';

export type { ChargeKind, ChargeSource };
/** The workflow's charge statuses, and 'pending' for a charge 2C2P has not decided yet. */
export type ChargeStatus = 'succeeded' | 'declined' | 'pending';

/** A charge as stored. Amounts are safe integers of minor units; instants are ISO strings, dates 'YYYY-MM-DD'. */
export interface ChargeRow {
  merchantId: string;
  invoiceNo: string;
  subscriptionId: string;
  sequence: number | null;
  kind: ChargeKind;
  amountMinor: number;
  currency: string;
  status: ChargeStatus;
  respCode: string;
  respDesc: string;
  tranRef: string | null;
  referenceNo: string | null;
  approvalCode: string | null;
  /** ISO instant of the transaction at 2C2P. */
  transactionAt: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  source: ChargeSource | null;
  recordedAt: string;
}

/** A charge to record; optional fields default to null. */
export type ChargeInput = Omit<ChargeRow, ChargeOptional | 'recordedAt'> & Partial<Pick<ChargeRow, ChargeOptional>>;
type ChargeOptional =
  'respDesc' | 'tranRef' | 'referenceNo' | 'approvalCode' | 'transactionAt' | 'periodStart' | 'periodEnd' | 'source';

const COLUMNS = `merchant_id, invoice_no, subscription_id, sequence, kind, amount_minor, currency, status, resp_code,
  resp_desc, tran_ref, reference_no, approval_code, transaction_at, period_start::text AS period_start,
  period_end::text AS period_end, source, recorded_at`;

// Only a pending charge may change, and only to a final status: a late or duplicate report of a final
// charge is a no-op, so the first final answer wins.
const FINALISE = `
UPDATE charges SET status = $3, resp_code = $4, resp_desc = $5, tran_ref = COALESCE($6, tran_ref),
  reference_no = COALESCE($7, reference_no), approval_code = COALESCE($8, approval_code),
  transaction_at = COALESCE($9::timestamptz, transaction_at), source = COALESCE($10, source)
WHERE merchant_id = $1 AND invoice_no = $2 AND status = 'pending' AND $3 <> 'pending'
RETURNING ${COLUMNS}`;

/** Records a charge once per (merchant, invoice); a repeat returns the stored row (a pending one may become final). */
export async function recordCharge(
  db: Queryable,
  c: ChargeInput,
): Promise<{ inserted: boolean; updated: boolean; row: ChargeRow }> {
  assertText(c.merchantId, 'merchantId');
  assertText(c.invoiceNo, 'invoiceNo');
  assertText(c.subscriptionId, 'subscriptionId');
  assertMinor(c.amountMinor, 'amountMinor');
  assertCurrency(c.currency);
  if (c.sequence !== null && (!Number.isInteger(c.sequence) || c.sequence < 0)) {
    throw new RangeError('sequence must be a non-negative integer or null');
  }
  const inserted = await db.query(
    `INSERT INTO charges (merchant_id, invoice_no, subscription_id, sequence, kind, amount_minor, currency, status,
       resp_code, resp_desc, tran_ref, reference_no, approval_code, transaction_at, period_start, period_end, source)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::timestamptz, $15::date, $16::date, $17)
     ON CONFLICT (merchant_id, invoice_no) DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      c.merchantId,
      c.invoiceNo,
      c.subscriptionId,
      c.sequence,
      c.kind,
      c.amountMinor,
      c.currency,
      c.status,
      c.respCode,
      c.respDesc ?? '',
      c.tranRef ?? null,
      c.referenceNo ?? null,
      c.approvalCode ?? null,
      c.transactionAt ?? null,
      c.periodStart ?? null,
      c.periodEnd ?? null,
      c.source ?? null,
    ],
  );
  if (inserted.rows[0]) return { inserted: true, updated: false, row: toCharge(inserted.rows[0]) };
  const updated = await db.query(FINALISE, [
    c.merchantId,
    c.invoiceNo,
    c.status,
    c.respCode,
    c.respDesc ?? '',
    c.tranRef ?? null,
    c.referenceNo ?? null,
    c.approvalCode ?? null,
    c.transactionAt ?? null,
    c.source ?? null,
  ]);
  if (updated.rows[0]) return { inserted: false, updated: true, row: toCharge(updated.rows[0]) };
  const existing = await getCharge(db, c.merchantId, c.invoiceNo);
  if (!existing) throw new Error(`charge ${c.invoiceNo} vanished while being recorded`);
  return { inserted: false, updated: false, row: existing };
}

/** One charge by merchant and invoice number. */
export async function getCharge(db: Queryable, merchantId: string, invoiceNo: string): Promise<ChargeRow | undefined> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM charges WHERE merchant_id = $1 AND invoice_no = $2`, [
    merchantId,
    invoiceNo,
  ]);
  return rows[0] ? toCharge(rows[0]) : undefined;
}

/** A subscription's charges in the order they happened. */
export async function listCharges(db: Queryable, subscriptionId: string): Promise<ChargeRow[]> {
  const { rows } = await db.query(
    `SELECT ${COLUMNS} FROM charges WHERE subscription_id = $1
     ORDER BY COALESCE(transaction_at, recorded_at), invoice_no`,
    [subscriptionId],
  );
  return rows.map(toCharge);
}

function toCharge(r: Record<string, unknown>): ChargeRow {
  return {
    merchantId: r.merchant_id as string,
    invoiceNo: r.invoice_no as string,
    subscriptionId: r.subscription_id as string,
    sequence: toSafeIntegerOrNull(r.sequence, 'charges.sequence'),
    kind: r.kind as ChargeKind,
    amountMinor: toSafeInteger(r.amount_minor, 'charges.amount_minor'),
    currency: r.currency as string,
    status: r.status as ChargeStatus,
    respCode: r.resp_code as string,
    respDesc: r.resp_desc as string,
    tranRef: (r.tran_ref as string | null) ?? null,
    referenceNo: (r.reference_no as string | null) ?? null,
    approvalCode: (r.approval_code as string | null) ?? null,
    transactionAt: toIsoOrNull(r.transaction_at),
    periodStart: (r.period_start as string | null) ?? null,
    periodEnd: (r.period_end as string | null) ?? null,
    source: (r.source as ChargeSource | null) ?? null,
    recordedAt: toIso(r.recorded_at),
  };
}
