// The invoice numbers a subscription's payments carry at 2C2P, and how a recurring charge is recognised.
// No 2C2P source confirms how it numbers a plan's charges (invoicePrefix + 5 digits from 00001, or from
// 00000, or something else), so a charge is matched by recurringUniqueID + recurringSequenceNo first and
// by invoice number only when those are absent; the numbering 2C2P uses is learnt from the first match.
import type { PaymentNotification } from './definitions.js';

/** Invoice number of the first payment: outside the prefix + digits space 2C2P may number charges in. */
export function initialInvoiceNo(prefix: string): string {
  return `${prefix}F0000`;
}

/** Invoice number prefix + 5 digits, as 2C2P may give recurring charge number `digits`. */
export function recurringInvoiceNo(prefix: string, digits: number): string {
  return `${prefix}${String(digits).padStart(5, '0')}`;
}

/** Invoice number of the payment link for a failed charge; `attempt` counts links for that charge. */
export function dunningInvoiceNo(prefix: string, sequence: number, attempt: number): string {
  return `${prefix}D${String(sequence).padStart(5, '0')}${String(attempt).padStart(2, '0')}`;
}

/** What the workflow knows about a plan's numbering: its id at 2C2P and, once learnt, the digits offset. */
export interface RecurringNumbering {
  invoicePrefix: string;
  recurringUniqueID?: string;
  /** Sequence minus invoice digits: 0 when 2C2P numbers from 00001, 1 from 00000; unknown until a match. */
  invoiceOffset?: number;
}

/** The invoice numbers recurring charge `sequence` may carry (the learnt one, or both candidates). */
export function candidateInvoiceNos(numbering: RecurringNumbering, sequence: number): string[] {
  const offsets = numbering.invoiceOffset === undefined ? [0, 1] : [numbering.invoiceOffset];
  return offsets.filter((o) => sequence - o >= 0).map((o) => recurringInvoiceNo(numbering.invoicePrefix, sequence - o));
}

/** Whether a notification (or inquiry answer) reports recurring charge `sequence` of this plan. */
export function isChargeOfCycle(numbering: RecurringNumbering, sequence: number, n: PaymentNotification): boolean {
  const samePlan = numbering.recurringUniqueID !== undefined && n.recurringUniqueID === numbering.recurringUniqueID;
  if (samePlan && n.recurringSequenceNo !== undefined && /^\d+$/.test(n.recurringSequenceNo)) {
    return Number(n.recurringSequenceNo) === sequence;
  }
  return candidateInvoiceNos(numbering, sequence).includes(n.invoiceNo);
}

/** The offset an invoice number shows for charge `sequence`, when it is prefix + digits. */
export function learntOffset(prefix: string, sequence: number, invoiceNo: string): number | undefined {
  if (!invoiceNo.startsWith(prefix)) return undefined;
  const digits = invoiceNo.slice(prefix.length);
  if (!/^\d{5}$/.test(digits)) return undefined;
  const offset = sequence - Number(digits);
  return offset === 0 || offset === 1 ? offset : undefined;
}
