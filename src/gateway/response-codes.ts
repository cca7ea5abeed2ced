// 2C2P response codes, their meaning and how to treat them (§3.4, §7.2 and the inference of §7.4 of
// the protocol notes). PaymentAction and balance use 2-digit codes, the PGW v4.3 APIs 4-digit ones.
import type { ResponseClassification } from './errors.js';

export interface CodeInfo {
  classification: ResponseClassification;
  description: string;
}

const PAYMENT_ACTION: Record<string, string> = {
  '00': 'Success',
  '01': 'Stored card ID cannot be found',
  '02': 'Invalid Request',
  '03': 'Invalid Merchant ID',
  '04': 'Invalid Stored Card Unique ID',
  '05': 'Invalid Customer Email',
  '10': 'Missing Compulsory Values',
  '11': 'Request validation failed',
  '12': 'Transaction status is not valid to perform your action',
  '13': 'Invalid hash value',
  '14': 'Invalid merchant ID',
  '15': 'Invalid invoice number',
  '16': "Requested transaction doesn't exist",
  '17': 'Request type is invalid',
  '18': 'Invalid Action Amount',
  '21': 'Void not allowed',
  '25': 'Void failed',
  '29': 'Transaction is already voided',
  '30': 'Unable to refund more than transaction amount',
  '31': 'Settlement not allowed',
  '32': 'Settlement is not required',
  '33': 'Partial settlement not allowed',
  '34': 'Settlement rejected',
  '35': 'Settlement failed',
  '39': 'Transaction is already settled',
  '40': 'Refund amount is more than transaction amount',
  '41': 'Refund not allowed',
  '42': 'Refund pending',
  '43': 'Partial refund not allowed',
  '44': 'Refund rejected',
  '45': 'Refund failed',
  '46': 'Insufficient funds to perform refund',
  '47': 'Sub Merchant refund amount is more than transaction amount',
  '48': 'Sub merchant has insufficient funds to perform refund',
  '51': 'FX Provider not available',
  '53': 'No transaction reference number',
  '54': 'Refund exceeded allowable timeframe',
  '95': 'Request timed-out',
  '96': 'Unable to decrypt',
  '97': 'Process is not supported',
  '98': 'Request is not available',
  '99': 'Unable to complete the request',
};

const PGW: Record<string, string> = {
  '0000': 'Successful',
  '0001': 'Transaction is pending',
  '0003': 'Transaction is cancelled',
  '0004': 'Soft declined, resubmit with 3DS',
  '0999': 'System error',
  '2001': 'Transaction in progress',
  '2002': 'Transaction not found',
  '2003': 'Failed To Inquiry',
  '4001': 'Refer to card issuer',
  '4005': 'Do not honor',
  '4009': 'Request in progress',
  '4012': 'Invalid transaction',
  '4013': 'Invalid amount',
  '4014': 'Invalid card number',
  '4041': 'Lost card',
  '4043': 'Stolen card',
  '4050': 'Host down',
  '4051': 'Insufficient funds',
  '4054': 'Expired card',
  '4057': 'Transaction not permitted to cardholder',
  '4059': 'Suspected fraud',
  '4068': 'Response received too late',
  '4090': 'Cut-off in progress',
  '4091': 'Issuer or switch inoperative',
  '4096': 'System malfunction',
  '4099': 'Unable to complete payment',
  '4140': 'Transaction does not exist',
  '4202': 'Invalid card/customer token',
  '5002': 'Timeout',
  '5005': 'Duplicated invoice',
  '5009': 'Payment expired',
  '5010': 'Cancelled by payer',
  '6103': 'Invalid JWT data',
  '9004': 'Value is not valid',
  '9005': 'Mandatory fields missing',
  '9006': 'Field exceeds length',
  '9007': 'Invalid merchant',
  '9008': 'Invalid payment expiry',
  '9009': 'Amount is invalid',
  '9010': 'Invalid currency',
  '9015': 'Existing Invoice Number',
  '9040': 'Token is invalid',
  '9041': 'Payment token already used',
  '9042': 'Hash value mismatch',
  '9202': 'Invalid CustomerToken',
  '9900': 'Unable to decrypt payload',
  '9901': 'Invalid invoicePrefix',
  '9902': 'allowAccumulate is required',
  '9903': 'maxAccumulateAmount is required',
  '9904': 'recurringInterval or ChargeOnDate is required',
  '9905': 'recurringCount is required',
  '9906': 'recurringInterval or ChargeOnDate is required',
  '9907': 'Invalid ChargeNextDate',
  '9908': 'Invalid ChargeOnDate',
  '9909': 'chargeNextDate is required',
};

const PGW_PENDING = new Set(['0001', '2001', '4009', '1000', '1001', '1002', '1003', '1004', '1005']);
const PGW_TRANSIENT = new Set(['0999', '5002', '4050', '4068', '4090', '4091', '4096']);

/** Classifies a 2-digit PaymentAction / balance respCode. Unknown codes are final. */
export function classifyPaymentActionCode(code: string): CodeInfo {
  const description = PAYMENT_ACTION[code] ?? 'Unknown response code';
  if (code === '00') return { classification: 'success', description };
  if (code === '42') return { classification: 'pending', description };
  if (code === '95' || code === '99') return { classification: 'transient', description };
  return { classification: 'final', description };
}

/** Classifies a 4-digit PGW respCode (Payment Token, Payment Inquiry, notifications). Unknown codes are final. */
export function classifyPgwCode(code: string): CodeInfo {
  const description = PGW[code] ?? 'Unknown response code';
  if (code === '0000') return { classification: 'success', description };
  if (PGW_PENDING.has(code)) return { classification: 'pending', description };
  if (PGW_TRANSIENT.has(code) || /^99[89]\d$/.test(code)) return { classification: 'transient', description };
  return { classification: 'final', description };
}
