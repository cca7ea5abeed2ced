// The subscription's data model: ids, statuses, plans, charges, refunds and the state callers see.
// Plain types and pure functions shared by the workflow, its activities and the API; no I/O, no Temporal.
import type { BillingInterval } from './billing-schedule.js';
import type { CalendarDate } from './calendar-date.js';

/** The one workflow id of a subscription: starting it twice can never create two plans. */
export function subscriptionWorkflowId(merchantId: string, subscriptionId: string): string {
  return `subscription/${merchantId}/${subscriptionId}`;
}

export type SubscriptionStatus =
  | 'pending_payment' // plan created at 2C2P's payment page, first payment not yet made
  | 'active'
  | 'past_due' // a charge failed; dunning or accumulation under way
  | 'canceled'
  | 'completed' // every charge of a counted plan was made
  | 'incomplete' // the first payment was declined or never made
  | 'unpaid' // dunning window passed without payment; plan cancelled
  | 'needs_attention'; // 2C2P gave an answer the engine cannot act on; retried slowly, an operator may retry now

export const TERMINAL_STATUSES: readonly SubscriptionStatus[] = ['canceled', 'completed', 'incomplete', 'unpaid'];

/** A recurring plan in integer minor units of `currency`. */
export interface Plan {
  amountMinor: number;
  currency: string;
  interval: BillingInterval;
  /** Recurring charges after the first payment (2C2P recurringCount); 0 = until cancelled. */
  recurringCount: number;
  /** Due date of the first recurring charge (2C2P chargeNextDate); the first payment covers the time before. */
  firstChargeDate: CalendarDate;
  allowAccumulate: boolean;
  maxAccumulateMinor: number;
}

export interface DunningPolicy {
  /** Days the customer has to pay a failed charge through the payment link. */
  windowDays: number;
  /** Reminders spread evenly over the window. */
  reminders: number;
}

/** Timings the workflow waits for; overridable per subscription (tests shorten them). */
export interface SubscriptionTimings {
  /** How long to wait for the first payment's notification before asking Payment Inquiry. */
  firstPaymentQuietMs: number;
  /** Lifetime of the payment page link. */
  paymentLinkTtlMs: number;
  /** After a charge falls due, how long to wait for its notification before reconciling. */
  chargeGraceMs: number;
  /** How often to ask 2C2P whether a transaction has settled before refunding it. */
  settlementPollMs: number;
  /** How long to wait when the merchant balance is short of a refund. */
  balanceRetryMs: number;
  /** First wait before retrying a call 2C2P answered in a way the engine cannot act on (doubles to a day). */
  attentionRetryMs: number;
}

export interface SubscriptionInput {
  merchantId: string;
  subscriptionId: string;
  customerId: string;
  description: string;
  plan: Plan;
  /** Stored 2C2P customer tokens to offer on the payment page. */
  customerTokens?: string[];
  dunning: DunningPolicy;
  /** The refund a cancel makes when it names no policy (default 'none'). */
  refundPolicy?: RefundPolicy;
  backendReturnUrl?: string;
  frontendReturnUrl?: string;
  /** When the subscription was requested (API time); the first period starts that day. */
  requestedAt: string;
  timings?: Partial<SubscriptionTimings>;
  /** Continue as new once a run's history passes this many events (default 5 000; the server may ask sooner). */
  historyLimit?: number;
  /** Test clocks only (a sandbox deployment): how far the test clock was ahead of real time at the start. */
  clockOffsetMs?: number;
}

/** A backend notification, already verified (HS256) by the API. */
export interface PaymentNotification {
  invoiceNo: string;
  respCode: string;
  respDesc: string;
  amount?: string;
  currencyCode?: string;
  recurringUniqueID?: string;
  recurringSequenceNo?: string;
  customerToken?: string;
  accountNo?: string;
  tranRef?: string;
  referenceNo?: string;
  approvalCode?: string;
  transactionDateTime?: string;
}

export type ChargeKind = 'initial' | 'recurring' | 'dunning';

/** How a charge was learnt: the backend notification or an inquiry. */
export type ChargeSource = 'notification' | 'inquiry';

export interface ChargeRecord {
  invoiceNo: string;
  kind: ChargeKind;
  sequence: number | null;
  amountMinor: number;
  currency: string;
  status: 'succeeded' | 'declined';
  respCode: string;
  respDesc: string;
  tranRef?: string;
  referenceNo?: string;
  approvalCode?: string;
  transactionDateTime?: string;
  /** The period this charge pays for, when it pays for one. */
  period?: { start: CalendarDate; end: CalendarDate };
  source: ChargeSource;
}

export type RefundStatus = 'requested' | 'waiting_settlement' | 'pending' | 'succeeded' | 'failed';
export type RefundReason =
  | 'cancel_prorated'
  | 'cancel_full'
  | 'downgrade_prorated'
  | 'requested'
  // a payment that succeeded after the subscription had ended (cancelled while the customer paid)
  | 'payment_after_end';

export interface RefundRecord {
  idempotencyId: string;
  invoiceNo: string;
  amountMinor: number;
  currency: string;
  reason: RefundReason;
  status: RefundStatus;
  respCode?: string;
  respDesc?: string;
  referenceNo?: string;
  requestedAt: string;
}

export interface PaymentLink {
  invoiceNo: string;
  paymentToken: string;
  webPaymentUrl: string;
  amountMinor: number;
  currency: string;
  expiresAt: string;
}

/** Everything an operator or the API needs to know about a subscription. */
export interface SubscriptionView {
  merchantId: string;
  subscriptionId: string;
  customerId: string;
  status: SubscriptionStatus;
  plan: Plan;
  invoicePrefix: string;
  recurringUniqueID?: string;
  customerToken?: string;
  maskedCard?: string;
  nextChargeDate?: CalendarDate;
  nextSequence: number;
  checkout?: PaymentLink;
  pendingPaymentLink?: PaymentLink;
  charges: ChargeRecord[];
  refunds: RefundRecord[];
  endedReason?: string;
  /** Why the subscription needs an operator, while its status is `needs_attention`. */
  attention?: Attention;
  /** Monotonic revision; the database projection never goes back to an older one. */
  version: number;
}

/** A gateway answer the workflow could not act on: retried on a slow schedule, or now by the `retry` update. */
export interface Attention {
  /** What the workflow was doing ("Payment inquiry R…00003"). */
  operation: string;
  /** The failure type (a gateway error code such as ERR_GATEWAY_PROTOCOL) and its message. */
  failureType: string;
  reason: string;
  /** ISO instant the problem was first seen. */
  since: string;
  /** Attempts so far, and when the next automatic one is due (ISO). */
  attempts: number;
  nextAttemptAt: string;
  /** The status the subscription returns to once the call succeeds. */
  resumeStatus: SubscriptionStatus;
}

export interface CheckoutResult {
  subscriptionId: string;
  status: SubscriptionStatus;
  webPaymentUrl: string;
  paymentToken: string;
  expiresAt: string;
}

/** A plan change; only the given fields change. */
export interface PlanChange {
  amountMinor?: number;
  interval?: BillingInterval;
  recurringCount?: number;
  allowAccumulate?: boolean;
  maxAccumulateMinor?: number;
  /** Refund the unused part of the current period's difference when the amount goes down. */
  prorate?: boolean;
}

export interface PlanChangeResult {
  plan: Plan;
  nextChargeDate?: CalendarDate;
  refund?: RefundRecord;
}

export type RefundPolicy = 'none' | 'prorated' | 'full_last_charge';

export interface CancelResult {
  status: SubscriptionStatus;
  refund?: RefundRecord;
}

export interface RefundRequest {
  invoiceNo: string;
  /** Defaults to everything still refundable on that charge. */
  amountMinor?: number;
}
