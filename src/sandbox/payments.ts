// Completes payment tokens as the hosted page would: approve (creating stored cards and plans), decline, or
// hold pending until the bank answers (approve or decline then completes it).
import { paymentOutcome } from '../domain/payment-outcome.js';
import { cardFromNumber, DEFAULT_TEST_CARD } from './cards.js';
import { SandboxError } from './errors.js';
import type { SandboxFaults } from './faults.js';
import type { Card, MerchantState, PaymentTokenRecord, PlanRecord } from './model.js';
import { backendNotification } from './notification-payload.js';
import type { OutgoingNotification } from './notifier.js';
import { addDays } from './schedule-dates.js';
import type { SandboxState } from './state.js';
import { recordPayment } from './transactions.js';
import type { ApprovePaymentOptions } from './types.js';

/** What completing a payment needs. */
export interface PaymentDeps {
  readonly state: SandboxState;
  readonly faults: SandboxFaults;
  now(): Date;
}

function openToken(deps: PaymentDeps, paymentToken: string): { m: MerchantState; token: PaymentTokenRecord } {
  const found = typeof paymentToken === 'string' ? deps.state.findToken(paymentToken) : undefined;
  if (!found) {
    throw new SandboxError({ message: 'unknown payment token', code: 'ERR_SANDBOX_NOT_FOUND', respCode: '9040' });
  }
  const { token } = found;
  // A held payment was made before the expiry; only its result is late, so it can still complete.
  if (token.state === 'pending') return found;
  if (token.state === 'open' && token.expiresAt.getTime() <= deps.now().getTime()) token.state = 'expired';
  if (token.state === 'expired') {
    throw new SandboxError({ message: 'payment token expired', code: 'ERR_SANDBOX_TOKEN_EXPIRED', respCode: '5009' });
  }
  if (token.state !== 'open') {
    throw new SandboxError({ message: 'payment token already used', code: 'ERR_SANDBOX_TOKEN_USED', respCode: '9041' });
  }
  return found;
}

function chooseCard(
  m: MerchantState,
  token: PaymentTokenRecord,
  opts: ApprovePaymentOptions,
): { card: Card; stored?: string } {
  const stored = opts.customerToken ?? (token.customerTokenOnly ? token.customerTokens[0] : undefined);
  if (stored !== undefined) {
    const record = m.customerTokens.get(stored);
    if (!record || !token.customerTokens.includes(stored)) {
      throw new SandboxError({
        message: 'the customer token is not offered by this payment token',
        code: 'ERR_SANDBOX_INVALID_CUSTOMER_TOKEN',
        respCode: '9202',
      });
    }
    return { card: record.card, stored };
  }
  return { card: cardFromNumber(opts.cardNumber ?? DEFAULT_TEST_CARD) };
}

function createPlan(deps: PaymentDeps, m: MerchantState, token: PaymentTokenRecord, card: Card, customerToken: string) {
  const terms = token.recurring;
  if (!terms) return undefined;
  const plan: PlanRecord = {
    ...terms,
    recurringUniqueID: deps.state.ids.recurringUniqueID(),
    merchantId: m.merchant.merchantId,
    currentCount: 0,
    accumulatedMinor: 0,
    state: 'active',
    customerToken,
    card,
    initialInvoiceNo: token.invoiceNo,
    createdAt: deps.now(),
    history: [{ status: 'created', at: deps.now() }],
    ...(token.backendReturnUrl === undefined ? {} : { backendReturnUrl: token.backendReturnUrl }),
  };
  m.plans.set(plan.recurringUniqueID, plan);
  return plan;
}

/** Pays an open token (stored card, given test card or 4111…1111); returns the backend notification to deliver. */
export function approve(
  deps: PaymentDeps,
  paymentToken: string,
  opts: ApprovePaymentOptions = {},
): OutgoingNotification {
  const { m, token } = openToken(deps, paymentToken);
  const { card, stored } = chooseCard(m, token, opts);
  const declined = deps.faults.takePaymentDecline();
  if (declined) return settleToken(deps, m, token, card, declined);
  let customerToken = stored;
  if (customerToken === undefined && (token.recurring || token.tokenize)) {
    customerToken = deps.state.ids.customerToken();
    m.customerTokens.set(customerToken, {
      customerToken,
      card,
      createdAt: deps.now(),
      expiry: addDays(deps.now(), 3 * 365),
    });
  }
  const plan = customerToken === undefined ? undefined : createPlan(deps, m, token, card, customerToken);
  return settleToken(deps, m, token, card, '0000', customerToken, plan?.recurringUniqueID);
}

/** Declines an open or held token with a 4-digit PGW code (default 4051); returns the backend notification. */
export function decline(deps: PaymentDeps, paymentToken: string, respCode = '4051'): OutgoingNotification {
  if (!/^\d{4}$/.test(respCode) || paymentOutcome(respCode) !== 'declined') {
    throw new RangeError('respCode must be a 4-digit PGW code that declines a payment (e.g. 4051)');
  }
  const { m, token } = openToken(deps, paymentToken);
  return settleToken(deps, m, token, cardFromNumber(DEFAULT_TEST_CARD), respCode);
}

/**
 * Holds an open token's payment pending with `respCode` (default 2001, "in progress"): the transaction is
 * recorded as `AP`, Payment Inquiry answers that code and a backend notification says so. A later approve
 * or decline completes it, even after the token's expiry. Returns the backend notification.
 */
export function hold(deps: PaymentDeps, paymentToken: string, respCode = '2001'): OutgoingNotification {
  if (!/^\d{4}$/.test(respCode) || paymentOutcome(respCode) !== 'pending') {
    throw new RangeError('respCode must be a 4-digit PGW pending code (0001, 2001, 4009, 1000…1005)');
  }
  const { m, token } = openToken(deps, paymentToken);
  return settleToken(deps, m, token, cardFromNumber(DEFAULT_TEST_CARD), respCode);
}

function settleToken(
  deps: PaymentDeps,
  m: MerchantState,
  token: PaymentTokenRecord,
  card: Card,
  respCode: string,
  customerToken?: string,
  recurringUniqueID?: string,
): OutgoingNotification {
  const held = token.state === 'pending' ? m.transactions.get(token.invoiceNo) : undefined;
  const tx = recordPayment(deps.state, m, {
    invoiceNo: token.invoiceNo,
    amount: token.amount,
    card,
    respCode,
    at: deps.now(),
    paymentToken: token.paymentToken,
    userDefined: token.userDefined,
    ...(customerToken === undefined ? {} : { customerToken }),
    ...(recurringUniqueID === undefined ? {} : { recurringUniqueID }),
    ...(token.idempotencyID === undefined ? {} : { idempotencyID: token.idempotencyID }),
    ...(held === undefined ? {} : { held }),
  });
  token.state = respCode === '0000' ? 'paid' : tx.status === 'AP' ? 'pending' : 'declined';
  return backendNotification(m, tx, token.backendReturnUrl ?? m.merchant.backendReturnUrl);
}
