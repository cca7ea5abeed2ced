// The subscription workflow's state and the pure rules over it (no Temporal calls here).
import { chargeDate } from '../../domain/billing-schedule.js';
import { toCalendarDate, type CalendarDate } from '../../domain/calendar-date.js';
import type { BillingInterval } from '../../domain/billing-schedule.js';
import {
  TERMINAL_STATUSES,
  type ChargeRecord,
  type PaymentLink,
  type PaymentNotification,
  type Plan,
  type RefundRecord,
  type SubscriptionInput,
  type SubscriptionStatus,
  type SubscriptionTimings,
  type SubscriptionView,
} from '../definitions.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const DEFAULT_TIMINGS: SubscriptionTimings = {
  firstPaymentQuietMs: 2 * MINUTE,
  paymentLinkTtlMs: 60 * MINUTE,
  chargeGraceMs: 6 * HOUR,
  settlementPollMs: 6 * HOUR,
  balanceRetryMs: 12 * HOUR,
  attentionRetryMs: 15 * MINUTE, // unused by version 1
};

/** Where the charge schedule is anchored: a plan change moves the anchor to the next charge. */
export interface ScheduleAnchor {
  sequence: number;
  date: CalendarDate;
  interval: BillingInterval;
}

/** Everything the workflow carries, including across continue-as-new. */
export interface SubscriptionState extends SubscriptionView {
  anchor: ScheduleAnchor;
  /** Verified notifications not yet matched to a charge (arrive early, late, twice or out of order). */
  inbox: PaymentNotification[];
  /** Invoice numbers already recorded; a notification for one of them is a duplicate. */
  seenInvoices: string[];
}

/** The state of a subscription that has just been requested. */
export function initialState(input: SubscriptionInput, invoicePrefix: string): SubscriptionState {
  return {
    merchantId: input.merchantId,
    subscriptionId: input.subscriptionId,
    customerId: input.customerId,
    status: 'pending_payment',
    plan: input.plan,
    invoicePrefix,
    nextSequence: 1,
    nextChargeDate: input.plan.firstChargeDate,
    charges: [],
    refunds: [],
    version: 1,
    anchor: { sequence: 1, date: input.plan.firstChargeDate, interval: input.plan.interval },
    inbox: [],
    seenInvoices: [],
  };
}

/** The timings of a subscription, defaults filled in. */
export function timingsOf(input: SubscriptionInput): SubscriptionTimings {
  return { ...DEFAULT_TIMINGS, ...input.timings };
}

export function isTerminal(status: SubscriptionStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** Invoice number of the first payment: the plan's prefix and sequence 00000 (2C2P numbers charges from 1). */
export function initialInvoiceNo(prefix: string): string {
  return `${prefix}00000`;
}

/** Invoice number 2C2P gives recurring charge `sequence`: invoicePrefix + 5 digits. */
export function recurringInvoiceNo(prefix: string, sequence: number): string {
  return `${prefix}${String(sequence).padStart(5, '0')}`;
}

/** Invoice number of the payment link for a failed charge; `attempt` counts links for that charge. */
export function dunningInvoiceNo(prefix: string, sequence: number, attempt: number): string {
  return `${prefix}D${String(sequence).padStart(5, '0')}${String(attempt).padStart(2, '0')}`;
}

/** Due date of recurring charge `sequence` under the current anchor. */
export function dueDate(state: SubscriptionState, sequence: number): CalendarDate {
  return chargeDate(state.anchor.date, state.anchor.interval, sequence - state.anchor.sequence + 1);
}

/** The period [start, end) a recurring charge pays for. */
export function periodOf(state: SubscriptionState, sequence: number): { start: CalendarDate; end: CalendarDate } {
  return { start: dueDate(state, sequence), end: dueDate(state, sequence + 1) };
}

/** Whether every charge of a counted plan has been handled. */
export function planExhausted(state: SubscriptionState): boolean {
  return state.plan.recurringCount > 0 && state.nextSequence > state.plan.recurringCount;
}

/** Minor units of a charge still refundable: its amount less refunds that did not fail. */
export function refundableMinor(state: SubscriptionState, invoiceNo: string): number {
  const charge = state.charges.find((c) => c.invoiceNo === invoiceNo && c.status === 'succeeded');
  if (!charge) return 0;
  const refunded = state.refunds
    .filter((r) => r.invoiceNo === invoiceNo && r.status !== 'failed')
    .reduce((sum, r) => sum + r.amountMinor, 0);
  return charge.amountMinor - refunded;
}

/** The most recent successful charge that paid for a period. */
export function lastPaidCharge(state: SubscriptionState): ChargeRecord | undefined {
  return [...state.charges].reverse().find((c) => c.status === 'succeeded' && c.period !== undefined);
}

/** Takes the notification for an invoice out of the inbox. */
export function takeNotification(state: SubscriptionState, invoiceNo: string): PaymentNotification | undefined {
  const index = state.inbox.findIndex((n) => n.invoiceNo === invoiceNo);
  if (index < 0) return undefined;
  return state.inbox.splice(index, 1)[0];
}

/** Adds a notification unless it is a duplicate of one already seen or queued. */
export function acceptNotification(state: SubscriptionState, notification: PaymentNotification): boolean {
  if (!notification.invoiceNo.startsWith(state.invoicePrefix)) return false;
  if (state.seenInvoices.includes(notification.invoiceNo)) return false;
  if (state.inbox.some((n) => n.invoiceNo === notification.invoiceNo && n.respCode === notification.respCode))
    return false;
  state.inbox.push(notification);
  return true;
}

/** A public copy of the state, as queries and the database projection see it. */
export function viewOf(state: SubscriptionState): SubscriptionView {
  const { anchor: _anchor, inbox: _inbox, seenInvoices: _seen, ...view } = state;
  return structuredCloneSafe(view);
}

/** The ISO date of an instant, for periods that start on a request. */
export function dayOf(isoOrEpoch: string | number): CalendarDate {
  return toCalendarDate(typeof isoOrEpoch === 'number' ? isoOrEpoch : Date.parse(isoOrEpoch));
}

export type { PaymentLink, Plan, RefundRecord };

function structuredCloneSafe<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
