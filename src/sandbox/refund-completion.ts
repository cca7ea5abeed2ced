// Completes pending refunds (RP → RF) when the clock moves, notifying notifyURL with a sealed PaymentProcessResponse.
import { formatActionAmount } from '../domain/money.js';
import { formatDdMMyyHHmmss, formatYyyyMMddHHmmss } from '../domain/wire-dates.js';
import { encodePaymentProcessResponse } from '../gateway/codecs/payment-process.js';
import type { PaymentProcessResponse } from '../gateway/types.js';
import type { SandboxContext } from './context.js';
import type { MerchantState, RefundRecord, TransactionRecord } from './model.js';
import type { OutgoingNotification } from './notifier.js';
import { sealForMerchant } from './routes/action-envelope.js';

/** The body of a refund notifyURL call carrying `content`: a PaymentProcessResponse sealed for the merchant. */
export async function sealedRefundBody(
  ctx: SandboxContext,
  m: MerchantState,
  content: Readonly<Record<string, string>>,
): Promise<{ contentType: string; body: string }> {
  const xml = encodePaymentProcessResponse(content as unknown as PaymentProcessResponse);
  return { contentType: 'text/plain', body: await sealForMerchant(ctx, m, xml) };
}

function refundNotification(
  ctx: SandboxContext,
  m: MerchantState,
  tx: TransactionRecord,
  refund: RefundRecord,
  at: Date,
): OutgoingNotification {
  const content = {
    version: '4.3',
    timeStamp: formatDdMMyyHHmmss(at),
    respCode: '00',
    respDesc: 'Success',
    processType: 'R',
    invoiceNo: tx.invoiceNo,
    amount: formatActionAmount(refund.amount),
    status: 'RF',
    approvalCode: tx.approvalCode,
    referenceNo: tx.referenceNo,
    refundReferenceNo: refund.referenceNo,
    transactionDateTime: formatYyyyMMddHHmmss(tx.createdAt),
    maskedPan: tx.card.masked,
  };
  return {
    kind: 'refund',
    merchantId: m.merchant.merchantId,
    url: refund.notifyURL,
    invoiceNo: tx.invoiceNo,
    respCode: '00',
    at,
    content,
    encode: () => sealedRefundBody(ctx, m, content),
  };
}

/** Confirms every pending refund at `at`; returns the notifyURL notifications to deliver. */
export function completePendingRefunds(ctx: SandboxContext, at: Date): OutgoingNotification[] {
  const out: OutgoingNotification[] = [];
  for (const m of ctx.state.allMerchants()) {
    for (const tx of m.transactions.values()) {
      for (const refund of tx.refunds) {
        if (refund.status !== 'RP') continue;
        refund.status = 'RF';
        refund.completedAt = at;
        tx.history.push({ status: 'RF', at, amountMinor: refund.amount.minor });
        if (refund.notifyURL) out.push(refundNotification(ctx, m, tx, refund, at));
      }
    }
  }
  return out;
}
