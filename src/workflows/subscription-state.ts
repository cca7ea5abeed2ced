// What the subscription workflow carries (across continue-as-new too), and the public view of it.
import {
  TERMINAL_STATUSES,
  type Attention,
  type SubscriptionInput,
  type SubscriptionStatus,
  type SubscriptionTimings,
  type SubscriptionView,
} from './definitions.js';
import type { ClockState } from './clock.js';
import type { Inbox } from './inbox.js';
import type { Schedule, ScheduleAnchor } from './schedule.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const DEFAULT_TIMINGS: SubscriptionTimings = {
  firstPaymentQuietMs: 2 * MINUTE,
  // Long enough that a time zone misread by either side cannot expire a link at birth (issue 9).
  paymentLinkTtlMs: 24 * HOUR,
  chargeGraceMs: 6 * HOUR,
  settlementPollMs: 6 * HOUR,
  balanceRetryMs: 12 * HOUR,
  attentionRetryMs: 15 * MINUTE,
};

/** How many charges and final refunds the workflow keeps; older ones live in PostgreSQL only. */
export const KEPT_CHARGES = 24;

/** The period the last successful charge paid for, and the rate the customer has effectively paid for it. */
export interface PaidPeriod {
  invoiceNo: string;
  period: { start: string; end: string };
  rateMinor: number;
}

/** An answered update, so a retry with the same update id answers the same (idempotency guard). */
export interface HandledUpdate {
  id: string;
  result: unknown;
}

/** A problem the workflow cannot resolve by itself, keyed by the operation that hit it. */
export type OpenAttention = Omit<Attention, 'resumeStatus'>;

/** Everything the workflow carries. `status` is the billing status; `needs_attention` is derived from `attention`. */
export interface SubscriptionState extends Omit<SubscriptionView, 'attention'>, Schedule, Inbox, ClockState {
  anchors: ScheduleAnchor[];
  paidPeriod?: PaidPeriod;
  handledUpdates: HandledUpdate[];
  attention: OpenAttention[];
  /** Bumped whenever the schedule changes, so a wait for the next charge re-reads its due date. */
  scheduleVersion: number;
  /** How 2C2P numbers this plan's charges, once learnt (invoice-numbers.ts). */
  invoiceOffset?: number;
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
    anchors: [{ sequence: 1, date: input.plan.firstChargeDate, interval: input.plan.interval }],
    inbox: [],
    seenInvoices: [],
    handledUpdates: [],
    attention: [],
    scheduleVersion: 0,
    clockOffsetMs: input.clockOffsetMs ?? 0,
  };
}

/** The state a run of version 1 carried over (one `anchor`, no guards), brought to this version's shape. */
export function migrateState(carried: SubscriptionState & { anchor?: ScheduleAnchor }): SubscriptionState {
  const { anchor, ...state } = carried;
  return {
    ...state,
    anchors: state.anchors ?? (anchor ? [anchor] : []),
    handledUpdates: state.handledUpdates ?? [],
    attention: state.attention ?? [],
    scheduleVersion: state.scheduleVersion ?? 0,
    seenInvoices: (state.seenInvoices ?? []).slice(-100),
  };
}

/** The timings of a subscription, defaults filled in. */
export function timingsOf(input: SubscriptionInput): SubscriptionTimings {
  return { ...DEFAULT_TIMINGS, ...input.timings };
}

export function isTerminal(status: SubscriptionStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** The status callers see: `needs_attention` while a problem is open on a subscription that has not ended. */
export function visibleStatus(state: SubscriptionState): SubscriptionStatus {
  return state.attention.length > 0 && !isTerminal(state.status) ? 'needs_attention' : state.status;
}

/** A public copy of the state, as queries and the database projection see it. */
export function viewOf(state: SubscriptionState): SubscriptionView {
  const {
    anchors: _anchors,
    inbox: _inbox,
    seenInvoices: _seen,
    paidPeriod: _paid,
    handledUpdates: _handled,
    attention,
    scheduleVersion: _scheduleVersion,
    invoiceOffset: _invoiceOffset,
    clockOffsetMs: _clockOffsetMs,
    ...view
  } = state;
  const first = attention[0];
  const status = visibleStatus(state);
  const copy: SubscriptionView = JSON.parse(JSON.stringify({ ...view, status })) as SubscriptionView;
  if (first && status === 'needs_attention') copy.attention = { ...first, resumeStatus: state.status };
  if (isTerminal(state.status)) delete copy.nextChargeDate;
  return copy;
}

/** Drops charges and final refunds older than the workflow still needs (they stay in PostgreSQL). */
export function pruneHistory(state: SubscriptionState): void {
  const keep = new Set(state.charges.slice(-KEPT_CHARGES).map((c) => c.invoiceNo));
  if (state.paidPeriod) keep.add(state.paidPeriod.invoiceNo);
  for (const refund of state.refunds) if (!isFinal(refund.status)) keep.add(refund.invoiceNo);
  state.charges = state.charges.filter((c) => keep.has(c.invoiceNo));
  state.refunds = state.refunds.filter((r) => keep.has(r.invoiceNo));
}

export function isFinal(status: string): boolean {
  return status === 'succeeded' || status === 'failed';
}
