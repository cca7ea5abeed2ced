// Response codes the sandbox emits, with 2C2P's descriptions (protocol doc §3.4 and §7.2).

/** PaymentAction (PaymentProcess, RPP maintenance, balance) result codes the sandbox answers with. */
export const ACTION_CODES = {
  '00': 'Success',
  '10': 'Missing Compulsory Values',
  '11': 'Request validation failed',
  '12': 'Transaction status is not valid to perform your action',
  '16': "Requested transaction doesn't exist",
  '17': 'Request type is invalid',
  '18': 'Invalid Action Amount',
  '21': 'Void not allowed',
  '29': 'Transaction is already voided',
  '30': 'Unable to refund more than transaction amount',
  '32': 'Settlement is not required',
  '40': 'Refund amount is more than transaction amount',
  '42': 'Refund pending',
  '46': 'Insufficient funds to perform refund',
  '96': 'Unable to decrypt',
  // The chaos "busy" answer: classified retryable by the client (PaymentAction and RPP tables alike).
  '99': 'Unable to complete the request',
} as const;

/** A PaymentAction result code the sandbox can produce. */
export type ActionCode = keyof typeof ACTION_CODES;

/** PGW v4.3 payment response codes the sandbox answers with or accepts as declines. */
export const PGW_CODES: Readonly<Record<string, string>> = {
  '0000': 'Success',
  '0001': 'Transaction is pending',
  '0003': 'Transaction is cancelled',
  '0999': 'System error',
  '1000': 'Load the redirect URL in an iframe or webview',
  '1001': 'Full redirect to a 3rd-party page',
  '1002': 'Deeplink or external tab',
  '1003': 'Payslip issued, payment pending',
  '1004': 'App-to-app payment',
  '1005': 'Display QR',
  '2001': 'Transaction in progress',
  '2002': 'Transaction not found',
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
  '4091': 'Issuer or switch is inoperative',
  '4096': 'System malfunction',
  '5009': 'Payment expired',
  '6101': 'Invalid request message',
  '6102': 'Required payload',
  '6103': 'Invalid JWT data',
  '9004': 'value not valid',
  '9005': 'Mandatory fields are missing',
  '9007': 'Invalid merchant',
  '9008': 'Invalid payment expiry',
  '9009': 'Amount is invalid',
  '9010': 'Invalid currency code',
  '9015': 'Existing Invoice Number',
  '9040': 'Payment token is invalid',
  '9041': 'Payment token already used',
  '9042': 'Hash value mismatch',
  '9202': 'Invalid CustomerToken',
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

/** The description of a PGW code, or a generic decline text for codes outside the table. */
export function pgwDescription(code: string): string {
  return PGW_CODES[code] ?? 'Transaction is declined';
}
