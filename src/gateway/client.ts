// The 2C2P client: one typed method per operation, each a signed (and for PaymentAction, sealed)
// exchange with a timeout, typed errors, and one audit report per exchange.
import { formatActionAmount, formatMoney, formatRppAmount, type Money } from '../domain/money.js';
import { formatDdMM, formatDdMMyyHHmmss, formatDdMMyyyy } from '../domain/wire-dates.js';
import {
  acceptPaymentActionCode,
  acceptPgwCode,
  openPaymentActionAnswer,
  openPgwAnswer,
  openSignedAnswer,
} from './client-envelopes.js';
import { checkDate, checkDayOfMonth, checkInteger, checkMoney, checkRecurringId, checkText } from './client-input.js';
import { decodeBalanceInquiryResponse, encodeBalanceInquiryRequest } from './codecs/balance-inquiry.js';
import { decodePaymentProcessResponse, encodePaymentProcessRequest } from './codecs/payment-process.js';
import { decodePaymentResult, encodePaymentInquiryRequest } from './codecs/payment-result.js';
import { decodePaymentTokenResponse, encodePaymentTokenRequest } from './codecs/payment-token.js';
import {
  decodeRecurringMaintenanceResponse,
  encodeRecurringMaintenanceRequest,
} from './codecs/recurring-maintenance.js';
import { signHs256Payload } from './envelopes/hs256.js';
import { signJws } from './envelopes/jws.js';
import { sealPaymentAction } from './envelopes/payment-action-envelope.js';
import { exchange, type GatewayExchange, type TransportOptions } from './http-transport.js';
import type { GatewayKeys } from './keys.js';
import type {
  BalanceInquiryResponse,
  PaymentInquiryResponse,
  PaymentProcessRequest,
  PaymentProcessResponse,
  PaymentTokenRequest,
  PaymentTokenResponse,
  RecurringMaintenanceRequest,
  RecurringMaintenanceResponse,
} from './types.js';

export type { GatewayExchange } from './http-transport.js';

/** Base URLs: PaymentAction at {paymentActionBase}/PaymentAction/2.0/action, PGW at {pgwBase}/payment/4.3/…. */
export interface GatewayEndpoints {
  paymentActionBase: string;
  pgwBase: string;
}

export interface GatewayClientOptions {
  merchantId: string;
  keys: GatewayKeys;
  endpoints: GatewayEndpoints;
  /** Per request; default 15 000 ms. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  observer?: (exchange: GatewayExchange) => void;
  now?: () => Date;
}

export interface DayOfMonth {
  day: number;
  month: number;
}

export interface PaymentTokenInput {
  invoiceNo: string;
  description: string;
  amount: Money;
  customerToken?: string[];
  customerTokenOnly?: boolean;
  tokenize?: boolean;
  backendReturnUrl?: string;
  frontendReturnUrl?: string;
  paymentExpiry?: Date;
  idempotencyID?: string;
  userDefined1?: string;
  recurring?: {
    invoicePrefix: string;
    amount: Money;
    allowAccumulate: boolean;
    maxAccumulateAmount: Money;
    intervalDays?: number;
    chargeOnDate?: DayOfMonth;
    /** Recurring charges; 0 = until cancelled. */
    count: number;
    chargeNextDate: Date;
  };
}

export interface RecurringUpdateInput {
  recurringUniqueID: string;
  currency: string;
  recurringStatus?: 'Y' | 'N';
  amount?: Money;
  allowAccumulate?: boolean;
  maxAccumulateAmount?: Money;
  intervalDays?: number;
  count?: number;
  chargeNextDate?: Date;
  chargeOnDate?: DayOfMonth;
}

/** One typed method per 2C2P operation. */
export interface GatewayClient {
  balanceInquiry(): Promise<BalanceInquiryResponse>;
  paymentToken(
    request: PaymentTokenInput,
  ): Promise<Required<Pick<PaymentTokenResponse, 'paymentToken' | 'webPaymentUrl'>> & PaymentTokenResponse>;
  /** Answers for any respCode (it is the payment's own result); throws only on transport or protocol failure. */
  paymentInquiry(request: {
    invoiceNo?: string;
    paymentToken?: string;
    locale?: string;
  }): Promise<PaymentInquiryResponse>;
  inquiry(request: { invoiceNo: string; amount?: Money }): Promise<PaymentProcessResponse>;
  void(request: { invoiceNo: string; amount: Money }): Promise<PaymentProcessResponse>;
  settle(request: { invoiceNo: string; amount?: Money }): Promise<PaymentProcessResponse>;
  refund(request: {
    invoiceNo: string;
    amount: Money;
    idempotencyID?: string;
    notifyURL?: string;
  }): Promise<PaymentProcessResponse>;
  refundStatus(request: { invoiceNo: string; amount?: Money }): Promise<PaymentProcessResponse>;
  recurringInquiry(request: { recurringUniqueID: string }): Promise<RecurringMaintenanceResponse>;
  recurringUpdate(request: RecurringUpdateInput): Promise<RecurringMaintenanceResponse>;
  recurringCancel(request: { recurringUniqueID: string }): Promise<RecurringMaintenanceResponse>;
}

/**
 * Creates a client for one merchant.
 * @example
 * const client = createGatewayClient({ merchantId: 'JT01', keys, endpoints: { paymentActionBase, pgwBase } });
 * const plan = await client.recurringInquiry({ recurringUniqueID: '156142' });
 */
export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const { merchantId, keys } = options;
  checkText(merchantId, 'merchantId', 25);
  const now = options.now ?? (() => new Date());
  const transport: TransportOptions = {
    fetch: options.fetch ?? fetch,
    timeoutMs: options.timeoutMs ?? 15_000,
    observer: options.observer,
    now,
  };
  const base = (url: string) => url.replace(/\/+$/, '');
  const actionUrl = `${base(options.endpoints.paymentActionBase)}/PaymentAction/2.0/action`;
  const balanceUrl = `${base(options.endpoints.paymentActionBase)}/paymentaction/2.0/balanceInquiry`;
  const pgwUrl = (api: string) => `${base(options.endpoints.pgwBase)}/payment/4.3/${api}`;

  async function paymentAction(
    operation: 'inquiry' | 'void' | 'settle' | 'refund' | 'refundStatus',
    request: PaymentProcessRequest,
  ) {
    const xml = encodePaymentProcessRequest(request);
    return exchange(transport, {
      operation,
      url: actionUrl,
      contentType: 'text/plain',
      body: await sealPaymentAction(xml, { signWith: keys.merchantPrivateKey, encryptTo: keys.gatewayPublicKey }),
      request,
      // A refund without idempotencyID that loses its answer may or may not have happened.
      outcomeUnknownOnLoss: operation === 'refund' && !request.idempotencyID,
      decode: async (body, status) => {
        const value = decodePaymentProcessResponse(await openPaymentActionAnswer(body, status, keys));
        return { value, decoded: value };
      },
      accept: (value) => acceptPaymentActionCode(operation, value.respCode, value.respDesc),
    });
  }

  async function recurring(
    operation: 'recurringInquiry' | 'recurringUpdate' | 'recurringCancel',
    request: RecurringMaintenanceRequest,
  ) {
    return exchange(transport, {
      operation,
      url: actionUrl,
      contentType: 'text/plain',
      body: await sealPaymentAction(encodeRecurringMaintenanceRequest(request), {
        signWith: keys.merchantPrivateKey,
        encryptTo: keys.gatewayPublicKey,
      }),
      request,
      outcomeUnknownOnLoss: false, // setting a plan's fields (or cancelling) twice has the same effect
      decode: async (body, status) => {
        const value = decodeRecurringMaintenanceResponse(await openPaymentActionAnswer(body, status, keys));
        return { value, decoded: value };
      },
      accept: (value) => acceptPaymentActionCode(operation, value.respCode, value.respReason),
    });
  }

  async function pgw<T>(
    operation: 'paymentToken' | 'paymentInquiry',
    api: string,
    json: string,
    request: unknown,
    read: (claims: Record<string, unknown>) => T,
    accept?: (value: T) => void,
  ) {
    return exchange(transport, {
      operation,
      url: pgwUrl(api),
      contentType: 'application/json',
      body: JSON.stringify({ payload: await signHs256Payload(json, keys.secretKey) }),
      request,
      outcomeUnknownOnLoss: false,
      decode: async (body, status) => {
        const value = read(await openPgwAnswer(body, status, keys));
        return { value, decoded: value };
      },
      accept,
    });
  }

  const processRequest = (
    processType: PaymentProcessRequest['processType'],
    invoiceNo: string,
    amount?: Money,
  ): PaymentProcessRequest => ({
    version: '4.3',
    timeStamp: formatDdMMyyHHmmss(now()),
    merchantID: merchantId,
    processType,
    invoiceNo: checkText(invoiceNo, 'invoiceNo', 50),
    actionAmount: amount ? formatActionAmount(checkMoney(amount, 'amount')) : undefined,
  });

  const recurringRequest = (processType: 'I' | 'U' | 'C', recurringUniqueID: string): RecurringMaintenanceRequest => ({
    version: '2.4',
    timeStamp: formatDdMMyyHHmmss(now()),
    merchantID: merchantId,
    recurringUniqueID: checkRecurringId(recurringUniqueID),
    processType,
    recurringStatus: '',
    amount: '',
    allowAccumulate: '',
    maxAccumulateAmount: '',
    recurringInterval: '',
    recurringCount: '',
    chargeNextDate: '',
    chargeOnDate: '',
  });

  return {
    async balanceInquiry() {
      const request = { merchantID: merchantId, version: '1.0' };
      return exchange(transport, {
        operation: 'balanceInquiry',
        url: balanceUrl,
        contentType: 'text/plain',
        body: await signJws(encodeBalanceInquiryRequest(request), keys.merchantPrivateKey),
        request,
        outcomeUnknownOnLoss: false,
        decode: async (body, status) => {
          const value = decodeBalanceInquiryResponse(await openSignedAnswer(body, status, keys));
          return { value, decoded: value };
        },
        accept: (value) => acceptPaymentActionCode('balanceInquiry', value.respCode, value.respDesc),
      });
    },

    async paymentToken(input) {
      const request = paymentTokenClaims(merchantId, input);
      const value = await pgw(
        'paymentToken',
        'paymentToken',
        encodePaymentTokenRequest(request),
        request,
        (claims) => decodePaymentTokenResponse(JSON.stringify(claims)),
        (v) => acceptPgwCode('paymentToken', v.respCode, v.respDesc),
      );
      if (!value.paymentToken || !value.webPaymentUrl)
        throw new TypeError('payment token answer lacks paymentToken or webPaymentUrl');
      return { ...value, paymentToken: value.paymentToken, webPaymentUrl: value.webPaymentUrl };
    },

    async paymentInquiry(input) {
      if (!input.invoiceNo && !input.paymentToken)
        throw new TypeError('paymentInquiry needs invoiceNo or paymentToken');
      const request = {
        merchantID: merchantId,
        ...(input.paymentToken ? { paymentToken: checkText(input.paymentToken, 'paymentToken', 255) } : {}),
        ...(input.invoiceNo ? { invoiceNo: checkText(input.invoiceNo, 'invoiceNo', 50) } : {}),
        ...(input.locale ? { locale: input.locale } : {}),
      };
      return pgw('paymentInquiry', 'paymentInquiry', encodePaymentInquiryRequest(request), request, (claims) =>
        decodePaymentResult(claims),
      );
    },

    inquiry: async (r) => paymentAction('inquiry', processRequest('I', r.invoiceNo, r.amount)),
    void: async (r) => paymentAction('void', processRequest('V', r.invoiceNo, r.amount)),
    settle: async (r) => paymentAction('settle', processRequest('S', r.invoiceNo, r.amount)),
    refund: async (r) =>
      paymentAction('refund', {
        ...processRequest('R', r.invoiceNo, r.amount),
        ...(r.notifyURL ? { notifyURL: checkText(r.notifyURL, 'notifyURL', 250) } : {}),
        ...(r.idempotencyID ? { idempotencyID: checkText(r.idempotencyID, 'idempotencyID', 100) } : {}),
      }),
    refundStatus: async (r) => paymentAction('refundStatus', processRequest('RS', r.invoiceNo, r.amount)),

    recurringInquiry: async (r) => recurring('recurringInquiry', recurringRequest('I', r.recurringUniqueID)),
    recurringCancel: async (r) => recurring('recurringCancel', recurringRequest('C', r.recurringUniqueID)),
    recurringUpdate: async (r) =>
      recurring('recurringUpdate', recurringUpdateRequest(recurringRequest('U', r.recurringUniqueID), r)),
  };
}

function paymentTokenClaims(merchantID: string, input: PaymentTokenInput): PaymentTokenRequest {
  const amount = checkMoney(input.amount, 'amount');
  const claims: PaymentTokenRequest = {
    merchantID,
    invoiceNo: checkText(input.invoiceNo, 'invoiceNo', 50),
    description: checkText(input.description, 'description', 250),
    amount: formatMoney(amount),
    currencyCode: amount.currency,
  };
  if (input.idempotencyID) claims.idempotencyID = checkText(input.idempotencyID, 'idempotencyID', 100);
  if (input.customerToken?.length)
    claims.customerToken = input.customerToken.map((t) => checkText(t, 'customerToken', 255));
  if (input.customerTokenOnly !== undefined) claims.customerTokenOnly = input.customerTokenOnly;
  if (input.tokenize !== undefined) claims.tokenize = input.tokenize;
  if (input.paymentExpiry)
    claims.paymentExpiry = checkDate(input.paymentExpiry, 'paymentExpiry').toISOString().replace('T', ' ').slice(0, 19);
  if (input.frontendReturnUrl) claims.frontendReturnUrl = checkText(input.frontendReturnUrl, 'frontendReturnUrl', 255);
  if (input.backendReturnUrl) claims.backendReturnUrl = checkText(input.backendReturnUrl, 'backendReturnUrl', 255);
  if (input.userDefined1) claims.userDefined1 = checkText(input.userDefined1, 'userDefined1', 150);
  const plan = input.recurring;
  if (plan) {
    const perCycle = checkMoney(plan.amount, 'recurring.amount');
    const max = checkMoney(plan.maxAccumulateAmount, 'recurring.maxAccumulateAmount');
    if (perCycle.currency !== amount.currency || max.currency !== amount.currency)
      throw new RangeError('recurring amounts must be in the payment currency');
    if ((plan.intervalDays === undefined) === (plan.chargeOnDate === undefined)) {
      throw new RangeError('a recurring plan needs exactly one of intervalDays and chargeOnDate');
    }
    Object.assign(claims, {
      recurring: true,
      invoicePrefix: checkText(plan.invoicePrefix, 'invoicePrefix', 15),
      recurringAmount: formatMoney(perCycle),
      allowAccumulate: plan.allowAccumulate,
      maxAccumulateAmount: formatMoney(max),
      recurringCount: checkInteger(plan.count, 'recurring.count', 0, 99_999),
      chargeNextDate: formatDdMMyyyy(checkDate(plan.chargeNextDate, 'recurring.chargeNextDate')),
      ...(plan.intervalDays !== undefined
        ? { recurringInterval: checkInteger(plan.intervalDays, 'recurring.intervalDays', 1, 365) }
        : { chargeOnDate: formatDdMM(checkDayOfMonth(plan.chargeOnDate!).day, plan.chargeOnDate!.month) }),
    });
  }
  return claims;
}

function recurringUpdateRequest(
  request: RecurringMaintenanceRequest,
  r: RecurringUpdateInput,
): RecurringMaintenanceRequest {
  const inCurrency = (m: Money, field: string) => {
    const value = checkMoney(m, field);
    if (value.currency !== r.currency) throw new RangeError(`${field} must be in ${r.currency}`);
    return formatRppAmount(value);
  };
  if (r.intervalDays !== undefined && r.chargeOnDate !== undefined)
    throw new RangeError('give intervalDays or chargeOnDate, not both');
  return {
    ...request,
    recurringStatus: r.recurringStatus ?? '',
    amount: r.amount ? inCurrency(r.amount, 'amount') : '',
    allowAccumulate: r.allowAccumulate === undefined ? '' : r.allowAccumulate ? 'Y' : 'N',
    maxAccumulateAmount: r.maxAccumulateAmount ? inCurrency(r.maxAccumulateAmount, 'maxAccumulateAmount') : '',
    recurringInterval: r.intervalDays === undefined ? '' : String(checkInteger(r.intervalDays, 'intervalDays', 1, 365)),
    recurringCount: r.count === undefined ? '' : String(checkInteger(r.count, 'count', 0, 99_999)),
    chargeNextDate: r.chargeNextDate ? formatDdMMyyyy(checkDate(r.chargeNextDate, 'chargeNextDate')) : '',
    chargeOnDate: r.chargeOnDate ? formatDdMM(checkDayOfMonth(r.chargeOnDate).day, r.chargeOnDate.month) : '',
  };
}
