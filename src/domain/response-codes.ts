// 2C2P's response codes and what each one means for Recur: one table per code space, every code with 2C2P's
// own description and one class. The gateway reads its errors off these tables and the domain its payment
// outcomes, so a code is classified here and nowhere else.

/**
 * What an answer's respCode tells the caller to do.
 * - `success`: the request did what was asked.
 * - `pending`: accepted, not final yet; follow it by inquiry, never resend it.
 * - `retryable`: 2C2P could not process this request for a passing reason; the same request (same idempotency
 *   key) may be sent again, and the answer says nothing about the money.
 * - `declined-final`: refused; sending the same request again gives the same answer (a new attempt, such as
 *   a dunning retry, is a decision for the workflow).
 * - `outcome-unknown`: the request may have been applied, or money may have moved, without this answer
 *   proving it: reconcile by the matching inquiry (refund status, Payment Inquiry, RPP inquiry), never
 *   resend blindly and never record a failure.
 * - `not-found`: 2C2P has no such transaction or plan (an answer, for inquiries).
 */
export type ResponseClass = 'success' | 'pending' | 'retryable' | 'declined-final' | 'outcome-unknown' | 'not-found';

/** One respCode: its class and 2C2P's description. */
export interface ResponseCode {
  readonly class: ResponseClass;
  readonly description: string;
}

/** One code space: respCode → what it means. */
export type ResponseCodeTable = ReadonlyMap<string, ResponseCode>;

type Row = readonly [code: string, cls: ResponseClass, description: string];

// PaymentAction result codes (PaymentProcess: inquiry, void, settle, refund, refund status; balance inquiry).
// Source: https://developer.2c2p.com/docs/reference-codes-payment-action-result-code (current list, which adds
// 22, 36-38, 49-52, 61 and 65, rewords 30 and turns 51 from "FX Provider not available" into an idempotency
// answer; same list at https://developer.2c2p.com/docs/response-code-payment-maintenance-result-code).
const PAYMENT_ACTION_ROWS: readonly Row[] = [
  ['00', 'success', 'Success'],
  ['01', 'declined-final', 'Stored card ID cannot be found'],
  ['02', 'declined-final', 'Invalid Request'],
  ['03', 'declined-final', 'Invalid Merchant ID'],
  ['04', 'declined-final', 'Invalid Stored Card Unique ID'],
  ['05', 'declined-final', 'Invalid Customer Email'],
  ['10', 'declined-final', 'Missing Compulsory Values'],
  ['11', 'declined-final', 'Request validation failed.'],
  ['12', 'declined-final', 'Transaction status is not valid to perform your action.'],
  ['13', 'declined-final', 'Invalid hash value.'],
  ['14', 'declined-final', 'Invalid merchant ID.'],
  ['15', 'declined-final', 'Invalid invoice number.'],
  // Not found: for an inquiry an answer, for a refund a refusal.
  ['16', 'not-found', "Requested transaction doesn't exist."],
  ['17', 'declined-final', 'Request type is invalid.'],
  ['18', 'declined-final', 'Invalid Action Amount.'],
  ['21', 'declined-final', 'Void not allowed.'],
  ['22', 'declined-final', 'Sub Transaction cannot be voided individually.'],
  ['25', 'declined-final', 'Void failed.'],
  ['29', 'declined-final', 'Transaction is already voided.'],
  ['30', 'declined-final', 'Unable to refund/settle more than transaction amount.'],
  ['31', 'declined-final', 'Settlement not allowed.'],
  ['32', 'declined-final', 'Settlement is not required.'],
  ['33', 'declined-final', 'Partial settlement not allowed.'],
  ['34', 'declined-final', 'Settlement rejected.'],
  ['35', 'declined-final', 'Settlement failed.'],
  ['36', 'declined-final', 'Settlement not allowed beyond deadline.'],
  ['37', 'declined-final', 'Sub Merchant settlement amount is more than transaction amount.'],
  ['38', 'declined-final', 'Sub Transaction cannot be captured individually.'],
  ['39', 'declined-final', 'Transaction is already settled.'],
  ['40', 'declined-final', 'Refund amount is more than transaction amount.'],
  ['41', 'declined-final', 'Refund not allowed.'],
  // Asynchronous refund (APM): the refund status inquiry (RS) gives the end.
  ['42', 'pending', 'Refund pending.'],
  ['43', 'declined-final', 'Partial refund not allowed.'],
  ['44', 'declined-final', 'Refund rejected.'],
  ['45', 'declined-final', 'Refund failed.'],
  // Final for this request; the workflow waits for the merchant balance and asks again.
  ['46', 'declined-final', 'Insufficient funds to perform refund.'],
  ['47', 'declined-final', 'Sub Merchant refund amount is more than transaction amount.'],
  ['48', 'declined-final', 'Sub merchant has insufficient funds to perform refund.'],
  // 49 and 51 answer a refund that repeats one already made or still in flight (same idempotencyID): only the
  // refund status inquiry says whether this refund happened, so neither is a failure.
  ['49', 'outcome-unknown', 'Transaction is already fully refunded.'],
  ['50', 'declined-final', 'Same Idempotent Key exists with different Type'],
  ['51', 'outcome-unknown', 'Same Idempotent Key exists with status Pending'],
  ['52', 'declined-final', 'Cannot retrieve Main Txn. Refund failed.'],
  ['53', 'declined-final', 'No transaction reference number.'],
  ['54', 'declined-final', 'Refund exceeded allowable timeframe.'],
  ['61', 'declined-final', 'Cancel not allowed.'],
  ['65', 'declined-final', 'Cancel Failed.'],
  // 95 and 99 are safe to resend: every refund Recur sends carries its idempotencyID (2C2P answers the original,
  // 51 or 49), and an RPP request sets the same fields twice.
  ['95', 'retryable', 'Request timed-out'],
  ['96', 'declined-final', 'Unable to decrypt.'],
  ['97', 'declined-final', 'Process is not supported.'],
  ['98', 'declined-final', 'Request is not available'],
  ['99', 'retryable', 'Unable to complete the request.'],
];

// RPP maintenance answers (RecurringMaintenanceRequest I/U/C) share the PaymentAction endpoint and its code list.
// 2C2P publishes no RPP-specific table (none on
// https://developer.2c2p.com/docs/api-payment-action-recurring-maintenance or
// https://developer.2c2p.com/docs/payment-maintenance-recurring-payment-guide), so the Payment Maintenance result
// codes above apply, classified for a plan request. Refund states and idempotency answers cannot answer a plan
// request (RPP requests carry no idempotencyID): if one ever comes, the request failed.
const RPP_CLASS_OVERRIDES: Readonly<Record<string, ResponseClass>> = {
  '42': 'declined-final',
  '49': 'declined-final',
  '51': 'declined-final',
};

// PGW v4.3 payment response codes (respCode of Payment Token, Payment Inquiry and the backend notification).
// Sources: https://developer.2c2p.com/docs/response-code-payment (current; its stored copy ends at 4054: it
// rewords 2003 and no longer lists 4017), https://developer.2c2p.com/v4.3.1/docs/response-code-payment for the
// codes after 4054, and https://developer.2c2p.com/docs/payment-flow-response-code for the Payment Flow codes
// 1000-1005 and 2000 that the hosted page and Do Payment answer with. Card declines are 40 + the ISO 8583 code
// (https://developer.2c2p.com/docs/response-code-card-iso-8583).
const PGW_ROWS: readonly Row[] = [
  ['0000', 'success', 'Successful'],
  ['0001', 'pending', 'Transaction is pending'],
  ['0003', 'declined-final', 'Transaction is cancelled'],
  ['0004', 'declined-final', 'Transaction is soft-declined. Resubmit the transaction after 3ds authentication'],
  // 2C2P failed to process this request: resend it; for a payment, ask again (it says nothing of the money).
  ['0999', 'retryable', 'System error'],
  // Payment Flow codes 1000-1005: the customer still has to act (redirect, app, payslip, QR).
  ['1000', 'pending', 'Load redirect URL with IFrame / Webview.'],
  ['1001', 'pending', 'Do full redirect to 3rd party web page.'],
  [
    '1002',
    'pending',
    'Load redirect URL with multiple tab in external web browser or Load redirect Scheme URL to open 3rd party application that do not do call back.',
  ],
  ['1003', 'pending', 'Get Alternative Payment Method (123) payslip information and set transaction status PENDING.'],
  ['1004', 'pending', 'Redirect to external app with app scheme, and back with app call back.'],
  ['1005', 'pending', 'Display generated QR information for scan.'],
  // Payment Flow "transaction completed": the result is not in this message, Payment Inquiry has it.
  [
    '2000',
    'outcome-unknown',
    'Transaction completed, perform payment inquiry to get payment status and full response.',
  ],
  ['2001', 'pending', 'Transaction in progress'],
  ['2002', 'not-found', 'Transaction not found'],
  // "Failed To Inquiry" in v4.3.1: it may be the inquiry that failed, not the payment.
  ['2003', 'outcome-unknown', 'Payment / Inquiry Failed'],
  // A card check, not a payment: Recur never asks for one, so for a charge nothing was collected.
  ['4000', 'declined-final', 'Card Verification Successful'],
  ['4001', 'declined-final', 'Refer to card issuer'],
  ['4002', 'declined-final', "Refer to issuer's special conditions"],
  ['4003', 'declined-final', 'Invalid merchant ID'],
  ['4004', 'declined-final', 'Pick up card'],
  ['4005', 'declined-final', 'Do not honor'],
  ['4006', 'declined-final', 'Error'],
  ['4007', 'declined-final', 'Pick up card, special condition'],
  // 4008, 4010, 4011, 4016 are ISO 8583 approval variants: 2C2P reports an approved payment as 0000, so
  // these prove neither outcome.
  ['4008', 'outcome-unknown', 'Honor with ID'],
  ['4009', 'pending', 'Request in progress'],
  ['4010', 'outcome-unknown', 'Partial amount approved'],
  ['4011', 'outcome-unknown', 'Approved VIP'],
  ['4012', 'declined-final', 'Invalid Transaction'],
  ['4013', 'declined-final', 'Invalid Amount'],
  ['4014', 'declined-final', 'Invalid Card Number'],
  ['4015', 'declined-final', 'No such issuer'],
  ['4016', 'outcome-unknown', 'Approved, Update Track 3'],
  ['4018', 'declined-final', 'Customer Dispute'],
  ['4019', 'declined-final', 'Re-enter Transaction'],
  ['4020', 'declined-final', 'Invalid Response'],
  ['4021', 'declined-final', 'No Action Taken'],
  ['4022', 'declined-final', 'Suspected Malfunction'],
  ['4023', 'declined-final', 'Unacceptable Transaction Fee'],
  ['4024', 'declined-final', 'File Update Not Supported by Receiver'],
  ['4025', 'declined-final', 'Unable to Locate Record on File'],
  ['4026', 'declined-final', 'Duplicate File Update Record'],
  ['4027', 'declined-final', 'File Update Field Edit Error'],
  ['4028', 'declined-final', 'File Update File Locked Out'],
  ['4029', 'declined-final', 'File Update not Successful'],
  ['4030', 'declined-final', 'Format Error'],
  ['4031', 'declined-final', 'Bank Not Supported by Switch'],
  // Per the current card-code page, also the answer once a merchant QR is shown, before it is paid.
  ['4032', 'pending', 'Completed Partially'],
  ['4033', 'declined-final', 'Expired Card - Pick Up'],
  ['4034', 'declined-final', 'Suspected Fraud - Pick Up'],
  ['4035', 'declined-final', 'Restricted Card - Pick Up'],
  ['4036', 'declined-final', 'Allowable PIN Tries Exceeded'],
  ['4037', 'declined-final', 'No Credit Account'],
  ['4038', 'declined-final', 'Allowable PIN Tries Exceeded'],
  ['4039', 'declined-final', 'No Credit Account'],
  ['4040', 'declined-final', 'Requested Function not Supported'],
  ['4041', 'declined-final', 'Lost Card - Pick Up'],
  ['4042', 'declined-final', 'No Universal Amount'],
  ['4043', 'declined-final', 'Stolen Card - Pick Up'],
  ['4044', 'declined-final', 'No Investment Account'],
  // 4045-4048 and 41xx are states after the payment: success where the payment stands, outcome-unknown where
  // it may not (settlement or void failed, refunded, charged back), declined where it was voided.
  ['4045', 'success', 'Settlement Success'],
  ['4046', 'outcome-unknown', 'Settlement Fail'],
  ['4047', 'declined-final', 'Cancel Success'],
  ['4048', 'outcome-unknown', 'Cancel Fail'],
  ['4049', 'declined-final', 'No Transaction Reference Number'],
  // Issuer or network down (4050, 4068, 4090, 4091, 4096): this attempt is declined, a later one may pass.
  ['4050', 'declined-final', 'Host Down'],
  ['4051', 'declined-final', 'Insufficient Funds'],
  ['4052', 'declined-final', 'No Cheque Account'],
  ['4053', 'declined-final', 'No Savings Account'],
  ['4054', 'declined-final', 'Expired Card'],
  ['4055', 'declined-final', 'Incorrect PIN'],
  ['4056', 'declined-final', 'No Card Record'],
  ['4057', 'declined-final', 'Transaction Not Permitted to Cardholder'],
  ['4058', 'declined-final', 'Transaction Not Permitted to Terminal'],
  ['4059', 'declined-final', 'Suspected Fraud'],
  ['4060', 'declined-final', 'Card Acceptor Contact Acquirer'],
  ['4061', 'declined-final', 'Exceeds Withdrawal Amount Limits'],
  ['4062', 'declined-final', 'Restricted Card'],
  ['4063', 'declined-final', 'Security Violation'],
  ['4064', 'declined-final', 'Original Amount Incorrect'],
  ['4065', 'declined-final', 'Exceeds Withdrawal Frequency Limit'],
  ['4066', 'declined-final', 'Card Acceptor Call Acquirer Security'],
  ['4067', 'declined-final', 'Hard Capture - Pick Up Card at ATM'],
  ['4068', 'declined-final', 'Response Received Too Late'],
  ['4069', 'declined-final', 'Reserved'],
  ['4070', 'declined-final', 'Settle amount cannot exceed authorized amount'],
  ['4071', 'not-found', 'Inquiry Record Not Exist'],
  ['4072', 'declined-final', 'Promotion not allowed in current payment method'],
  ['4073', 'declined-final', 'Promotion Limit Reached'],
  ['4074', 'declined-final', 'Reserved'],
  ['4075', 'declined-final', 'Allowable PIN Tries Exceeded'],
  ['4076', 'declined-final', 'Invalid Credit Card Format'],
  ['4077', 'declined-final', 'Invalid Expiry Date Format'],
  ['4078', 'declined-final', 'Invalid Three Digits Format'],
  ['4079', 'declined-final', 'Reserved'],
  ['4080', 'declined-final', 'User Cancellation by Closing Internet Browser'],
  ['4081', 'declined-final', 'Unable to Authenticate Card Holder'],
  ['4082', 'declined-final', 'Reserved'],
  ['4083', 'declined-final', 'Reserved'],
  ['4084', 'declined-final', 'Reserved'],
  ['4085', 'declined-final', 'Reserved'],
  ['4086', 'declined-final', 'ATM Malfunction'],
  ['4087', 'declined-final', 'No Envelope Inserted'],
  ['4088', 'declined-final', 'Unable to Dispense'],
  ['4089', 'declined-final', 'Administration Error'],
  ['4090', 'declined-final', 'Cut-off in Progress'],
  ['4091', 'declined-final', 'Issuer or Switch is Inoperative'],
  ['4092', 'declined-final', 'Financial Insititution Not Found'],
  ['4093', 'declined-final', 'Trans Cannot Be Completed'],
  // The issuer saw this request twice: the first may have been approved.
  ['4094', 'outcome-unknown', 'Duplicate Transmission'],
  ['4095', 'declined-final', 'Reconcile Error'],
  ['4096', 'declined-final', 'System Malfunction'],
  ['4097', 'declined-final', 'Reconciliation Totals Reset'],
  ['4098', 'declined-final', 'MAC Error'],
  ['4099', 'declined-final', 'Unable to Complete Payment'],
  ['4110', 'success', 'Settled'],
  ['4120', 'outcome-unknown', 'Refunded'],
  ['4121', 'success', 'Refund Rejected'],
  ['4122', 'success', 'Refund Failed'],
  ['4130', 'outcome-unknown', 'Chargeback'],
  ['4131', 'success', 'Chargeback Rejected'],
  ['4132', 'success', 'Chargeback Failed'],
  ['4140', 'not-found', 'Transaction Does Not Exist'],
  // Tokenised without a payment (Recur never asks for tokenize-only): for a charge nothing was collected.
  ['4200', 'declined-final', 'Tokenization Successful'],
  ['4201', 'declined-final', 'Tokenization Failed'],
  ['4202', 'declined-final', 'Invalid Card / Customer Token'],
  ['4203', 'declined-final', 'No response from account issuer'],
  ['4204', 'declined-final', 'Tokenization Action Failed (Token)'],
  ['4205', 'declined-final', 'Tokenization Action Failed (Limit Exceed)'],
  ['4208', 'declined-final', 'Tokenization Action Failed (Client)'],
  ['4209', 'declined-final', 'Tokenization Action Failed (Issuer)'],
  // 2C2P timed out on this request: resend it, or ask again.
  ['5002', 'retryable', 'Timeout'],
  ['5003', 'declined-final', 'Invalid Message'],
  ['5004', 'declined-final', 'Invalid Profile (Merchant) ID'],
  ['5005', 'declined-final', 'Duplicated Invoice'],
  ['5006', 'declined-final', 'Invalid Amount'],
  ['5007', 'declined-final', 'Insufficient Balance'],
  ['5008', 'declined-final', 'Invalid Currency Code'],
  ['5009', 'declined-final', 'Payment Expired'],
  ['5010', 'declined-final', 'Payment Canceled By Payer'],
  ['5011', 'declined-final', 'Invalid Payee ID'],
  ['5012', 'declined-final', 'Invalid Customer ID'],
  ['5013', 'declined-final', 'Account Does Not Exist'],
  ['5014', 'declined-final', 'Authentication Failed'],
  // Money moved, but not the amount asked (5015, 5016) or after the expiry (5017): never a plain decline.
  ['5015', 'outcome-unknown', 'Customer paid more than transaction amount'],
  ['5016', 'outcome-unknown', 'Customer paid less than transaction amount'],
  ['5017', 'outcome-unknown', 'Paid Expired'],
  ['5018', 'declined-final', 'Reserved'],
  ['5019', 'declined-final', 'No-Action From WebPay'],
  ['5998', 'retryable', 'Internal Error'],
  ['6012', 'declined-final', 'Invalid Transaction'],
  ['6101', 'declined-final', 'Invalid request message'],
  ['6102', 'declined-final', 'Required Payload'],
  ['6103', 'declined-final', 'Invalid JWT data'],
  ['6104', 'declined-final', 'Required merchantId'],
  ['6105', 'declined-final', 'Required paymentChannel'],
  ['6106', 'declined-final', 'Required authCode'],
  ['6107', 'declined-final', 'Invalid merchantId'],
  ['6108', 'declined-final', 'Invalid paymentChannel'],
  ['6109', 'declined-final', 'paymentChannel is not configured'],
  ['6110', 'declined-final', 'Unable to retrieve usertoken'],
  ['7012', 'declined-final', 'Invalid Transaction'],
  ['9004', 'declined-final', 'The [ParameterName] value is not valid'],
  ['9005', 'declined-final', 'Some mandatory fields are missing'],
  ['9006', 'declined-final', 'This field exceeded its authorized length'],
  ['9007', 'declined-final', 'Invalid merchant'],
  ['9008', 'declined-final', 'Invalid payment expiry'],
  ['9009', 'declined-final', 'Amount is invalid'],
  ['9010', 'declined-final', 'Invalid Currency Code'],
  ['9012', 'declined-final', 'paymentItem name is required'],
  ['9013', 'declined-final', 'paymentItem quantity is required'],
  ['9014', 'declined-final', 'paymentItem amount is required'],
  ['9015', 'declined-final', 'Existing Invoice Number'],
  ['9016', 'declined-final', 'Failed to retrieve PaymentInstruction'],
  ['9017', 'declined-final', 'PaymentInstruction not available'],
  // On the current page (read through a public copy of it), not in v4.3.1.
  ['9020', 'declined-final', 'Payment Expired ( From V4 Payment API )'],
  ['9035', 'declined-final', 'Payment failed'],
  ['9037', 'declined-final', 'Merchant configuration is missing'],
  ['9038', 'retryable', 'Failed To Generate Token'],
  ['9039', 'declined-final', 'The merchant frontend URL is missing'],
  ['9040', 'declined-final', 'The token is invalid'],
  ['9041', 'declined-final', 'Payment token already used'],
  ['9042', 'declined-final', 'Hash value mismatch'],
  ['9057', 'declined-final', 'Payment options are invalid'],
  ['9058', 'declined-final', 'Payment channel invalid'],
  ['9059', 'declined-final', 'Payment channel unauthorized'],
  ['9060', 'declined-final', 'Payment channel unconfigured'],
  ['9078', 'declined-final', 'Promotion code does not exist'],
  ['9080', 'declined-final', 'Tokenization not allowed'],
  ['9088', 'declined-final', 'SubMerchant is required'],
  ['9089', 'declined-final', 'Duplicated SubMerchant'],
  ['9090', 'declined-final', 'SubMerchant Not Found'],
  ['9091', 'declined-final', 'Invalid Sub Merchant ID'],
  ['9092', 'declined-final', 'Invalid Sub Merchant invoiceNo'],
  ['9093', 'declined-final', 'Existing Sub Merchant Invoice Number'],
  ['9094', 'declined-final', 'Invalid Sub Merchant Amount'],
  ['9095', 'declined-final', 'Sub Merchant Amount mismatch'],
  ['9100', 'declined-final', 'FxRateId and OriginalAmount are required'],
  ['9101', 'declined-final', 'Not allow to make a payment with Fx'],
  ['9102', 'declined-final', 'FxRate not available'],
  ['9103', 'declined-final', 'Invalid amount. (for the transaction which using the FxRateId)'],
  ['9104', 'declined-final', 'Invalid Country Code (Airline Info)'],
  ['9105', 'declined-final', 'Invalid Currency Code (Airline Info)'],
  ['9106', 'declined-final', 'Invalid Loyalty Redeem Amount'],
  ['9107', 'declined-final', 'Invalid Loyalty Provider'],
  ['9108', 'declined-final', 'Duplicated Loyalty Reward Id'],
  ['9109', 'declined-final', "Required Loyalty's External Merchant Id"],
  ['9110', 'declined-final', 'Failed to Inquiry Loyalty Rewards'],
  ['9202', 'declined-final', 'Invalid CustomerToken'],
  ['9900', 'declined-final', 'Unable to decrypt the payload'],
  ['9901', 'declined-final', 'Invalid invoicePrefix'],
  ['9902', 'declined-final', 'allowAccumulate is required'],
  ['9903', 'declined-final', 'maxAccumulateAmount is required'],
  ['9904', 'declined-final', 'recurringInterval or ChargeOnDate is required'],
  ['9905', 'declined-final', 'recurringCount is required'],
  ['9906', 'declined-final', 'recurringInterval or ChargeOnDate is required'],
  ['9907', 'declined-final', 'Invalid ChargeNextDate'],
  ['9908', 'declined-final', 'Invalid ChargeOnDate'],
  ['9909', 'declined-final', 'chargeNextDate is required'],
  ['9990', 'retryable', 'Request to merchant front end has failed'],
  ['9991', 'retryable', 'Request merchant secure has failed'],
  ['9992', 'retryable', 'Request payment secure has failed'],
  ['9993', 'retryable', 'An unknown error has occured'],
  ['9994', 'retryable', 'Request DB service has failed'],
  ['9995', 'retryable', 'Request payment service has failed'],
  ['9996', 'retryable', 'Request Qwik service has failed'],
  ['9997', 'retryable', 'Request user preferences has failed'],
  ['9998', 'retryable', 'Request store card has failed'],
  ['9999', 'retryable', 'Request to merchant backend has failed'],
];

function tableOf(rows: readonly Row[]): ResponseCodeTable {
  return new Map(rows.map(([code, cls, description]) => [code, { class: cls, description }]));
}

/** PaymentAction (PaymentProcess and balance inquiry) result codes, 2 digits. */
export const PAYMENT_ACTION_RESULT_CODES: ResponseCodeTable = tableOf(PAYMENT_ACTION_ROWS);

/** RPP maintenance (inquiry, update, cancel) result codes, 2 digits. */
export const RPP_RESULT_CODES: ResponseCodeTable = tableOf(
  PAYMENT_ACTION_ROWS.map(([code, cls, description]) => [code, RPP_CLASS_OVERRIDES[code] ?? cls, description] as const),
);

/** PGW v4.3 payment response codes, 4 digits. */
export const PGW_RESPONSE_CODES: ResponseCodeTable = tableOf(PGW_ROWS);

const UNKNOWN: ResponseCode = { class: 'declined-final', description: 'Unknown response code' };

/** A code's meaning in `table`; a code 2C2P does not list is final (refused, never resent blindly). */
export function lookupResponseCode(table: ResponseCodeTable, code: string): ResponseCode {
  return table.get(code) ?? UNKNOWN;
}
