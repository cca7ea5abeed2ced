// Compares charge rows with 2C2P's Payment Inquiry answers, and reports payments 2C2P made that no row holds.
import type { ChargeRow } from '../db/index.js';
import type { Disagreement, PaymentAnswer } from './disagreement.js';
import type { ProbedInvoice } from './probe-invoices.js';

/** What the comparison needs to know about the charges of one subscription. */
export interface ChargeEvidence {
  subscriptionId: string;
  charges: readonly ChargeRow[];
  probes: readonly ProbedInvoice[];
  /** Payment Inquiry answers by invoice number, for every row and every probe. */
  payments: ReadonlyMap<string, PaymentAnswer>;
}

const minorText = (minor: number | undefined, currency: string | undefined) =>
  minor === undefined ? 'no amount' : `${minor} minor ${currency ?? ''}`.trim();

/** Every charge disagreement of one subscription (repair still undecided: null). */
export function compareCharges(e: ChargeEvidence): Disagreement[] {
  const found: Disagreement[] = [];
  const report = (kind: Disagreement['kind'], invoiceNo: string, detail: string) =>
    found.push({ kind, subscriptionId: e.subscriptionId, invoiceNo, detail, repair: null });

  for (const row of e.charges) {
    const answer = e.payments.get(row.invoiceNo);
    if (answer === undefined) continue;
    if ('error' in answer) {
      report('inquiry_failed', row.invoiceNo, `Payment Inquiry failed: ${answer.error}`);
      continue;
    }
    if (!answer.found) {
      report(
        'charge_missing_at_gateway',
        row.invoiceNo,
        `recorded ${row.status} (${row.kind}), but 2C2P knows no payment (${answer.respCode} ${answer.respDesc})`,
      );
      continue;
    }
    if (answer.outcome !== row.status) {
      report(
        'charge_outcome_mismatch',
        row.invoiceNo,
        `recorded ${row.status} (${row.respCode}), 2C2P says ${answer.outcome} (${answer.notification.respCode})`,
      );
    }
    const otherCurrency = answer.currency !== undefined && answer.currency !== row.currency;
    const otherAmount = answer.amountMinor !== undefined && answer.amountMinor !== row.amountMinor;
    if (otherCurrency || otherAmount) {
      report(
        'charge_amount_mismatch',
        row.invoiceNo,
        `recorded ${minorText(row.amountMinor, row.currency)}, 2C2P says ${minorText(answer.amountMinor, answer.currency)}`,
      );
    }
  }

  for (const probe of e.probes) {
    const answer = e.payments.get(probe.invoiceNo);
    if (answer === undefined) continue;
    if ('error' in answer) {
      report('inquiry_failed', probe.invoiceNo, `Payment Inquiry failed: ${answer.error}`);
      continue;
    }
    // A payment still open or pending at 2C2P is what the workflow is waiting for, not a lost record.
    if (!answer.found || answer.outcome === 'pending') continue;
    const what = probe.kind === 'initial' ? 'first payment' : `${probe.kind} charge ${probe.sequence ?? ''}`.trim();
    report(
      'charge_missing_in_db',
      probe.invoiceNo,
      `2C2P has a ${answer.outcome} ${what} of ${minorText(answer.amountMinor, answer.currency)} with no row`,
    );
  }
  return found;
}
