// The sandbox's in-memory state: merchants, their records, identifiers and derived balances.
import type { RecurringInvoiceNumbering } from './types.js';
import { currencyInfo, money, type Money } from '../domain/money.js';
import { IdSource } from './ids.js';
import type { MerchantState, PaymentTokenRecord } from './model.js';
import type { SandboxMerchant } from './types.js';

const DEFAULT_SETTLEMENT_DELAY_MS = 24 * 60 * 60 * 1000;

function validateMerchant(m: SandboxMerchant): void {
  if (typeof m.merchantId !== 'string' || !/^[A-Za-z0-9]{1,25}$/.test(m.merchantId)) {
    throw new TypeError('merchantId must be 1 to 25 letters or digits');
  }
  if (typeof m.secretKey !== 'string' || m.secretKey.length === 0) {
    throw new TypeError(`merchant ${m.merchantId}: secretKey must be a non-empty string`);
  }
  if (m.merchantPublicKey?.type !== 'public' || m.merchantPublicKey.asymmetricKeyType !== 'rsa') {
    throw new TypeError(`merchant ${m.merchantId}: merchantPublicKey must be an RSA public KeyObject`);
  }
  const alpha = currencyInfo(m.currency).alpha;
  if (alpha !== m.currency) throw new RangeError(`merchant ${m.merchantId}: currency must be ISO 4217 alpha`);
  if (m.initialBalance) money(m.initialBalance.minor, m.initialBalance.currency);
  if (m.initialBalance && m.initialBalance.currency !== m.currency) {
    throw new RangeError(`merchant ${m.merchantId}: initialBalance must be in ${m.currency}`);
  }
}

/** All records of a sandbox, keyed by merchant; every mutation goes through the sandbox's handlers. */
export class SandboxState {
  readonly ids = new IdSource();
  readonly settlementDelayMs: number;
  /** How recurring charges are numbered (SandboxOptions.recurringInvoices). */
  recurringInvoices: RecurringInvoiceNumbering = 'from-00001';
  private readonly merchants = new Map<string, MerchantState>();
  private readonly tokenOwners = new Map<string, string>();

  constructor(merchants: readonly SandboxMerchant[], settlementDelayMs = DEFAULT_SETTLEMENT_DELAY_MS) {
    if (!Array.isArray(merchants) || merchants.length === 0) throw new TypeError('at least one merchant is required');
    if (!Number.isSafeInteger(settlementDelayMs) || settlementDelayMs < 0) {
      throw new RangeError('settlementDelayMs must be a non-negative integer');
    }
    this.settlementDelayMs = settlementDelayMs;
    for (const merchant of merchants) {
      validateMerchant(merchant);
      if (this.merchants.has(merchant.merchantId)) throw new TypeError(`duplicate merchant ${merchant.merchantId}`);
      this.merchants.set(merchant.merchantId, {
        merchant,
        transactions: new Map(),
        tokens: new Map(),
        customerTokens: new Map(),
        plans: new Map(),
        withdrawals: [],
        idempotentActions: new Map(),
      });
    }
  }

  /**
   * Registers a merchant's new public key, as uploading it in 2C2P's merchant portal does (a key rotation);
   * its records stay as they are. TypeError for an unknown merchant or a key that is not an RSA public key.
   */
  replaceMerchantPublicKey(merchantId: string, merchantPublicKey: SandboxMerchant['merchantPublicKey']): void {
    const current = this.merchants.get(merchantId);
    if (!current) throw new TypeError(`unknown merchant ${merchantId}`);
    const merchant = { ...current.merchant, merchantPublicKey };
    validateMerchant(merchant);
    this.merchants.set(merchantId, { ...current, merchant });
  }

  /** The merchant's state, or undefined for an unknown merchantID. */
  merchant(merchantId: unknown): MerchantState | undefined {
    return typeof merchantId === 'string' ? this.merchants.get(merchantId) : undefined;
  }

  /** Every merchant's state, in registration order. */
  allMerchants(): MerchantState[] {
    return [...this.merchants.values()];
  }

  /** Pays `amount` out of the merchant's balance; RangeError when the balance is smaller or the currency differs. */
  withdraw(m: MerchantState, amount: Money, at: Date): void {
    money(amount.minor, amount.currency);
    if (amount.currency !== m.merchant.currency)
      throw new RangeError(`withdraw: amount must be in ${m.merchant.currency}`);
    if (amount.minor > this.balanceMinor(m)) throw new RangeError('withdraw: amount exceeds the available balance');
    m.withdrawals.push({ amount: { ...amount }, at });
  }

  /** Registers a newly issued payment token. */
  addToken(m: MerchantState, token: PaymentTokenRecord): void {
    m.tokens.set(token.paymentToken, token);
    this.tokenOwners.set(token.paymentToken, m.merchant.merchantId);
  }

  /** Finds a payment token of any merchant. */
  findToken(paymentToken: string): { m: MerchantState; token: PaymentTokenRecord } | undefined {
    const m = this.merchant(this.tokenOwners.get(paymentToken));
    const token = m?.tokens.get(paymentToken);
    return m && token ? { m, token } : undefined;
  }

  /** Whether an invoice number is already used by a token or a transaction of the merchant. */
  invoiceTaken(m: MerchantState, invoiceNo: string): boolean {
    if (m.transactions.has(invoiceNo)) return true;
    for (const token of m.tokens.values()) if (token.invoiceNo === invoiceNo) return true;
    return false;
  }

  /** Available balance in minor units: initial + settled − refunded (pending included) − withdrawn. */
  balanceMinor(m: MerchantState): number {
    let balance = m.merchant.initialBalance?.minor ?? 0;
    for (const w of m.withdrawals) balance -= w.amount.minor;
    for (const tx of m.transactions.values()) {
      if (tx.settledAt) balance += tx.amount.minor;
      for (const refund of tx.refunds) balance -= refund.amount.minor;
    }
    return balance;
  }
}
