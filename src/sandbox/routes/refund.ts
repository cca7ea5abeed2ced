// Processes a refund (processType R): settled transactions only, partial up to the amount, within the balance.
import { formatActionAmount, type Money } from '../../domain/money.js';
import { ACTION_CODES, type ActionCode } from '../codes.js';
import type { SandboxContext } from '../context.js';
import type { MerchantState, RefundRecord, TransactionRecord } from '../model.js';
import { refundedMinor } from '../transactions.js';

/** The outcome of a refund request: a result code, and the refund when one was recorded. */
export interface RefundOutcome {
  readonly code: ActionCode;
  readonly refund?: RefundRecord;
}

/**
 * Decides and records a refund. Codes: 12 when the transaction is not settled (voided, failed or still
 * authorised), 40 when the amount alone exceeds the transaction, 30 when it exceeds what remains,
 * 46 when the merchant balance cannot cover it, 42 (status RP) under the refundPending fault (or chaos), else 00.
 */
export function refund(
  ctx: SandboxContext,
  m: MerchantState,
  tx: TransactionRecord,
  amount: Money,
  request: { idempotencyID?: string; notifyURL?: string },
): RefundOutcome {
  if (tx.status !== 'S') return { code: '12' };
  if (amount.minor > tx.amount.minor) return { code: '40' };
  if (refundedMinor(tx) + amount.minor > tx.amount.minor) return { code: '30' };
  if (ctx.state.balanceMinor(m) < amount.minor) return { code: '46' };
  const now = ctx.clock.now();
  const pending = ctx.faults.takeRefundPending(`${m.merchant.merchantId}|${tx.invoiceNo}`);
  const record: RefundRecord = {
    invoiceNo: tx.invoiceNo,
    referenceNo: ctx.state.ids.referenceNo(),
    amount,
    status: pending ? 'RP' : 'RF',
    requestedAt: now,
    ...(pending ? {} : { completedAt: now }),
    ...(request.idempotencyID ? { idempotencyID: request.idempotencyID } : {}),
    ...(request.notifyURL ? { notifyURL: request.notifyURL } : {}),
  };
  tx.refunds.push(record);
  tx.history.push({ status: record.status, at: now, amountMinor: amount.minor });
  return { code: pending ? '42' : '00', refund: record };
}

/** The refundList entries of a transaction (`<refund amount status referenceNo dateTime/>`). */
export function refundList(tx: TransactionRecord, formatDateTime: (d: Date) => string) {
  return tx.refunds.map((r) => ({
    amount: formatActionAmount(r.amount),
    status: r.status,
    referenceNo: r.referenceNo,
    dateTime: formatDateTime(r.completedAt ?? r.requestedAt),
  }));
}

/** The official description of a PaymentAction code. */
export function describe(code: ActionCode): string {
  return ACTION_CODES[code];
}
