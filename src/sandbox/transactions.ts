// Creates payment records (first payments and recurring charges) with gateway-assigned references.
import type { Money } from '../domain/money.js';
import { paymentOutcome } from '../domain/payment-outcome.js';
import { pgwDescription } from './codes.js';
import type { Card, MerchantState, TransactionRecord, TransactionStatus } from './model.js';
import type { SandboxState } from './state.js';

/** What is known about a payment when the card has answered. */
export interface NewPayment {
  invoiceNo: string;
  amount: Money;
  card: Card;
  /** PGW result, `0000` for an approval, a pending code (2001, 1001, …) while the bank has not answered. */
  respCode: string;
  at: Date;
  customerToken?: string;
  recurringUniqueID?: string;
  recurringSequenceNo?: number;
  paymentToken?: string;
  userDefined?: Readonly<Record<string, string>>;
  idempotencyID?: string;
  /** The pending (`AP`) transaction this result completes: its references, time and history are kept. */
  held?: TransactionRecord;
}

/**
 * Records a payment: approved ones are authorised (`A`) and fall due for settlement, pending ones wait
 * as `AP` for their result, declined ones are `PF`.
 */
export function recordPayment(state: SandboxState, m: MerchantState, p: NewPayment): TransactionRecord {
  const approved = p.respCode === '0000';
  const status: TransactionStatus = approved ? 'A' : paymentOutcome(p.respCode) === 'pending' ? 'AP' : 'PF';
  const tx: TransactionRecord = {
    merchantId: m.merchant.merchantId,
    invoiceNo: p.invoiceNo,
    amount: p.amount,
    status,
    history: [...(p.held?.history ?? []), { status, at: p.at, amountMinor: p.amount.minor }],
    respCode: p.respCode,
    respDesc: pgwDescription(p.respCode),
    createdAt: p.held?.createdAt ?? p.at,
    refunds: [],
    card: p.card,
    approvalCode: approved ? state.ids.approvalCode() : '',
    referenceNo: p.held?.referenceNo ?? state.ids.referenceNo(),
    tranRef: p.held?.tranRef ?? state.ids.tranRef(),
    paymentID: p.held?.paymentID ?? state.ids.paymentID(),
    eci: '05',
    userDefined: p.userDefined ?? {},
    ...(approved ? { settleAt: new Date(p.at.getTime() + state.settlementDelayMs) } : {}),
    ...(p.customerToken === undefined ? {} : { customerToken: p.customerToken }),
    ...(p.recurringUniqueID === undefined ? {} : { recurringUniqueID: p.recurringUniqueID }),
    ...(p.recurringSequenceNo === undefined ? {} : { recurringSequenceNo: p.recurringSequenceNo }),
    ...(p.paymentToken === undefined ? {} : { paymentToken: p.paymentToken }),
    ...(p.idempotencyID === undefined ? {} : { idempotencyID: p.idempotencyID }),
  };
  m.transactions.set(tx.invoiceNo, tx);
  return tx;
}

/** Total of a transaction's refunds (pending and confirmed), in minor units. */
export function refundedMinor(tx: TransactionRecord): number {
  return tx.refunds.reduce((sum, r) => sum + r.amount.minor, 0);
}
