// Wire types of the 2C2P APIs. Values stay strings exactly as on the wire; the client converts.

/** One client method per 2C2P operation. */
export type GatewayOperation =
  | 'balanceInquiry'
  | 'paymentToken'
  | 'paymentInquiry'
  | 'inquiry'
  | 'void'
  | 'settle'
  | 'refund'
  | 'refundStatus'
  | 'recurringInquiry'
  | 'recurringUpdate'
  | 'recurringCancel';

export type ProcessType = 'I' | 'V' | 'S' | 'R' | 'RS';

/** PaymentAction PaymentProcessRequest (XML). */
export interface PaymentProcessRequest {
  version: string;
  timeStamp?: string;
  merchantID: string;
  processType: ProcessType;
  invoiceNo: string;
  actionAmount?: string;
  bankCode?: string;
  accountName?: string;
  accountNumber?: string;
  notifyURL?: string;
  idempotencyID?: string;
  userDefined1?: string;
  userDefined2?: string;
  userDefined3?: string;
  userDefined4?: string;
  userDefined5?: string;
  notes?: string;
}

export interface RefundListEntry {
  amount?: string;
  status?: string;
  referenceNo?: string;
  dateTime?: string;
}

/** PaymentAction PaymentProcessResponse (XML). */
export interface PaymentProcessResponse {
  version?: string;
  timeStamp?: string;
  respCode: string;
  respDesc: string;
  processType?: string;
  invoiceNo?: string;
  amount?: string;
  status?: string;
  approvalCode?: string;
  referenceNo?: string;
  refundReferenceNo?: string;
  transactionDateTime?: string;
  paidAgent?: string;
  paidChannel?: string;
  maskedPan?: string;
  eci?: string;
  paymentScheme?: string;
  processBy?: string;
  userDefined1?: string;
  userDefined2?: string;
  userDefined3?: string;
  userDefined4?: string;
  userDefined5?: string;
  refundList?: RefundListEntry[];
}

/** RecurringMaintenanceRequest v2.4: all 13 elements, '' where unknown, in the documented order. */
export interface RecurringMaintenanceRequest {
  version: string;
  timeStamp: string;
  merchantID: string;
  recurringUniqueID: string;
  processType: 'I' | 'U' | 'C';
  recurringStatus: string;
  amount: string;
  allowAccumulate: string;
  maxAccumulateAmount: string;
  recurringInterval: string;
  recurringCount: string;
  chargeNextDate: string;
  chargeOnDate: string;
}

/** RecurringMaintenanceResponse (parsed by element name; I answers carry the plan, U and C only the code). */
export interface RecurringMaintenanceResponse {
  version?: string;
  timeStamp?: string;
  merchantID?: string;
  recurringUniqueID?: string;
  respCode: string;
  respReason: string;
  recurringStatus?: string;
  invoicePrefix?: string;
  currency?: string;
  amount?: string;
  maskedCardNo?: string;
  allowAccumulate?: string;
  maxAccumulateAmount?: string;
  recurringInterval?: string;
  recurringCount?: string;
  currentCount?: string;
  chargeNextDate?: string;
  chargeOnDate?: string;
}

export interface BalanceInquiryRequest {
  merchantID: string;
  version: string;
}

export interface BalanceInquiryResponse {
  version: string;
  respCode: string;
  respDesc: string;
  /** Up to 4 decimals, as a string: "795904449.7206". */
  availableBalance: string;
  /** ISO 4217 alpha. */
  currency: string;
}

/** Payment Token v4.3 request claims. Decimal amounts are strings here and JSON numbers on the wire. */
export interface PaymentTokenRequest {
  merchantID: string;
  invoiceNo: string;
  description: string;
  amount: string;
  currencyCode: string;
  idempotencyID?: string;
  paymentChannel?: string[];
  request3DS?: string;
  tokenize?: boolean;
  customerToken?: string[];
  customerTokenOnly?: boolean;
  paymentExpiry?: string;
  frontendReturnUrl?: string;
  backendReturnUrl?: string;
  userDefined1?: string;
  userDefined2?: string;
  userDefined3?: string;
  userDefined4?: string;
  userDefined5?: string;
  recurring?: boolean;
  invoicePrefix?: string;
  recurringAmount?: string;
  allowAccumulate?: boolean;
  maxAccumulateAmount?: string;
  recurringInterval?: number;
  recurringCount?: number;
  chargeNextDate?: string;
  chargeOnDate?: string;
}

export interface PaymentTokenResponse {
  webPaymentUrl?: string;
  paymentToken?: string;
  respCode: string;
  respDesc: string;
}

export interface PaymentInquiryRequest {
  merchantID: string;
  paymentToken?: string;
  invoiceNo?: string;
  locale?: string;
}

/** Payment Inquiry answer and backend notification share these fields (all strings). */
export interface PaymentResult {
  merchantID?: string;
  invoiceNo: string;
  amount?: string;
  currencyCode?: string;
  transactionDateTime?: string;
  agentCode?: string;
  channelCode?: string;
  approvalCode?: string;
  referenceNo?: string;
  tranRef?: string;
  /** Masked card number; notifications may call it cardNo, it is normalised here. */
  accountNo?: string;
  customerToken?: string;
  customerTokenExpiry?: string;
  cardType?: string;
  eci?: string;
  recurringUniqueID?: string;
  recurringSequenceNo?: string;
  paymentID?: string;
  paymentScheme?: string;
  idempotencyID?: string;
  userDefined1?: string;
  userDefined2?: string;
  userDefined3?: string;
  userDefined4?: string;
  userDefined5?: string;
  respCode: string;
  respDesc: string;
}

export type PaymentInquiryResponse = PaymentResult;
export type BackendNotification = PaymentResult;
