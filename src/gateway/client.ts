// The 2C2P client: one typed method per operation, each a signed (and for PaymentAction, sealed)
// exchange with a timeout, typed errors, and one audit report per exchange.
import { formatActionAmount, formatMoney, type Money } from '../domain/money.js';
import { checkTimeZone, DEFAULT_2C2P_TIME_ZONE } from '../domain/time-zone.js';
import { formatDdMM, formatDdMMyyHHmmss, formatDdMMyyyy, formatPaymentExpiry } from '../domain/wire-dates.js';
import {
  acceptPaymentActionCode,
  acceptPgwCode,
  acceptRppCode,
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
import { recurringPlanElements, type DayOfMonth, type RecurringPlanTerms } from './recurring-plan.js';
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
export type { DayOfMonth, RecurringPlanTerms } from './recurring-plan.js';

/** PaymentProcessRequest version of the official samples (refund, inquiry and refund status guides). */
export const DEFAULT_PAYMENT_ACTION_VERSION = '3.8';

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
  /** IANA zone in which 2C2P reads paymentExpiry and timeStamp; default Asia/Bangkok (TWOC2P_TIMEZONE). */
  timeZone?: string;
  /**
   * `version` of every PaymentProcessRequest (I, V, S, R, RS); default 3.8, as in 2C2P's samples. The
   * parameter table says "Current: 4.3"; set this if 2C2P asks for it (TWOC2P_PAYMENT_ACTION_VERSION).
   */
  paymentActionVersion?: string;
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
  /** `amount` (the transaction's) becomes actionAmount, as in 2C2P's inquiry sample; give it when known. */
  inquiry(request: { invoiceNo: string; amount?: Money }): Promise<PaymentProcessResponse>;
  void(request: { invoiceNo: string; amount: Money }): Promise<PaymentProcessResponse>;
  settle(request: { invoiceNo: string; amount?: Money }): Promise<PaymentProcessResponse>;
  refund(request: {
    invoiceNo: string;
    amount: Money;
    idempotencyID?: string;
    notifyURL?: string;
  }): Promise<PaymentProcessResponse>;
  /** `amount` (the refund's) becomes actionAmount, as in 2C2P's refund status sample; give it when known. */
  refundStatus(request: { invoiceNo: string; amount?: Money }): Promise<PaymentProcessResponse>;
  recurringInquiry(request: { recurringUniqueID: string }): Promise<RecurringMaintenanceResponse>;
  /** RPP U with the whole plan as it should stand (read it with recurringInquiry if you do not hold it). */
  recurringUpdate(request: RecurringPlanTerms): Promise<RecurringMaintenanceResponse>;
  /** RPP C with the plan's current terms, as in 2C2P's cancel sample. */
  recurringCancel(request: RecurringPlanTerms): Promise<RecurringMaintenanceResponse>;
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
  const version = options.paymentActionVersion ?? DEFAULT_PAYMENT_ACTION_VERSION;
  if (typeof version !== 'string' || !/^\d{1,2}\.\d{1,2}$/.test(version))
    throw new RangeError('paymentActionVersion must look like 3.8 or 4.3');
  const now = options.now ?? (() => new Date());
  const timeZone = checkTimeZone(options.timeZone ?? DEFAULT_2C2P_TIME_ZONE);
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
      accept: (value) => acceptRppCode(operation, value.respCode, value.respReason),
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
    version,
    timeStamp: formatDdMMyyHHmmss(now(), timeZone),
    merchantID: merchantId,
    processType,
    invoiceNo: checkText(invoiceNo, 'invoiceNo', 50),
    actionAmount: amount ? formatActionAmount(checkMoney(amount, 'amount')) : undefined,
  });

  // All 13 elements in the documented order: I leaves the plan elements empty, U and C fill them.
  const recurringRequest = (
    processType: 'I' | 'U' | 'C',
    recurringUniqueID: string,
    terms?: RecurringPlanTerms,
  ): RecurringMaintenanceRequest => {
    const plan = processType === 'I' ? undefined : recurringPlanElements(processType, terms!);
    return {
      version: '2.4',
      timeStamp: formatDdMMyyHHmmss(now(), timeZone),
      merchantID: merchantId,
      recurringUniqueID: checkRecurringId(recurringUniqueID),
      processType,
      recurringStatus: plan?.recurringStatus ?? '',
      amount: plan?.amount ?? '',
      allowAccumulate: plan?.allowAccumulate ?? '',
      maxAccumulateAmount: plan?.maxAccumulateAmount ?? '',
      recurringInterval: plan?.recurringInterval ?? '',
      recurringCount: plan?.recurringCount ?? '',
      chargeNextDate: plan?.chargeNextDate ?? '',
      chargeOnDate: plan?.chargeOnDate ?? '',
    };
  };

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
      const request = paymentTokenClaims(merchantId, input, timeZone);
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
    recurringCancel: async (r) => recurring('recurringCancel', recurringRequest('C', r?.recurringUniqueID, r)),
    recurringUpdate: async (r) => recurring('recurringUpdate', recurringRequest('U', r?.recurringUniqueID, r)),
  };
}

function paymentTokenClaims(merchantID: string, input: PaymentTokenInput, timeZone: string): PaymentTokenRequest {
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
  // Only the shape is documented, not the zone: "Format: YYYY-MM-DD HH:mm:ss" (choonkeat/2c2p payment_token.go,
  // after developer.2c2p.com/v4.3.1/docs/api-payment-token-request-parameter). A public Medusa 2C2P provider
  // writes it in Asia/Bangkok time; a UTC value read as GMT+7 would lie 7 hours in the past (9008).
  if (input.paymentExpiry)
    claims.paymentExpiry = formatPaymentExpiry(checkDate(input.paymentExpiry, 'paymentExpiry'), timeZone);
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
