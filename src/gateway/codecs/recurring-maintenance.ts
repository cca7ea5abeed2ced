// RecurringMaintenanceRequest v2.4 (inquiry I, update U, cancel C) and its response.
import { toCalendarDate, type CalendarDate } from '../../domain/calendar-date.js';
import { parseYyyyMMdd } from '../../domain/wire-dates.js';
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

/**
 * Parses by element name, not position (2C2P's own samples order the fields differently). A chargeNextDate
 * must be a real yyyyMMdd date, as in the official inquiry sample (`20210307`, SEED-002): anything else is a
 * GatewayProtocolError rather than a guess (requests use ddMMyyyy; a bare `704` is no date at all).
 */
export function decodeRecurringMaintenanceResponse(xml: string): RecurringMaintenanceResponse {
  const fields = pickText(parseXmlRoot(xml, 'RecurringMaintenanceResponse'), RESPONSE_ORDER);
  if (fields.respCode === undefined)
    throw new GatewayProtocolError({ reason: 'RecurringMaintenanceResponse has no respCode' });
  if (fields.chargeNextDate) readChargeNextDate(fields.chargeNextDate);
  return { ...fields, respCode: fields.respCode, respReason: fields.respReason ?? '' };
}

/** An RPP inquiry's chargeNextDate (yyyyMMdd) as a calendar date; GatewayProtocolError when it is not one. */
export function readChargeNextDate(text: string): CalendarDate {
  let date: Date;
  try {
    date = parseYyyyMMdd(text);
  } catch (error) {
    throw new GatewayProtocolError({
      reason: 'RecurringMaintenanceResponse chargeNextDate is not yyyyMMdd',
      cause: error,
    });
  }
  // Eight digits can still be a real date no plan has: 07040115 is 15 January 704.
  if (date.getUTCFullYear() < 2000)
    throw new GatewayProtocolError({ reason: 'RecurringMaintenanceResponse chargeNextDate is not yyyyMMdd' });
  return toCalendarDate(date.getTime());
}
