// POST /2C2PFrontend/PaymentAction/2.0/action: PaymentProcessRequest and RecurringMaintenanceRequest.
import { formatDdMMyyHHmmss } from '../../domain/wire-dates.js';
import { decodePaymentProcessRequest, encodePaymentProcessResponse } from '../../gateway/codecs/payment-process.js';
import {
  decodeRecurringMaintenanceRequest,
  encodeRecurringMaintenanceResponse,
  RECURRING_REQUEST_ORDER,
} from '../../gateway/codecs/recurring-maintenance.js';
import { parseXmlRoot, pickText } from '../../gateway/codecs/xml.js';
import type { PaymentProcessResponse, RecurringMaintenanceResponse } from '../../gateway/types.js';
import { ACTION_CODES } from '../codes.js';
import type { SandboxContext } from '../context.js';
import { textResult, type RouteResult } from '../http-io.js';
import type { MerchantState } from '../model.js';
import { PROCESS_OPERATIONS, RECURRING_OPERATIONS } from '../operations.js';
import { withRequestFault } from '../request-faults.js';
import type { Route } from '../server.js';
import { decryptAction, sealForMerchant, signedByMerchant } from './action-envelope.js';
import { processPayment, type ProcessRequestFields } from './payment-process.js';
import { maintainRecurring, type RecurringRequestFields } from './recurring-maintenance.js';

type Decoded =
  { kind: 'process'; fields: ProcessRequestFields } | { kind: 'recurring'; fields: RecurringRequestFields };

const PROCESS_FIELDS = ['version', 'timeStamp', 'timestamp', 'merchantID', 'processType', 'invoiceNo'] as const;

function decode(xml: string): Decoded | undefined {
  const root = /^\s*(?:<\?xml[^>]*\?>\s*)?<([A-Za-z]+)[\s>/]/.exec(xml)?.[1];
  try {
    if (root === 'PaymentProcessRequest') return { kind: 'process', fields: decodePaymentProcessRequest(xml) };
    if (root === 'RecurringMaintenanceRequest')
      return { kind: 'recurring', fields: decodeRecurringMaintenanceRequest(xml) };
    return undefined;
  } catch {
    // The codecs refuse an unknown processType; read the message leniently so that a well-formed
    // request from a known merchant still gets 2C2P's answer (10 or 17) instead of an HTTP error.
    try {
      if (root === 'PaymentProcessRequest') {
        const { timestamp, ...fields } = pickText(parseXmlRoot(xml, root), PROCESS_FIELDS);
        const timeStamp = fields.timeStamp ?? timestamp;
        return { kind: 'process', fields: { ...fields, ...(timeStamp === undefined ? {} : { timeStamp }) } };
      }
      if (root === 'RecurringMaintenanceRequest') {
        return { kind: 'recurring', fields: pickText(parseXmlRoot(xml, root), RECURRING_REQUEST_ORDER) };
      }
    } catch {
      return undefined;
    }
    return undefined;
  }
}

function encode(d: Decoded, answer: Record<string, unknown>): string {
  return d.kind === 'process'
    ? encodePaymentProcessResponse(answer as unknown as PaymentProcessResponse)
    : encodeRecurringMaintenanceResponse(answer as unknown as RecurringMaintenanceResponse);
}

// A request from a known merchant whose signature fails is answered in 2C2P's own code space (96,
// "Unable to decrypt"), sealed for that merchant, rather than with an HTTP 401: the caller then sees a
// well-formed, final gateway answer it can classify, which is what the result code list provides for. The
// chaos busy answer (99, "Unable to complete the request") has the same bare shape.
function codeOnlyAnswer(ctx: SandboxContext, d: Decoded, code: '96' | '99'): Record<string, string> {
  const head = {
    version: d.fields.version ?? '',
    timeStamp: d.fields.timeStamp || formatDdMMyyHHmmss(ctx.clock.now()),
    respCode: code,
  };
  return d.kind === 'process'
    ? {
        ...head,
        respDesc: ACTION_CODES[code],
        processType: d.fields.processType ?? '',
        invoiceNo: d.fields.invoiceNo ?? '',
      }
    : { ...head, respReason: ACTION_CODES[code], recurringUniqueID: d.fields.recurringUniqueID ?? '' };
}

async function sealed(
  ctx: SandboxContext,
  m: MerchantState,
  xml: string,
  wrongSignature: boolean,
): Promise<RouteResult> {
  return { status: 200, contentType: 'text/plain', body: await sealForMerchant(ctx, m, xml, wrongSignature) };
}

/**
 * Opens the envelope (decrypt with the sandbox key, read merchantID, verify with that merchant's key),
 * then dispatches on the message and processType. Undecryptable bodies, unknown messages and unknown
 * merchants get HTTP 400 plain text, since there is no merchant to seal an answer for.
 */
export const paymentActionRoute: Route = async (r, ctx) => {
  const opened = await decryptAction(ctx, r.body);
  if (!opened) return textResult(400, 'Bad Request: unable to decrypt');
  const decoded = decode(opened.xml);
  if (!decoded) return textResult(400, 'Bad Request: unknown message');
  const m = ctx.state.merchant(decoded.fields.merchantID);
  if (!m) return textResult(400, 'Bad Request: invalid merchant');
  if (!(await signedByMerchant(opened.token, m))) {
    return sealed(ctx, m, encode(decoded, codeOnlyAnswer(ctx, decoded, '96')), false);
  }
  const type = decoded.fields.processType ?? '';
  const operation = decoded.kind === 'process' ? PROCESS_OPERATIONS[type] : RECURRING_OPERATIONS[type];
  const subject = decoded.kind === 'process' ? decoded.fields.invoiceNo : decoded.fields.recurringUniqueID;
  return withRequestFault(
    ctx,
    operation,
    async ({ wrongSignature }) => {
      const answer =
        decoded.kind === 'process' ? processPayment(ctx, m, decoded.fields) : maintainRecurring(ctx, m, decoded.fields);
      return sealed(ctx, m, encode(decoded, answer), wrongSignature);
    },
    {
      key: `${m.merchant.merchantId}|${subject ?? ''}`,
      busy: () => sealed(ctx, m, encode(decoded, codeOnlyAnswer(ctx, decoded, '99')), false),
    },
  );
};
