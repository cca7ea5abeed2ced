// Rebuilds a held (chaos-delayed) notification from its ledger record, so a state file restore can send it later.
import type { SandboxContext } from './context.js';
import { signedNotificationBody } from './notification-payload.js';
import type { NotificationRecord, OutgoingNotification } from './notifier.js';
import { sealedRefundBody } from './refund-completion.js';

/**
 * The notification a record describes, signed (or sealed) from its recorded content, as it was first built;
 * undefined when the record's merchant is not registered with this sandbox.
 */
export function heldNotification(ctx: SandboxContext, record: NotificationRecord): OutgoingNotification | undefined {
  const m = ctx.state.merchant(record.merchantId);
  if (!m) return undefined;
  return {
    kind: record.kind,
    merchantId: record.merchantId,
    url: record.url,
    invoiceNo: record.invoiceNo,
    respCode: record.respCode,
    at: record.at,
    content: record.content,
    ...(record.recurringUniqueID === undefined ? {} : { recurringUniqueID: record.recurringUniqueID }),
    ...(record.recurringSequenceNo === undefined ? {} : { recurringSequenceNo: record.recurringSequenceNo }),
    encode: () =>
      record.kind === 'refund' ? sealedRefundBody(ctx, m, record.content) : signedNotificationBody(m, record.content),
  };
}
