// Which invoice numbers to ask 2C2P about although no charge row holds them: the numbers are deterministic
// (src/workflows/invoice-numbers.ts), so a payment 2C2P made that PostgreSQL never recorded can be found.
import type { ChargeRow, SubscriptionRow } from '../db/index.js';
import {
  candidateInvoiceNos,
  dunningInvoiceNo,
  initialInvoiceNo,
  learntOffset,
  type RecurringNumbering,
} from '../workflows/invoice-numbers.js';
import type { ChargeKind } from '../workflows/definitions.js';

/** An invoice number to ask about, and the charge it would be. */
export interface ProbedInvoice {
  invoiceNo: string;
  kind: ChargeKind;
  /** The recurring sequence it would be (or that a dunning link pays); null for the first payment. */
  sequence: number | null;
}

/** How far past the last recorded charge, or past what the RPP inquiry reports charged, sequences are probed. */
const LOOKAHEAD = 1;
/** Dunning links probed after the last recorded one of a declined charge. */
const DUNNING_LOOKAHEAD = 2;
/** An upper bound on sequences probed per plan, so one odd plan cannot flood 2C2P with inquiries. */
const MAX_SEQUENCES = 24;

/**
 * The invoices to probe: the first payment when no row holds it; every recurring sequence up to the last
 * recorded one that has no row (a lost row), the next one(s), and up to `chargedCount` (the RPP inquiry's
 * currentCount, when known); the next dunning link of each declined charge.
 */
export function invoicesToProbe(
  subscription: Pick<SubscriptionRow, 'invoicePrefix' | 'recurringUniqueId'>,
  charges: readonly ChargeRow[],
  chargedCount?: number,
): ProbedInvoice[] {
  const prefix = subscription.invoicePrefix;
  const recorded = new Set(charges.map((c) => c.invoiceNo));
  const probes: ProbedInvoice[] = [];
  const add = (probe: ProbedInvoice) => {
    if (!recorded.has(probe.invoiceNo) && !probes.some((p) => p.invoiceNo === probe.invoiceNo)) probes.push(probe);
  };
  add({ invoiceNo: initialInvoiceNo(prefix), kind: 'initial', sequence: null });
  // Without a plan id 2C2P has made no recurring charge yet (the id comes with the first payment).
  if (subscription.recurringUniqueId === null) return probes;

  const recurring = charges.filter((c) => c.kind === 'recurring' && c.sequence !== null);
  const numbering: RecurringNumbering = { invoicePrefix: prefix, recurringUniqueID: subscription.recurringUniqueId };
  for (const c of recurring) numbering.invoiceOffset ??= learntOffset(prefix, c.sequence ?? 0, c.invoiceNo);
  const recordedSequences = new Set(recurring.map((c) => c.sequence));
  const last = Math.max(0, ...recurring.map((c) => c.sequence ?? 0));
  const upTo = Math.min(Math.max(last + LOOKAHEAD, (chargedCount ?? 0) + LOOKAHEAD), last + MAX_SEQUENCES);
  for (let sequence = 1; sequence <= upTo; sequence += 1) {
    if (recordedSequences.has(sequence)) continue;
    for (const invoiceNo of candidateInvoiceNos(numbering, sequence)) add({ invoiceNo, kind: 'recurring', sequence });
  }

  for (const declined of recurring.filter((c) => c.status === 'declined')) {
    const sequence = declined.sequence ?? 0;
    // A link that expired unpaid has no row, so the next two attempts after the last recorded one are asked.
    const attempts = charges.map((c) => dunningAttempt(prefix, sequence, c.invoiceNo)).filter((a) => a > 0);
    const lastAttempt = Math.max(0, ...attempts);
    for (let attempt = lastAttempt + 1; attempt <= lastAttempt + DUNNING_LOOKAHEAD; attempt += 1) {
      add({ invoiceNo: dunningInvoiceNo(prefix, sequence, attempt), kind: 'dunning', sequence });
    }
  }
  return probes;
}

/** The attempt number of dunning link `invoiceNo` for charge `sequence`, or 0 when it is not one. */
function dunningAttempt(prefix: string, sequence: number, invoiceNo: string): number {
  const stem = dunningInvoiceNo(prefix, sequence, 0).slice(0, -2);
  const digits = invoiceNo.startsWith(stem) ? invoiceNo.slice(stem.length) : '';
  return /^\d{2}$/.test(digits) ? Number(digits) : 0;
}
