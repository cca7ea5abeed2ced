// RecurringMaintenanceRequest v2.4 (inquiry I, update U, cancel C) and its response.
import { GatewayProtocolError } from '../errors.js';
import type { RecurringMaintenanceRequest, RecurringMaintenanceResponse } from '../types.js';
import { buildXml, parseXmlRoot, pickText } from './xml.js';

/** The 13 request elements in the documented order; 2C2P wants all of them, empty where unknown. */
export const RECURRING_REQUEST_ORDER = [
  'version',
  'timeStamp',
  'merchantID',
  'recurringUniqueID',
  'processType',
  'recurringStatus',
  'amount',
  'allowAccumulate',
  'maxAccumulateAmount',
  'recurringInterval',
  'recurringCount',
  'chargeNextDate',
  'chargeOnDate',
] as const;

const RESPONSE_ORDER = [
  'version',
  'timeStamp',
  'merchantID',
  'recurringUniqueID',
  'respCode',
  'respReason',
  'recurringStatus',
  'invoicePrefix',
  'currency',
  'amount',
  'maskedCardNo',
  'allowAccumulate',
  'maxAccumulateAmount',
  'recurringInterval',
  'recurringCount',
  'currentCount',
  'chargeNextDate',
  'chargeOnDate',
] as const;

export function encodeRecurringMaintenanceRequest(request: RecurringMaintenanceRequest): string {
  return buildXml(
    'RecurringMaintenanceRequest',
    RECURRING_REQUEST_ORDER.map((name) => [name, request[name] ?? '']),
  );
}

export function decodeRecurringMaintenanceRequest(xml: string): RecurringMaintenanceRequest {
  const fields = pickText(parseXmlRoot(xml, 'RecurringMaintenanceRequest'), RECURRING_REQUEST_ORDER);
  const processType = fields.processType;
  if (processType !== 'I' && processType !== 'U' && processType !== 'C') {
    throw new GatewayProtocolError({ reason: 'RecurringMaintenanceRequest has no valid processType' });
  }
  const empty = Object.fromEntries(
    RECURRING_REQUEST_ORDER.map((n) => [n, '']),
  ) as unknown as RecurringMaintenanceRequest;
  return { ...empty, ...fields, processType };
}

/** Encodes in the order of the official inquiry sample; absent fields are left out. */
export function encodeRecurringMaintenanceResponse(response: RecurringMaintenanceResponse): string {
  return buildXml(
    'RecurringMaintenanceResponse',
    RESPONSE_ORDER.map((name) => [name, response[name]]),
  );
}

/** Parses by element name, not position (2C2P's own samples order the fields differently). */
export function decodeRecurringMaintenanceResponse(xml: string): RecurringMaintenanceResponse {
  const fields = pickText(parseXmlRoot(xml, 'RecurringMaintenanceResponse'), RESPONSE_ORDER);
  if (fields.respCode === undefined)
    throw new GatewayProtocolError({ reason: 'RecurringMaintenanceResponse has no respCode' });
  return { ...fields, respCode: fields.respCode, respReason: fields.respReason ?? '' };
}
