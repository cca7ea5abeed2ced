// The vocabulary of a reconciliation: what 2C2P answered, in a form the pure comparison reads, and the
// disagreements and report it produces. Plain data only, so the comparison is testable without I/O.
import type { PaymentOutcome } from '../domain/payment-outcome.js';
import type { PaymentNotification } from '../workflows/definitions.js';

/** Every way the PostgreSQL record and 2C2P can disagree. */
export const DISAGREEMENT_KINDS = [
  /** A charge row whose invoice 2C2P does not know. */
  'charge_missing_at_gateway',
  /** A payment 2C2P made (succeeded or declined) under one of the subscription's invoice numbers, with no row. */
  'charge_missing_in_db',
  /** The row says succeeded and 2C2P declined (or the other way round, or one side is still pending). */
  'charge_outcome_mismatch',
  /** Same invoice, another amount or currency. */
  'charge_amount_mismatch',
  /** The subscription names a plan 2C2P does not know. */
  'plan_missing_at_gateway',
  /** An ended subscription whose plan is still enabled, or a live one whose plan is disabled. */
  'plan_status_mismatch',
  /** A live subscription whose enabled plan charges another amount or currency. */
  'plan_amount_mismatch',
  /** A refund row whose status (settled, pending, failed) is not 2C2P's. */
  'refund_status_mismatch',
  /** A refund row that 2C2P does not list on its charge. */
  'refund_missing_at_gateway',
  /** A refund 2C2P lists on a charge with no row for it. */
  'refund_missing_in_db',
  /** A refund row matched to 2C2P's refund (by reference) with another amount. */
  'refund_amount_mismatch',
  /** Refund rows that together take more than the charge, or refund a charge that did not succeed. */
  'refund_exceeds_charge',
  /** Two refund rows for one refund (same 2C2P reference, or a once-only reason twice on one charge). */
  'duplicate_refund',
  /** 2C2P could not be asked (timeout, bad answer); nothing is known either way until a re-run. */
  'inquiry_failed',
] as const;
export type DisagreementKind = (typeof DISAGREEMENT_KINDS)[number];

/** `signaled`: a workflow message was sent this run; `manual`: no existing message fixes it; null: not acted on. */
export type RepairOutcome = 'signaled' | 'manual' | null;

/** One disagreement, as the report lists it. */
export interface Disagreement {
  kind: DisagreementKind;
  subscriptionId: string;
  invoiceNo?: string;
  detail: string;
  repair: RepairOutcome;
}

/** What a reconciliation looked at, and every disagreement it found. */
export interface ReconcileReport {
  checked: {
    subscriptions: number;
    charges: number;
    refunds: number;
    plans: number;
    /** Invoice numbers asked about because no row holds them (next sequences, first payment, dunning links). */
    probes: number;
    inquiries: number;
    signals: number;
  };
  disagreements: Disagreement[];
}

/** A Payment Inquiry answer, or why there is none. */
export type PaymentAnswer =
  | { found: false; respCode: string; respDesc: string }
  | {
      found: true;
      outcome: Exclude<PaymentOutcome, 'not_found'>;
      /** Undefined when 2C2P gave no amount (or one that cannot be read in `currency`). */
      amountMinor?: number;
      currency?: string;
      /** The answer in the shape of the `paymentNotification` signal, ready to be sent to the workflow. */
      notification: PaymentNotification;
    }
  | { error: string };

/** An RPP inquiry answer, or why there is none. */
export type PlanAnswer =
  | { found: false; respCode: string; respDesc: string }
  | { found: true; enabled: boolean; amountMinor?: number; currency?: string; currentCount?: number }
  | { error: string };

/** One entry of 2C2P's refund list on a charge. */
export interface GatewayRefund {
  amountMinor?: number;
  status: 'succeeded' | 'pending' | 'failed';
  /** 2C2P's wire status (RF, RP, RFF, …), for the detail line. */
  wireStatus: string;
  referenceNo?: string;
}

/** A refund status inquiry on a charge: every refund 2C2P lists on it, or why there is no list. */
export type RefundListAnswer =
  { found: false; respCode: string; respDesc: string } | { found: true; refunds: GatewayRefund[] } | { error: string };
