// Public types of the 2C2P sandbox: its options, registered merchants and the Sandbox handle.
import type { KeyObject } from 'node:crypto';
import type { Money } from '../domain/money.js';
import type { SandboxFaults } from './faults.js';
import type { SandboxLedger } from './ledger.js';

/** A merchant registered with the sandbox (what 2C2P's merchant portal holds for it). */
export interface SandboxMerchant {
  merchantId: string;
  /** HS256 secret ("SHA key") for Payment Token, Payment Inquiry and backend notifications. */
  secretKey: string;
  /** The merchant's registered public key; PaymentAction and balance requests must verify with it. */
  merchantPublicKey: KeyObject;
  /** Base currency (ISO 4217 alpha), used when a payment token request leaves currencyCode empty. */
  currency: string;
  /** Funds available for refunds before any settlement (default 0). */
  initialBalance?: Money;
  /** Merchant-profile backend URL, used when a payment token carries no backendReturnUrl. */
  backendReturnUrl?: string;
  /** Merchant-profile frontend URL, used by the hosted page when a token carries none. */
  frontendReturnUrl?: string;
}

/** How backend notifications are delivered. */
export interface SandboxNotificationOptions {
  /** Attempts per notification, including the first (default 3). */
  attempts?: number;
  /** Per-attempt timeout in milliseconds (default 2000), so a dead receiver never blocks the clock. */
  timeoutMs?: number;
  /** Real-time pause between attempts in milliseconds (default 50). */
  retryDelayMs?: number;
  /**
   * Plans whose notifications are sent side by side (default 8). One plan's notifications always go one
   * after another, in the order they happened (or the order a fault chose).
   */
  concurrency?: number;
}

/** Options of createSandbox. */
export interface SandboxOptions {
  merchants: SandboxMerchant[];
  /** The sandbox's own "2C2P" RSA key pair (PKCS#8 + SPKI PEM); generated if absent. */
  keys?: { privateKeyPem: string; publicKeyPem: string };
  /** Sandbox time at start (default: the real time at creation). */
  startAt?: Date;
  /** Delay between authorisation and settlement (default 24 hours). */
  settlementDelayMs?: number;
  /** Base URL put into webPaymentUrl (default: the URL the server listens on). */
  publicBaseUrl?: string;
  notifications?: SandboxNotificationOptions;
  /** While listening, also move the clock with real time, once a second (dev mode; tests leave it off). */
  realTime?: boolean;
  /** IANA zone in which a payment token's paymentExpiry is read (default Asia/Bangkok, as TWOC2P_TIMEZONE). */
  timeZone?: string;
  /**
   * How recurring charges are numbered, since no 2C2P source confirms one rule: invoicePrefix + 5 digits
   * from 00001 (default) or from 00000, or 'sequence-only' (an invoice number unrelated to the prefix; the
   * charge is known by recurringUniqueID + recurringSequenceNo alone).
   */
  recurringInvoices?: RecurringInvoiceNumbering;
  /**
   * A JSON file that keeps the state across restarts: transactions, refunds, plans, payment and customer
   * tokens, withdrawals, idempotent answers, the clock and the notification log (no keys or secrets; cards
   * masked). Restored at creation (the clock resumes at the saved time, or a later `startAt`; with
   * `realTime` it then catches up with real time), rewritten shortly after every change and on close. A damaged or other-version file is refused with a SandboxError
   * ERR_SANDBOX_STATE_FILE.
   */
  stateFile?: string;
}

/** See SandboxOptions.recurringInvoices. */
export type RecurringInvoiceNumbering = 'from-00001' | 'from-00000' | 'sequence-only';

/** The sandbox's virtual clock; nothing happens until it is moved. */
export interface SandboxClock {
  now(): Date;
  /** Moves time forward; due settlements, charges and expiries happen, and their notifications are delivered, before it resolves. */
  advance(ms: number): Promise<void>;
  /** Moves time forward to `d` (RangeError if `d` is in the past). */
  advanceTo(d: Date): Promise<void>;
}

/** How a payment is completed on the hosted page stand-in. */
export interface ApprovePaymentOptions {
  /** Pay with this stored card; it must be one the payment token offers. */
  customerToken?: string;
  /** Pay with this test card number (default 4111111111111111); never stored unmasked. */
  cardNumber?: string;
}

/** The URLs a gateway client needs to talk to a listening sandbox. */
export interface SandboxEndpoints {
  baseUrl: string;
  paymentActionBase: string;
  pgwBase: string;
}

/** A running (or ready to run) 2C2P simulator. */
export interface Sandbox {
  /** Starts the HTTP server (default 127.0.0.1 on a free port). */
  listen(port?: number, host?: string): Promise<{ baseUrl: string }>;
  /** Stops the server, dropping held (timed-out) connections, and writes the state file if there is one. */
  close(): Promise<void>;
  /** The sandbox's "2C2P public key" (SPKI PEM) that merchants encrypt to and verify with. */
  readonly publicKeyPem: string;
  readonly clock: SandboxClock;
  readonly faults: SandboxFaults;
  /** The base URLs for a gateway client; throws SandboxError until listen() resolved. */
  endpoints(): SandboxEndpoints;
  /** What the hosted page's Approve button does; the backend notification is delivered before it resolves. */
  approvePayment(paymentToken: string, opts?: ApprovePaymentOptions): Promise<void>;
  /** What the hosted page's Decline button does (default respCode 4051). */
  declinePayment(paymentToken: string, respCode?: string): Promise<void>;
  /**
   * Pays the token but leaves the result pending (default respCode 2001): inquiry answers that code and a
   * backend notification with it is delivered before this resolves. approvePayment or declinePayment
   * completes it later, even after the token's expiry.
   */
  holdPayment(paymentToken: string, respCode?: string): Promise<void>;
  /** Pays `amount` out of a merchant's balance (a payout), e.g. to make a refund fail with 46. */
  withdraw(merchantId: string, amount: Money): void;
  /** A plain, JSON-ready snapshot of transactions, refunds, plans, tokens and notifications. */
  ledger(): SandboxLedger;
  /** What uploading a new merchant public key in 2C2P's portal does: requests must verify with it from now on. */
  replaceMerchantPublicKey(merchantId: string, merchantPublicKey: KeyObject): void;
}
