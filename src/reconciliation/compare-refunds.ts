// Compares refund rows with the refund list 2C2P keeps on each charge, and checks the rows among themselves:
// no charge refunded beyond its amount, no refund recorded twice.
import type { ChargeRow, RefundRow } from '../db/index.js';
import type { RefundReason } from '../workflows/definitions.js';
import type { Disagreement, GatewayRefund, RefundListAnswer } from './disagreement.js';

/** What the comparison needs to know about the refunds of one subscription. */
export interface RefundEvidence {
  subscriptionId: string;
  charges: readonly ChargeRow[];
  refunds: readonly RefundRow[];
  /** Refund status answers by charge invoice number. */
  refundLists: ReadonlyMap<string, RefundListAnswer>;
}

/** Reasons the workflow refunds at most once per charge: a second row is a duplicate. */
const ONCE_PER_CHARGE: readonly RefundReason[] = ['cancel_prorated', 'cancel_full', 'payment_after_end'];
/** Refund statuses at which the refund call has been made, so 2C2P must list it (a refused one it may not). */
const CALLED = new Set(['pending', 'succeeded']);

/** Every refund disagreement of one subscription (repair still undecided: null). */
export function compareRefunds(e: RefundEvidence): Disagreement[] {
  const found: Disagreement[] = [];
  const report = (kind: Disagreement['kind'], invoiceNo: string, detail: string) =>
    found.push({ kind, subscriptionId: e.subscriptionId, invoiceNo, detail, repair: null });
  const invoices = [...new Set(e.refunds.map((r) => r.invoiceNo))];
  for (const invoiceNo of invoices) {
    const rows = e.refunds.filter((r) => r.invoiceNo === invoiceNo);
    checkAgainstCharge(invoiceNo, rows, e.charges, report);
    checkDuplicates(invoiceNo, rows, report);
    const answer = e.refundLists.get(invoiceNo);
    if (answer === undefined) continue;
    if ('error' in answer) {
      report('inquiry_failed', invoiceNo, `refund status inquiry failed: ${answer.error}`);
      continue;
    }
    checkAgainstGateway(invoiceNo, rows, answer.found ? answer.refunds : [], report);
  }
  return found;
}

type Report = (kind: Disagreement['kind'], invoiceNo: string, detail: string) => void;

function checkAgainstCharge(invoiceNo: string, rows: RefundRow[], charges: readonly ChargeRow[], report: Report) {
  const charge = charges.find((c) => c.invoiceNo === invoiceNo);
  const taken = rows.filter((r) => r.status !== 'failed').reduce((sum, r) => sum + r.amountMinor, 0);
  if (taken === 0) return;
  if (charge?.status !== 'succeeded') {
    report(
      'refund_exceeds_charge',
      invoiceNo,
      `${taken} minor refunded on a charge recorded ${charge?.status ?? 'nowhere'}`,
    );
  } else if (taken > charge.amountMinor) {
    report('refund_exceeds_charge', invoiceNo, `refunds take ${taken} minor of a ${charge.amountMinor} minor charge`);
  }
}

function checkDuplicates(invoiceNo: string, rows: RefundRow[], report: Report) {
  const live = rows.filter((r) => r.status !== 'failed');
  const byReference = new Map<string, string[]>();
  for (const r of live) {
    if (r.referenceNo) byReference.set(r.referenceNo, [...(byReference.get(r.referenceNo) ?? []), r.idempotencyId]);
  }
  for (const [referenceNo, ids] of byReference) {
    if (ids.length > 1)
      report('duplicate_refund', invoiceNo, `${ids.join(', ')} record one 2C2P refund (${referenceNo})`);
  }
  for (const reason of ONCE_PER_CHARGE) {
    const ids = live.filter((r) => r.reason === reason).map((r) => r.idempotencyId);
    if (ids.length > 1) report('duplicate_refund', invoiceNo, `${ids.join(', ')} each refund ${reason}`);
  }
}

/** Pairs rows with 2C2P's entries (by reference, then by amount) and reports what does not pair or agree. */
function checkAgainstGateway(invoiceNo: string, rows: RefundRow[], entries: readonly GatewayRefund[], report: Report) {
  const unpaired = [...entries];
  const take = (match: (g: GatewayRefund) => boolean) => {
    const index = unpaired.findIndex(match);
    return index < 0 ? undefined : unpaired.splice(index, 1)[0];
  };
  const pairs = rows.map((row) => ({
    row,
    entry: row.referenceNo ? take((g) => g.referenceNo === row.referenceNo) : undefined,
  }));
  for (const pair of pairs) {
    pair.entry ??= take((g) => g.amountMinor === pair.row.amountMinor && g.status === pair.row.status);
    pair.entry ??= take((g) => g.amountMinor === pair.row.amountMinor);
  }
  for (const { row, entry } of pairs) {
    const id = `refund ${row.idempotencyId}`;
    if (!entry) {
      if (CALLED.has(row.status)) {
        report(
          'refund_missing_at_gateway',
          row.invoiceNo,
          `${id} recorded ${row.status}, but 2C2P lists no such refund`,
        );
      }
      continue;
    }
    if (entry.amountMinor !== undefined && entry.amountMinor !== row.amountMinor) {
      report(
        'refund_amount_mismatch',
        row.invoiceNo,
        `${id} recorded ${row.amountMinor} minor, 2C2P ${entry.amountMinor}`,
      );
    }
    if (entry.status !== row.status) {
      report(
        'refund_status_mismatch',
        row.invoiceNo,
        `${id} recorded ${row.status}, 2C2P says ${entry.status} (${entry.wireStatus})`,
      );
    }
  }
  for (const entry of unpaired.filter((g) => g.status !== 'failed')) {
    report(
      'refund_missing_in_db',
      invoiceNo,
      `2C2P lists a ${entry.status} refund of ${entry.amountMinor ?? '?'} minor (${entry.referenceNo ?? 'no reference'}) with no row`,
    );
  }
}
