// Verified notifications that arrived before the workflow asked for them (early, late, twice or out of
// order). Bounded: the oldest unclaimed ones are dropped first, with a log line.
import { log } from '@temporalio/workflow';
import type { PaymentNotification } from './definitions.js';

/** How many unclaimed notifications, and how many recorded invoice numbers, a run keeps. */
export const INBOX_LIMIT = 50;
export const SEEN_LIMIT = 100;

export interface Inbox {
  invoicePrefix: string;
  /** The plan's id at 2C2P once known: its charges are ours whatever invoice number they carry. */
  recurringUniqueID?: string;
  inbox: PaymentNotification[];
  /** Invoice numbers already recorded, newest last; a notification for one of them is a duplicate. */
  seenInvoices: string[];
}

/** Queues a notification unless it is for another subscription or a duplicate of one seen or queued. */
export function acceptNotification(box: Inbox, notification: PaymentNotification): boolean {
  const ours =
    notification.invoiceNo.startsWith(box.invoicePrefix) ||
    (box.recurringUniqueID !== undefined && notification.recurringUniqueID === box.recurringUniqueID);
  if (!ours) return false;
  if (box.seenInvoices.includes(notification.invoiceNo)) return false;
  if (box.inbox.some((n) => n.invoiceNo === notification.invoiceNo && n.respCode === notification.respCode)) {
    return false;
  }
  box.inbox.push(notification);
  if (box.inbox.length > INBOX_LIMIT) {
    const dropped = box.inbox.shift();
    log.warn('inbox full: oldest unclaimed notification dropped', { invoiceNo: dropped?.invoiceNo });
  }
  return true;
}

/** Whether a notification the caller recognises is waiting. */
export function hasNotification(box: Inbox, matches: (n: PaymentNotification) => boolean): boolean {
  return box.inbox.some(matches);
}

/** Takes the oldest notification the caller recognises out of the inbox. */
export function takeNotification(
  box: Inbox,
  matches: (n: PaymentNotification) => boolean,
): PaymentNotification | undefined {
  const index = box.inbox.findIndex(matches);
  return index < 0 ? undefined : box.inbox.splice(index, 1)[0];
}

/** Remembers a recorded invoice, so later notifications for it are duplicates. */
export function markSeen(box: Inbox, invoiceNo: string): void {
  if (box.seenInvoices.includes(invoiceNo)) return;
  box.seenInvoices.push(invoiceNo);
  if (box.seenInvoices.length > SEEN_LIMIT) box.seenInvoices.shift();
  box.inbox = box.inbox.filter((n) => n.invoiceNo !== invoiceNo);
}
