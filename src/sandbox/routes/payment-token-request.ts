// Validates a Payment Token request's claims (codes 9004–9015, 9202 and the recurring 99xx) into a token draft.
import type { Money } from '../../domain/money.js';
import { parsePaymentExpiry } from '../../domain/wire-dates.js';
import type { MerchantState, RecurringTerms } from '../model.js';
import { parsePgwAmount } from '../wire-amounts.js';
import { readRecurringTerms } from './recurring-terms.js';

/** The validated content of a payment token request. */
export interface TokenDraft {
  invoiceNo: string;
  description: string;
  amount: Money;
  expiresAt: Date;
  customerTokens: string[];
  customerTokenOnly: boolean;
  tokenize: boolean;
  backendReturnUrl?: string;
  frontendReturnUrl?: string;
  idempotencyID?: string;
  userDefined: Record<string, string>;
  recurring?: RecurringTerms;
}

/** A refusal: the PGW code and, for 9004, the field it is about. */
export interface TokenRefusal {
  code: string;
  field?: string;
}

const DEFAULT_EXPIRY_MS = 30 * 60 * 1000;
const text = (v: unknown, max: number) => typeof v === 'string' && v.length <= max;

function optionalUrl(v: unknown): string | undefined | false {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' || v.length > 255) return false;
  try {
    const url = new URL(v);
    return url.protocol === 'http:' || url.protocol === 'https:' ? v : false;
  } catch {
    return false;
  }
}

/** A `yyyy-MM-dd HH:mm:ss` paymentExpiry read in `timeZone`; undefined when malformed, impossible or skipped. */
function readPaymentExpiry(v: unknown, timeZone: string): Date | undefined {
  if (typeof v !== 'string') return undefined;
  try {
    return parsePaymentExpiry(v, timeZone);
  } catch {
    return undefined;
  }
}

/**
 * Validates claims (merchantID already verified); refuses with 9005, 9004, 9009, 9010, 9008, 9202 or a 99xx
 * code. The paymentExpiry is a wall-clock time in `timeZone` (the sandbox's, default Asia/Bangkok).
 */
export function readTokenRequest(
  m: MerchantState,
  c: Readonly<Record<string, unknown>>,
  now: Date,
  timeZone: string,
): TokenDraft | TokenRefusal {
  const { invoiceNo, description } = c;
  if (typeof invoiceNo !== 'string' || invoiceNo === '' || typeof description !== 'string' || description === '') {
    return { code: '9005' };
  }
  if (c['amount'] === undefined || c['amount'] === null || c['amount'] === '') return { code: '9005' };
  if (!/^[A-Za-z0-9_-]{1,50}$/.test(invoiceNo)) return { code: '9004', field: 'invoiceNo' };
  if (description.length > 250) return { code: '9004', field: 'description' };
  const currencyCode = c['currencyCode'];
  if (currencyCode !== undefined && currencyCode !== '' && currencyCode !== m.merchant.currency)
    return { code: '9010' };
  const currency = m.merchant.currency;
  let amount: Money;
  try {
    amount = parsePgwAmount(c['amount'], currency);
  } catch {
    return { code: '9009' };
  }
  if (amount.minor === 0) return { code: '9009' };
  let expiresAt = new Date(now.getTime() + DEFAULT_EXPIRY_MS);
  if (c['paymentExpiry'] !== undefined && c['paymentExpiry'] !== '') {
    const parsed = readPaymentExpiry(c['paymentExpiry'], timeZone);
    if (!parsed || parsed.getTime() <= now.getTime()) return { code: '9008' };
    expiresAt = parsed;
  }
  const tokens = c['customerToken'] ?? c['cardTokens'] ?? [];
  if (!Array.isArray(tokens) || !tokens.every((t) => typeof t === 'string' && m.customerTokens.has(t))) {
    return { code: '9202' };
  }
  const customerTokenOnly = (c['customerTokenOnly'] ?? c['cardTokenOnly']) === true;
  if (customerTokenOnly && tokens.length === 0) return { code: '9202' };
  const backendReturnUrl = optionalUrl(c['backendReturnUrl']);
  if (backendReturnUrl === false) return { code: '9004', field: 'backendReturnUrl' };
  const frontendReturnUrl = optionalUrl(c['frontendReturnUrl']);
  if (frontendReturnUrl === false) return { code: '9004', field: 'frontendReturnUrl' };
  const idempotencyID = c['idempotencyID'];
  if (idempotencyID !== undefined && idempotencyID !== '' && !text(idempotencyID, 100)) {
    return { code: '9004', field: 'idempotencyID' };
  }
  const userDefined: Record<string, string> = {};
  for (let i = 1; i <= 5; i += 1) {
    const value = c[`userDefined${i}`];
    if (value === undefined || value === null || value === '') continue;
    if (!text(value, 150)) return { code: '9004', field: `userDefined${i}` };
    userDefined[`userDefined${i}`] = value as string;
  }
  let recurring: RecurringTerms | undefined;
  if (c['recurring'] === true) {
    const read = readRecurringTerms(c, currency, now);
    if (!read.ok) return { code: read.code, ...(read.field ? { field: read.field } : {}) };
    recurring = read.terms;
  }
  return {
    invoiceNo,
    description,
    amount,
    expiresAt,
    customerTokens: tokens as string[],
    customerTokenOnly,
    tokenize: c['tokenize'] === true,
    userDefined,
    ...(backendReturnUrl ? { backendReturnUrl } : {}),
    ...(frontendReturnUrl ? { frontendReturnUrl } : {}),
    ...(typeof idempotencyID === 'string' && idempotencyID !== '' ? { idempotencyID } : {}),
    ...(recurring ? { recurring } : {}),
  };
}
