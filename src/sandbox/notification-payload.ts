// Builds backend notification content (2C2P's parameter table, §6.1) for a payment or recurring charge.
import { formatMoney } from '../domain/money.js';
import { formatYyyyMMdd, formatYyyyMMddHHmmss } from '../domain/wire-dates.js';
import { signHs256Payload } from '../gateway/envelopes/hs256.js';
import type { MerchantState, TransactionRecord } from './model.js';
import type { OutgoingNotification } from './notifier.js';

/** agentCode and channelCode the sandbox reports for card payments. */
export const SANDBOX_AGENT_CODE = 'SANDBOX';
/** Channel of every sandbox payment (credit card). */
export const SANDBOX_CHANNEL_CODE = 'CC';

/** The decoded notification of a transaction: every value a string, card number masked. */
export function notificationContent(m: MerchantState, tx: TransactionRecord): Record<string, string> {
  const content: Record<string, string> = {
    merchantID: m.merchant.merchantId,
    invoiceNo: tx.invoiceNo,
    accountNo: tx.card.masked,
    amount: formatMoney(tx.amount),
    currencyCode: tx.amount.currency,
  };
  const customer = tx.customerToken ? m.customerTokens.get(tx.customerToken) : undefined;
  if (customer) {
    content['customerToken'] = customer.customerToken;
    content['customerTokenExpiry'] = formatYyyyMMdd(customer.expiry);
  }
  Object.assign(content, {
    tranRef: tx.tranRef,
    referenceNo: tx.referenceNo,
    approvalCode: tx.approvalCode,
    eci: tx.eci,
    transactionDateTime: formatYyyyMMddHHmmss(tx.createdAt),
    agentCode: SANDBOX_AGENT_CODE,
    channelCode: SANDBOX_CHANNEL_CODE,
    cardType: 'CREDIT',
    issuerCountry: 'SG',
    issuerBank: 'SANDBOX BANK',
  });
  if (tx.recurringUniqueID !== undefined) content['recurringUniqueID'] = tx.recurringUniqueID;
  if (tx.recurringSequenceNo !== undefined) content['recurringSequenceNo'] = String(tx.recurringSequenceNo);
  for (const [key, value] of Object.entries(tx.userDefined)) content[key] = value;
  if (tx.idempotencyID !== undefined) content['idempotencyID'] = tx.idempotencyID;
  Object.assign(content, {
    paymentScheme: tx.card.scheme,
    paymentID: tx.paymentID,
    respCode: tx.respCode,
    respDesc: tx.respDesc,
  });
  return content;
}

/** The body of a backend notification carrying `content`: `{"payload": HS256 JWT}` signed with the merchant secret. */
export async function signedNotificationBody(
  m: MerchantState,
  content: Readonly<Record<string, string>>,
): Promise<{ contentType: string; body: string }> {
  const secret = new TextEncoder().encode(m.merchant.secretKey);
  return {
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify({ payload: await signHs256Payload(JSON.stringify(content), secret) }),
  };
}

/** A backend notification of `tx` to `url`: `{"payload": HS256 JWT}` signed with the merchant secret. */
export function backendNotification(
  m: MerchantState,
  tx: TransactionRecord,
  url: string | undefined,
): OutgoingNotification {
  const content = notificationContent(m, tx);
  return {
    kind: tx.recurringSequenceNo === undefined ? 'payment' : 'recurring',
    merchantId: m.merchant.merchantId,
    url,
    invoiceNo: tx.invoiceNo,
    respCode: tx.respCode,
    at: tx.createdAt,
    content,
    ...(tx.recurringUniqueID === undefined ? {} : { recurringUniqueID: tx.recurringUniqueID }),
    ...(tx.recurringSequenceNo === undefined ? {} : { recurringSequenceNo: tx.recurringSequenceNo }),
    encode: () => signedNotificationBody(m, content),
  };
}
