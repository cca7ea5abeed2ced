// Turns a verified 2C2P notification (or inquiry answer) into the charge the ledger records.
import { paymentOutcome } from './payment-outcome-v1.js';
import { decimalToMinor } from '../../domain/decimal-amount.js';
import type { CalendarDate } from '../../domain/calendar-date.js';
import type { ChargeKind, ChargeRecord, PaymentNotification } from '../definitions.js';

export interface ChargeMeta {
  kind: ChargeKind;
  sequence: number | null;
  currency: string;
  period?: { start: CalendarDate; end: CalendarDate };
  source: 'notification' | 'inquiry';
  /** Amount to record when 2C2P's answer carries none. */
  fallbackAmountMinor?: number;
}

/** The charge a notification reports: succeeded on 0000, declined on any final code. */
export function chargeFromNotification(notification: PaymentNotification, meta: ChargeMeta): ChargeRecord {
  const currency = notification.currencyCode || meta.currency;
  const amountMinor = notification.amount
    ? decimalToMinor(notification.amount, currency)
    : (meta.fallbackAmountMinor ?? 0);
  const succeeded = paymentOutcome(notification.respCode) === 'succeeded';
  return {
    invoiceNo: notification.invoiceNo,
    kind: meta.kind,
    sequence: meta.sequence,
    amountMinor,
    currency,
    status: succeeded ? 'succeeded' : 'declined',
    respCode: notification.respCode,
    respDesc: notification.respDesc,
    tranRef: notification.tranRef,
    referenceNo: notification.referenceNo,
    approvalCode: notification.approvalCode,
    transactionDateTime: notification.transactionDateTime,
    period: succeeded ? meta.period : undefined,
    source: meta.source,
  };
}
