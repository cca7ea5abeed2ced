// A notification's currencyCode as the ISO 4217 alphabetic code the workflow and the ledger record.
import type { FastifyBaseLogger } from 'fastify';
import { alphaCurrencyCode } from '../../domain/money.js';
import type { PaymentNotification } from '../../workflows/definitions.js';

/**
 * The notification with an alphabetic currencyCode ("702" → "SGD"). 2C2P documents A3 here but writes
 * numeric codes elsewhere (the RPP inquiry's `currency` 702), and a workflow recording "702" would fail its
 * ledger write on every retry. A code that is neither is left out and logged: the workflow then records
 * the plan's currency, as it does for an answer that names none.
 */
export function withAlphaCurrency(notification: PaymentNotification, log: FastifyBaseLogger): PaymentNotification {
  const code = notification.currencyCode;
  if (code === undefined) return notification;
  try {
    const alpha = alphaCurrencyCode(code);
    return alpha === code ? notification : { ...notification, currencyCode: alpha };
  } catch {
    log.warn(
      { invoiceNo: notification.invoiceNo, currencyCode: code },
      'notification names a currency the engine does not know; the plan currency is recorded',
    );
    const { currencyCode: _unknown, ...known } = notification;
    return known;
  }
}
