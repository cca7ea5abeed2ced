// Maps verified backend-notification claims to the signal the subscription workflow takes.
// Pure, so the API (which receives notifications) and tests share it with the workflow contract.
import type { PaymentNotification } from './definitions.js';

const FIELDS = [
  'invoiceNo',
  'respCode',
  'respDesc',
  'amount',
  'currencyCode',
  'recurringUniqueID',
  'recurringSequenceNo',
  'customerToken',
  'tranRef',
  'referenceNo',
  'approvalCode',
  'transactionDateTime',
] as const;

/** Keeps the fields the workflow uses; 2C2P names the masked card `cardNo` or `accountNo`. */
export function toPaymentNotification(claims: Record<string, unknown>): PaymentNotification {
  const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);
  const invoiceNo = text(claims.invoiceNo);
  const respCode = text(claims.respCode);
  if (!invoiceNo || !respCode) throw new TypeError('a payment notification needs invoiceNo and respCode');
  const notification: PaymentNotification = { invoiceNo, respCode, respDesc: text(claims.respDesc) ?? '' };
  for (const field of FIELDS) {
    const value = text(claims[field]);
    if (value !== undefined && value !== '') (notification as unknown as Record<string, string>)[field] = value;
  }
  const card = text(claims.accountNo) ?? text(claims.cardNo);
  if (card) notification.accountNo = card;
  return notification;
}
