// PaymentProcessRequest / PaymentProcessResponse: inquiry (I), void (V), settle (S), refund (R), refund status (RS).
import { GatewayProtocolError } from '../errors.js';
import type { PaymentProcessRequest, PaymentProcessResponse, ProcessType, RefundListEntry } from '../types.js';
import { buildXml, escapeXml, parseXmlRoot, pickText } from './xml.js';

const REQUEST_ORDER = [
  'version',
  'timeStamp',
  'merchantID',
  'processType',
  'invoiceNo',
  'actionAmount',
  'bankCode',
  'accountName',
  'accountNumber',
  'notifyURL',
  'idempotencyID',
  'userDefined1',
  'userDefined2',
  'userDefined3',
  'userDefined4',
  'userDefined5',
  'notes',
] as const;

const RESPONSE_ORDER = [
  'version',
  'timeStamp',
  'respCode',
  'respDesc',
  'processType',
  'invoiceNo',
  'amount',
  'status',
  'approvalCode',
  'referenceNo',
  'refundReferenceNo',
  'transactionDateTime',
  'paidAgent',
  'paidChannel',
  'maskedPan',
  'eci',
  'paymentScheme',
  'processBy',
  'userDefined1',
  'userDefined2',
  'userDefined3',
  'userDefined4',
  'userDefined5',
] as const;

const PROCESS_TYPES: readonly ProcessType[] = ['I', 'V', 'S', 'R', 'RS'];

export function encodePaymentProcessRequest(request: PaymentProcessRequest): string {
  return buildXml(
    'PaymentProcessRequest',
    REQUEST_ORDER.map((name) => [name, request[name]]),
  );
}

export function decodePaymentProcessRequest(xml: string): PaymentProcessRequest {
  const element = parseXmlRoot(xml, 'PaymentProcessRequest');
  // The void sample of the docs spells it <timestamp>.
  const fields = pickText(element, [...REQUEST_ORDER, 'timestamp'] as const);
  const { timestamp, ...rest } = fields;
  if (!rest.processType || !PROCESS_TYPES.includes(rest.processType as ProcessType)) {
    throw new GatewayProtocolError({ reason: 'PaymentProcessRequest has no valid processType' });
  }
  return {
    ...rest,
    timeStamp: rest.timeStamp ?? timestamp,
    version: rest.version ?? '',
    merchantID: rest.merchantID ?? '',
    invoiceNo: rest.invoiceNo ?? '',
    processType: rest.processType as ProcessType,
  };
}

export function encodePaymentProcessResponse(response: PaymentProcessResponse): string {
  const refunds = response.refundList
    ? `<refundList>${response.refundList.map(refundElement).join('')}</refundList>`
    : '';
  return buildXml(
    'PaymentProcessResponse',
    RESPONSE_ORDER.map((name) => [name, response[name]]),
    refunds,
  );
}

export function decodePaymentProcessResponse(xml: string): PaymentProcessResponse {
  const element = parseXmlRoot(xml, 'PaymentProcessResponse');
  const fields = pickText(element, RESPONSE_ORDER);
  if (fields.respCode === undefined)
    throw new GatewayProtocolError({ reason: 'PaymentProcessResponse has no respCode' });
  const response: PaymentProcessResponse = { ...fields, respCode: fields.respCode, respDesc: fields.respDesc ?? '' };
  const list = element.refundList as { refund?: Array<Record<string, unknown>> } | '' | undefined;
  if (list !== undefined) {
    response.refundList = (typeof list === 'object' && list?.refund ? list.refund : []).map(
      (r) => pickText(r, ['amount', 'status', 'referenceNo', 'dateTime'] as const) as RefundListEntry,
    );
  }
  return response;
}

function refundElement(entry: RefundListEntry): string {
  const attributes = (['amount', 'status', 'referenceNo', 'dateTime'] as const)
    .filter((name) => entry[name] !== undefined)
    .map((name) => ` ${name}="${escapeXml(entry[name] ?? '')}"`)
    .join('');
  return `<refund${attributes} />`;
}
