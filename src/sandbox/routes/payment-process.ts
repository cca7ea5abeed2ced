// Answers PaymentProcessRequest I/V/S/R/RS against a merchant's transactions (2C2P result codes, §3.4).
import { formatActionAmount } from '../../domain/money.js';
import { formatDdMMyyHHmmss, formatYyyyMMddHHmmss } from '../../domain/wire-dates.js';
import { ACTION_CODES, type ActionCode } from '../codes.js';
import type { SandboxContext } from '../context.js';
import type { MerchantState, TransactionRecord } from '../model.js';
import { SANDBOX_AGENT_CODE, SANDBOX_CHANNEL_CODE } from '../notification-payload.js';
import { PROCESS_OPERATIONS } from '../operations.js';
import { parseActionAmount } from '../wire-amounts.js';
import { refund, refundList } from './refund.js';

/** The decoded request fields the sandbox reads (wire strings). */
export interface ProcessRequestFields {
  version?: string;
  timeStamp?: string;
  merchantID?: string;
  processType?: string;
  invoiceNo?: string;
  actionAmount?: string;
  idempotencyID?: string;
  notifyURL?: string;
}

/** A PaymentProcessResponse as plain wire strings (plus refundList for RS). */
export type ProcessAnswer = Record<string, string | RefundListEntry[]>;

/** One `<refund amount status referenceNo dateTime/>` of an RS answer. */
export interface RefundListEntry {
  amount: string;
  status: string;
  referenceNo: string;
  dateTime: string;
}

const nonEmpty = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';

function transactionFields(tx: TransactionRecord): Record<string, string> {
  return {
    amount: formatActionAmount(tx.amount),
    status: tx.status,
    approvalCode: tx.approvalCode,
    referenceNo: tx.referenceNo,
    transactionDateTime: formatYyyyMMddHHmmss(tx.createdAt),
    paidAgent: SANDBOX_AGENT_CODE,
    paidChannel: SANDBOX_CHANNEL_CODE,
    maskedPan: tx.card.masked,
    eci: tx.eci,
    paymentScheme: tx.card.scheme,
    processBy: tx.card.scheme,
    ...tx.userDefined,
  };
}

function changeStatus(ctx: SandboxContext, tx: TransactionRecord, status: 'RS' | 'V'): void {
  tx.status = status;
  tx.history.push({ status, at: ctx.clock.now(), amountMinor: tx.amount.minor });
}

/** Handles one verified PaymentProcessRequest and returns the answer (never throws on bad input). */
export function processPayment(ctx: SandboxContext, m: MerchantState, req: ProcessRequestFields): ProcessAnswer {
  const base = {
    version: req.version ?? '',
    timeStamp: nonEmpty(req.timeStamp) ? req.timeStamp : formatDdMMyyHHmmss(ctx.clock.now()),
    respCode: '00',
    respDesc: ACTION_CODES['00'],
    processType: req.processType ?? '',
    invoiceNo: req.invoiceNo ?? '',
  };
  const fail = (code: ActionCode): ProcessAnswer => ({ ...base, respCode: code, respDesc: ACTION_CODES[code] });
  if (!nonEmpty(req.version) || !nonEmpty(req.processType) || !nonEmpty(req.invoiceNo)) return fail('10');
  if (!PROCESS_OPERATIONS[req.processType]) return fail('17');
  const key = nonEmpty(req.idempotencyID) ? req.idempotencyID : undefined;
  const remembered = key === undefined ? undefined : m.idempotentActions.get(key);
  if (remembered) return structuredClone(remembered) as ProcessAnswer;
  const tx = m.transactions.get(req.invoiceNo);
  if (!tx) return fail('16');
  const needsAmount = req.processType === 'V' || req.processType === 'R';
  if (needsAmount && !nonEmpty(req.actionAmount)) return fail('10');
  let amount;
  try {
    amount = nonEmpty(req.actionAmount) ? parseActionAmount(req.actionAmount, tx.amount.currency) : undefined;
  } catch {
    return fail('18');
  }
  if (amount && amount.minor === 0 && needsAmount) return fail('18');
  const ok = (extra: Record<string, string> = {}): ProcessAnswer => ({ ...base, ...transactionFields(tx), ...extra });
  let answer: ProcessAnswer;
  switch (req.processType) {
    case 'I':
      return ok();
    case 'V':
      if (tx.status === 'V') return fail('29');
      if (tx.status === 'S') return fail('21');
      if (tx.status === 'PF') return fail('12');
      if (amount?.minor !== tx.amount.minor) return fail('18');
      changeStatus(ctx, tx, 'V');
      answer = ok();
      break;
    case 'S':
      if (tx.status === 'RS' || tx.status === 'S') return fail('32');
      if (tx.status !== 'A') return fail('12');
      if (amount && amount.minor !== tx.amount.minor) return fail('18');
      changeStatus(ctx, tx, 'RS');
      answer = ok();
      break;
    case 'R': {
      const outcome = refund(ctx, m, tx, amount!, {
        ...(key === undefined ? {} : { idempotencyID: key }),
        ...(nonEmpty(req.notifyURL) ? { notifyURL: req.notifyURL } : {}),
      });
      if (!outcome.refund) return fail(outcome.code);
      answer = ok({
        respCode: outcome.code,
        respDesc: ACTION_CODES[outcome.code],
        amount: formatActionAmount(outcome.refund.amount),
        status: outcome.refund.status,
        refundReferenceNo: outcome.refund.referenceNo,
      });
      break;
    }
    default:
      return { ...ok(), refundList: refundList(tx, formatYyyyMMddHHmmss) };
  }
  // Only requests that took effect are remembered, so a retry after a refusal can still succeed.
  if (key !== undefined) m.idempotentActions.set(key, structuredClone(answer));
  return answer;
}
