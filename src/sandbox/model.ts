// Internal, mutable records the sandbox keeps per merchant; the ledger exposes plain copies of them.
import type { Money } from '../domain/money.js';
import type { SandboxMerchant } from './types.js';

/** A card on file, kept only in masked form (the sandbox never stores a full card number). */
export interface Card {
  readonly masked: string;
  readonly scheme: 'VI' | 'MA' | 'JC' | 'AM';
}

/** One step in a record's life (status code and the sandbox time it happened). */
export interface StatusEvent {
  readonly status: string;
  readonly at: Date;
  readonly amountMinor?: number;
}

/**
 * Payment status of a transaction: authorised, ready for settlement, settled, voided, payment failed, or
 * approval pending (the bank has not answered yet; a held payment, see payments.ts `hold`).
 */
export type TransactionStatus = 'A' | 'RS' | 'S' | 'V' | 'PF' | 'AP';

/** A refund against a settled transaction; `RP` until it completes when refunds are faulted to pending. */
export interface RefundRecord {
  readonly invoiceNo: string;
  readonly referenceNo: string;
  readonly amount: Money;
  status: 'RP' | 'RF';
  readonly requestedAt: Date;
  completedAt?: Date;
  readonly idempotencyID?: string;
  readonly notifyURL?: string;
}

/** A payment (first payment of a token, or one recurring charge) and what happened to it since. */
export interface TransactionRecord {
  readonly merchantId: string;
  readonly invoiceNo: string;
  readonly amount: Money;
  status: TransactionStatus;
  readonly history: StatusEvent[];
  readonly respCode: string;
  readonly respDesc: string;
  readonly createdAt: Date;
  settleAt?: Date;
  settledAt?: Date;
  readonly refunds: RefundRecord[];
  readonly card: Card;
  readonly customerToken?: string;
  readonly approvalCode: string;
  readonly referenceNo: string;
  readonly tranRef: string;
  readonly paymentID: string;
  readonly eci: string;
  readonly recurringUniqueID?: string;
  readonly recurringSequenceNo?: number;
  readonly paymentToken?: string;
  readonly userDefined: Readonly<Record<string, string>>;
  readonly idempotencyID?: string;
}

/** Day and month of a chargeOnDate (`ddMM`); the sandbox charges monthly on `day`. */
export interface DayOfMonth {
  readonly day: number;
  readonly month: number;
}

/** The recurring terms of a payment token request, already validated. */
export interface RecurringTerms {
  invoicePrefix: string;
  amount: Money;
  allowAccumulate: boolean;
  maxAccumulate: Money;
  intervalDays?: number;
  chargeOnDate?: DayOfMonth;
  count: number;
  chargeNextDate: Date;
}

/** A payment token issued by /payment/4.3/paymentToken and what became of it. */
export interface PaymentTokenRecord {
  readonly merchantId: string;
  readonly paymentToken: string;
  readonly invoiceNo: string;
  readonly description: string;
  readonly amount: Money;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  /** `pending`: paid on the page, the result not known yet; it is completed later, even past `expiresAt`. */
  state: 'open' | 'pending' | 'paid' | 'declined' | 'expired';
  readonly customerTokens: readonly string[];
  readonly customerTokenOnly: boolean;
  readonly tokenize: boolean;
  readonly backendReturnUrl?: string;
  readonly frontendReturnUrl?: string;
  readonly idempotencyID?: string;
  readonly userDefined: Readonly<Record<string, string>>;
  readonly recurring?: RecurringTerms;
  /** The decoded answer, replayed for a repeat request with the same idempotencyID. */
  readonly response: Readonly<Record<string, string>>;
}

/** Lifecycle of a plan; recurringStatus is `Y` only while `active`. */
export type PlanState = 'active' | 'paused' | 'cancelled' | 'terminated' | 'completed';

/** A recurring payment plan created when a recurring payment token was paid. */
export interface PlanRecord extends RecurringTerms {
  readonly recurringUniqueID: string;
  readonly merchantId: string;
  currentCount: number;
  accumulatedMinor: number;
  state: PlanState;
  readonly customerToken: string;
  readonly card: Card;
  readonly backendReturnUrl?: string;
  readonly initialInvoiceNo: string;
  readonly createdAt: Date;
  readonly history: StatusEvent[];
}

/** A stored card (customer token) issued on approval of a recurring or tokenize payment. */
export interface CustomerTokenRecord {
  readonly customerToken: string;
  readonly card: Card;
  readonly createdAt: Date;
  readonly expiry: Date;
}

/** Everything the sandbox knows about one merchant. */
export interface MerchantState {
  readonly merchant: SandboxMerchant;
  readonly transactions: Map<string, TransactionRecord>;
  readonly tokens: Map<string, PaymentTokenRecord>;
  readonly customerTokens: Map<string, CustomerTokenRecord>;
  readonly plans: Map<string, PlanRecord>;
  /** Payouts out of the balance (sandbox control), which can leave too little for a refund (46). */
  readonly withdrawals: { readonly amount: Money; readonly at: Date }[];
  /** Original PaymentAction answers by idempotencyID (decoded response objects). */
  readonly idempotentActions: Map<string, Readonly<Record<string, unknown>>>;
}
