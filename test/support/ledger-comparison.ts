// The same charges and refunds as three parties see them: the workflow, PostgreSQL and the sandbox.
import { listCharges, listRefunds } from '../../src/db/index.js';
import type { SubscriptionView } from '../../src/workflows/definitions.js';
import type { EngineHarness } from './engine-harness.js';

export interface LedgerLine {
  invoiceNo: string;
  amountMinor: number;
  status: string;
}

export interface ThreeLedgers {
  workflow: { charges: LedgerLine[]; refunds: LedgerLine[] };
  database: { charges: LedgerLine[]; refunds: LedgerLine[] };
  sandbox: { charges: LedgerLine[]; refunds: LedgerLine[] };
}

const sorted = (lines: LedgerLine[]) =>
  [...lines].sort((a, b) => a.invoiceNo.localeCompare(b.invoiceNo) || a.amountMinor - b.amountMinor);

/** Reads the three ledgers of one subscription, sorted the same way. */
export async function ledgerOf(harness: EngineHarness, view: SubscriptionView): Promise<ThreeLedgers> {
  const ledger = harness.sandbox.ledger();
  // A charge is ours by its invoice prefix or, whatever 2C2P numbered it, by the plan it was made on.
  const ourInvoices = new Set(
    ledger.transactions
      .filter(
        (t) =>
          t.invoiceNo.startsWith(view.invoicePrefix) ||
          (view.recurringUniqueID !== undefined && t.recurringUniqueID === view.recurringUniqueID),
      )
      .map((t) => t.invoiceNo),
  );
  const ours = (invoiceNo: string) => ourInvoices.has(invoiceNo);
  const refundStatus: Record<string, string> = { RF: 'succeeded', RP: 'pending' };
  return {
    workflow: {
      charges: sorted(view.charges.map(({ invoiceNo, amountMinor, status }) => ({ invoiceNo, amountMinor, status }))),
      refunds: sorted(view.refunds.map(({ invoiceNo, amountMinor, status }) => ({ invoiceNo, amountMinor, status }))),
    },
    database: {
      charges: sorted(
        (await listCharges(harness.pool, view.subscriptionId)).map(({ invoiceNo, amountMinor, status }) => ({
          invoiceNo,
          amountMinor,
          status,
        })),
      ),
      refunds: sorted(
        (await listRefunds(harness.pool, view.subscriptionId)).map(({ invoiceNo, amountMinor, status }) => ({
          invoiceNo,
          amountMinor,
          status,
        })),
      ),
    },
    sandbox: {
      charges: sorted(
        ledger.transactions
          .filter((t) => ours(t.invoiceNo))
          .map((t) => ({
            invoiceNo: t.invoiceNo,
            amountMinor: t.amount.minor,
            status: t.respCode === '0000' ? 'succeeded' : 'declined',
          })),
      ),
      refunds: sorted(
        ledger.refunds
          .filter((r) => ours(r.invoiceNo))
          .map((r) => ({
            invoiceNo: r.invoiceNo,
            amountMinor: r.amount.minor,
            status: refundStatus[r.status] ?? 'failed',
          })),
      ),
    },
  };
}
