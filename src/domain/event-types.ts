// The events a merchant can receive, and which ones a change of a subscription, charge or refund makes.
import type { RefundStatus, SubscriptionStatus } from './subscription-model.js';

/** Every event type, in the order the README's table lists them. */
export const EVENT_TYPES = [
  'subscription.created',
  'subscription.activated',
  'subscription.past_due',
  'subscription.updated',
  'subscription.canceled',
  'subscription.completed',
  'subscription.unpaid',
  'subscription.incomplete',
  'subscription.needs_attention',
  'charge.succeeded',
  'charge.failed',
  'dunning.link_sent',
  'refund.requested',
  'refund.succeeded',
  'refund.failed',
  'webhook_endpoint.disabled',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Whether `text` names an event type. */
export function isEventType(text: string): text is EventType {
  return (EVENT_TYPES as readonly string[]).includes(text);
}

/** The event a subscription entering `status` makes; pending_payment is announced by subscription.created. */
const STATUS_EVENTS: Record<SubscriptionStatus, EventType | undefined> = {
  pending_payment: undefined,
  active: 'subscription.activated',
  past_due: 'subscription.past_due',
  canceled: 'subscription.canceled',
  completed: 'subscription.completed',
  unpaid: 'subscription.unpaid',
  incomplete: 'subscription.incomplete',
  needs_attention: 'subscription.needs_attention',
};

/**
 * The events of one write of a subscription: `before` is the stored row it replaces (absent for the first
 * write). A status change makes its status event; a plan change within the same status makes
 * subscription.updated; a write that changes neither (next charge date, version only) makes none.
 */
export function subscriptionEventTypes(
  before: { status: SubscriptionStatus; samePlan: boolean } | undefined,
  status: SubscriptionStatus,
): EventType[] {
  const types: EventType[] = [];
  if (!before) types.push('subscription.created');
  if (before?.status !== status) {
    const event = STATUS_EVENTS[status];
    if (event) types.push(event);
  } else if (!before.samePlan) types.push('subscription.updated');
  return types;
}

/** The event of a charge reaching `status`; a pending charge makes none until it is decided. */
export function chargeEventType(status: 'succeeded' | 'declined' | 'pending'): EventType | undefined {
  if (status === 'succeeded') return 'charge.succeeded';
  return status === 'declined' ? 'charge.failed' : undefined;
}

/** The events of a refund write: refund.requested when it is first stored, then its final outcome. */
export function refundEventTypes(inserted: boolean, status: RefundStatus): EventType[] {
  const types: EventType[] = inserted ? ['refund.requested'] : [];
  if (status === 'succeeded') types.push('refund.succeeded');
  if (status === 'failed') types.push('refund.failed');
  return types;
}
