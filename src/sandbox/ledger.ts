// Builds the ledger: a plain, JSON-ready snapshot of everything the sandbox did (no keys, masked cards only).
import { money, type Money } from '../domain/money.js';
import { maskedCardNo } from './cards.js';
import type { DayOfMonth, PlanState, StatusEvent, TransactionRecord } from './model.js';
import type { DeliveryAttempt, NotificationRecord } from './notifier.js';
import type { SandboxState } from './state.js';
import { refundedMinor } from './transactions.js';

/** A status change with its sandbox time (ISO 8601). */
export interface LedgerEvent {
  status: string;
  at: string;
  amount?: Money;
}

/** A payment and its life: authorised, settled, voided or failed, with settled and refunded totals. */
export interface LedgerTransaction {
  merchantId: string;
  invoiceNo: string;
  amount: Money;
  status: string;
  respCode: string;
  respDesc: string;
  createdAt: string;
  settledAt?: string;
  settledAmount: Money;
  refundedAmount: Money;
  history: LedgerEvent[];
  maskedPan: string;
  referenceNo: string;
  approvalCode: string;
  customerToken?: string;
  recurringUniqueID?: string;
  recurringSequenceNo?: number;
}

/** One refund (status RP while pending, RF once confirmed). */
export interface LedgerRefund {
  merchantId: string;
  invoiceNo: string;
  referenceNo: string;
  amount: Money;
  status: string;
  requestedAt: string;
  completedAt?: string;
  idempotencyID?: string;
}

/** A recurring plan as it stands. */
export interface LedgerPlan {
  merchantId: string;
  recurringUniqueID: string;
  recurringStatus: 'Y' | 'N';
  state: PlanState;
  invoicePrefix: string;
  amount: Money;
  allowAccumulate: boolean;
  maxAccumulateAmount: Money;
  accumulatedAmount: Money;
  intervalDays?: number;
  chargeOnDate?: DayOfMonth;
  count: number;
  currentCount: number;
  chargeNextDate: string;
  customerToken: string;
  maskedCardNo: string;
  initialInvoiceNo: string;
  history: LedgerEvent[];
}

/** A payment token and its state. */
export interface LedgerPaymentToken {
  merchantId: string;
  paymentToken: string;
  invoiceNo: string;
  amount: Money;
  state: string;
  expiresAt: string;
  recurring: boolean;
}

/** A backend (or refund) notification and how its delivery went. */
export interface LedgerNotification {
  id: number;
  kind: string;
  merchantId: string;
  url: string | null;
  invoiceNo: string;
  respCode: string;
  recurringUniqueID?: string;
  recurringSequenceNo?: number;
  at: string;
  attempts: DeliveryAttempt[];
  delivered: boolean;
  dropped: boolean;
  duplicate: boolean;
  /** A notification chaos delayed: sent once the sandbox clock reaches this time (ISO 8601). */
  heldUntil?: string;
  content: Record<string, string>;
}

/** Everything the sandbox holds, as plain data. */
export interface SandboxLedger {
  now: string;
  merchants: { merchantId: string; currency: string; balance: Money }[];
  transactions: LedgerTransaction[];
  refunds: LedgerRefund[];
  plans: LedgerPlan[];
  paymentTokens: LedgerPaymentToken[];
  notifications: LedgerNotification[];
}

function events(history: readonly StatusEvent[], currency: string): LedgerEvent[] {
  return history.map((e) => ({
    status: e.status,
    at: e.at.toISOString(),
    ...(e.amountMinor === undefined ? {} : { amount: money(e.amountMinor, currency) }),
  }));
}

function transaction(tx: TransactionRecord): LedgerTransaction {
  const currency = tx.amount.currency;
  return {
    merchantId: tx.merchantId,
    invoiceNo: tx.invoiceNo,
    amount: { ...tx.amount },
    status: tx.status,
    respCode: tx.respCode,
    respDesc: tx.respDesc,
    createdAt: tx.createdAt.toISOString(),
    settledAmount: money(tx.settledAt ? tx.amount.minor : 0, currency),
    refundedAmount: money(refundedMinor(tx), currency),
    history: events(tx.history, currency),
    maskedPan: tx.card.masked,
    referenceNo: tx.referenceNo,
    approvalCode: tx.approvalCode,
    ...(tx.settledAt ? { settledAt: tx.settledAt.toISOString() } : {}),
    ...(tx.customerToken === undefined ? {} : { customerToken: tx.customerToken }),
    ...(tx.recurringUniqueID === undefined ? {} : { recurringUniqueID: tx.recurringUniqueID }),
    ...(tx.recurringSequenceNo === undefined ? {} : { recurringSequenceNo: tx.recurringSequenceNo }),
  };
}

function notification(n: NotificationRecord): LedgerNotification {
  const { at, url, content, attempts, heldUntil, ...rest } = n;
  return {
    ...rest,
    url: url ?? null,
    at: at.toISOString(),
    ...(heldUntil === undefined ? {} : { heldUntil: heldUntil.toISOString() }),
    content: { ...content },
    attempts: attempts.map((a) => ({ ...a })),
  };
}

/** Snapshots the state; later changes do not show through. */
export function buildLedger(
  state: SandboxState,
  now: Date,
  notifications: readonly NotificationRecord[],
): SandboxLedger {
  const ledger: SandboxLedger = {
    now: now.toISOString(),
    merchants: [],
    transactions: [],
    refunds: [],
    plans: [],
    paymentTokens: [],
    notifications: notifications.map(notification),
  };
  for (const m of state.allMerchants()) {
    const { merchantId, currency } = m.merchant;
    ledger.merchants.push({ merchantId, currency, balance: money(state.balanceMinor(m), currency) });
    for (const tx of m.transactions.values()) {
      ledger.transactions.push(transaction(tx));
      for (const r of tx.refunds) {
        ledger.refunds.push({
          merchantId,
          invoiceNo: r.invoiceNo,
          referenceNo: r.referenceNo,
          amount: { ...r.amount },
          status: r.status,
          requestedAt: r.requestedAt.toISOString(),
          ...(r.completedAt ? { completedAt: r.completedAt.toISOString() } : {}),
          ...(r.idempotencyID === undefined ? {} : { idempotencyID: r.idempotencyID }),
        });
      }
    }
    for (const p of m.plans.values()) {
      ledger.plans.push({
        merchantId,
        recurringUniqueID: p.recurringUniqueID,
        recurringStatus: p.state === 'active' ? 'Y' : 'N',
        state: p.state,
        invoicePrefix: p.invoicePrefix,
        amount: { ...p.amount },
        allowAccumulate: p.allowAccumulate,
        maxAccumulateAmount: { ...p.maxAccumulate },
        accumulatedAmount: money(p.accumulatedMinor, p.amount.currency),
        count: p.count,
        currentCount: p.currentCount,
        chargeNextDate: p.chargeNextDate.toISOString().slice(0, 10),
        customerToken: p.customerToken,
        maskedCardNo: maskedCardNo(p.card),
        initialInvoiceNo: p.initialInvoiceNo,
        history: events(p.history, p.amount.currency),
        ...(p.intervalDays === undefined ? {} : { intervalDays: p.intervalDays }),
        ...(p.chargeOnDate === undefined ? {} : { chargeOnDate: { ...p.chargeOnDate } }),
      });
    }
    for (const t of m.tokens.values()) {
      ledger.paymentTokens.push({
        merchantId,
        paymentToken: t.paymentToken,
        invoiceNo: t.invoiceNo,
        amount: { ...t.amount },
        state: t.state,
        expiresAt: t.expiresAt.toISOString(),
        recurring: t.recurring !== undefined,
      });
    }
  }
  return ledger;
}
