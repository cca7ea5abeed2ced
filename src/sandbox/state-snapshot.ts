// The sandbox state file's format: encodes the state, the clock and the notification log as JSON, and
// restores them. Dates are tagged `{"$date": ISO}` so they come back as the same instant; money stays minor units.
import { money } from '../domain/money.js';
import { SandboxError } from './errors.js';
import type { IdCounters } from './ids.js';
import type { CustomerTokenRecord, MerchantState, PaymentTokenRecord, PlanRecord, TransactionRecord } from './model.js';
import type { NotificationRecord } from './notifier.js';
import type { SandboxState } from './state.js';

/** The format this sandbox writes and the only one it reads; raise it on any incompatible change. */
export const STATE_FILE_VERSION = 1;
const FORMAT = 'recur-sandbox-state';

/** One merchant's records (no secret, no key: those come from the sandbox's options). */
export interface MerchantSnapshot {
  merchantId: string;
  currency: string;
  transactions: TransactionRecord[];
  paymentTokens: PaymentTokenRecord[];
  customerTokens: CustomerTokenRecord[];
  plans: PlanRecord[];
  withdrawals: MerchantState['withdrawals'][number][];
  idempotentActions: [string, Readonly<Record<string, unknown>>][];
}

/** The whole file, version 1. */
export interface StateFileContent {
  format: typeof FORMAT;
  version: typeof STATE_FILE_VERSION;
  /** Real time of the write, for people reading the file. */
  savedAt: string;
  /** Sandbox time. */
  clock: Date;
  ids: IdCounters;
  /** Registered merchants first, then those only another setup sharing the file registers, kept as read. */
  merchants: MerchantSnapshot[];
  notifications: NotificationRecord[];
}

/** What a state file restores besides the merchants' records. */
export interface RestoredState {
  clock: Date;
  /** Real time when the file was written: a clock ahead of real time keeps its lead across the downtime. */
  savedAt: Date;
  notifications: NotificationRecord[];
  /** Merchants in the file that this sandbox does not register; written back unchanged. */
  otherMerchants: MerchantSnapshot[];
}

const fix = 'start afresh with `recur sandbox --reset` (or delete the file)';

/** The error for a file this sandbox cannot use; it names the file and the way out. */
export function stateFileError(path: string, problem: string, cause?: unknown): SandboxError {
  const error = new SandboxError({
    message: `sandbox state file ${path}: ${problem}; ${fix}`,
    code: 'ERR_SANDBOX_STATE_FILE',
  });
  if (cause !== undefined) error.cause = cause;
  return error;
}

/** Encodes the state as the file's text. */
export function encodeState(
  state: SandboxState,
  clock: Date,
  notifications: readonly NotificationRecord[],
  otherMerchants: readonly MerchantSnapshot[],
): string {
  const content: StateFileContent = {
    format: FORMAT,
    version: STATE_FILE_VERSION,
    savedAt: new Date().toISOString(),
    clock,
    ids: state.ids.counters(),
    merchants: [
      ...state.allMerchants().map((m) => ({
        merchantId: m.merchant.merchantId,
        currency: m.merchant.currency,
        transactions: [...m.transactions.values()],
        paymentTokens: [...m.tokens.values()],
        customerTokens: [...m.customerTokens.values()],
        plans: [...m.plans.values()],
        withdrawals: m.withdrawals,
        idempotentActions: [...m.idempotentActions.entries()],
      })),
      ...otherMerchants,
    ],
    notifications: [...notifications],
  };
  // `this[key]` is the value before Date#toJSON turned it into a string.
  return `${JSON.stringify(
    content,
    function tagDates(this: Record<string, unknown>, key: string, value: unknown) {
      const raw = this[key];
      return raw instanceof Date ? { $date: raw.toISOString() } : value;
    },
    2,
  )}\n`;
}

function reviveDates(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== '$date') return value;
  const date = new Date((value as { $date: unknown }).$date as string);
  if (Number.isNaN(date.getTime())) throw new TypeError('an invalid date');
  return date;
}

const isArray = (v: unknown): v is unknown[] => Array.isArray(v);

/** Parses and checks the file's text; a SandboxError (ERR_SANDBOX_STATE_FILE) names what is wrong. */
export function decodeState(path: string, text: string): StateFileContent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, reviveDates);
  } catch (error) {
    throw stateFileError(path, 'not a readable sandbox state (damaged JSON)', error);
  }
  const c = parsed as Partial<StateFileContent> | null;
  if (typeof c !== 'object' || c === null || c.format !== FORMAT) {
    throw stateFileError(path, 'not a sandbox state file');
  }
  if (c.version !== STATE_FILE_VERSION) {
    throw stateFileError(
      path,
      `format version ${String(c.version)} is not supported (this sandbox reads version ${STATE_FILE_VERSION})`,
    );
  }
  const problem = damage(c);
  if (problem) throw stateFileError(path, `damaged: ${problem}`);
  return c as StateFileContent;
}

/** What is structurally wrong with a version-1 content, if anything. */
function damage(c: Partial<StateFileContent>): string | undefined {
  if (!(c.clock instanceof Date)) return 'clock is not a date';
  if (typeof c.ids !== 'object' || c.ids === null) return 'ids missing';
  if (!isArray(c.merchants) || !isArray(c.notifications)) return 'lists missing';
  for (const m of c.merchants) {
    const lists = [m.transactions, m.paymentTokens, m.customerTokens, m.plans, m.withdrawals, m.idempotentActions];
    if (typeof m.merchantId !== 'string' || !lists.every(isArray)) return 'a merchant entry is incomplete';
    try {
      for (const tx of m.transactions) {
        money(tx.amount.minor, tx.amount.currency);
        for (const r of tx.refunds) money(r.amount.minor, r.amount.currency);
      }
      for (const p of m.plans) money(p.amount.minor, p.amount.currency);
      for (const w of m.withdrawals) money(w.amount.minor, w.amount.currency);
    } catch {
      return `merchant ${m.merchantId}: an amount is not integer minor units`;
    }
  }
  return undefined;
}

/**
 * Loads decoded content into a freshly built state. A registered merchant's currency must match the file;
 * merchants the sandbox does not register are handed back untouched (`otherMerchants`).
 */
export function restoreState(path: string, state: SandboxState, c: StateFileContent): RestoredState {
  const otherMerchants: MerchantSnapshot[] = [];
  for (const saved of c.merchants) {
    const m = state.merchant(saved.merchantId);
    if (!m) {
      otherMerchants.push(saved);
      continue;
    }
    if (m.merchant.currency !== saved.currency) {
      throw stateFileError(
        path,
        `merchant ${saved.merchantId} was kept in ${saved.currency}, now ${m.merchant.currency}`,
      );
    }
    for (const tx of saved.transactions) m.transactions.set(tx.invoiceNo, tx);
    for (const token of saved.paymentTokens) state.addToken(m, token);
    for (const card of saved.customerTokens) m.customerTokens.set(card.customerToken, card);
    for (const plan of saved.plans) m.plans.set(plan.recurringUniqueID, plan);
    m.withdrawals.push(...saved.withdrawals);
    for (const [key, answer] of saved.idempotentActions) m.idempotentActions.set(key, answer);
  }
  try {
    state.ids.resume(c.ids);
  } catch (error) {
    throw stateFileError(path, 'damaged: ids', error);
  }
  return { clock: c.clock, savedAt: new Date(c.savedAt), notifications: c.notifications, otherMerchants };
}
