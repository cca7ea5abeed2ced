// The readable form of a reconciliation report: one summary line, then one row per disagreement.
import type { ReconcileReport } from '../reconciliation/disagreement.js';

/** What was reconciled, for the summary line. */
export interface TableScope {
  merchantId: string;
  from?: string;
  to?: string;
  timeZone: string;
  repair: boolean;
}

/** The report as a fixed-width table (detail last, unpadded, so long reasons do not widen every row). */
export function reconcileTable(report: ReconcileReport, scope: TableScope): string {
  const c = report.checked;
  const window =
    scope.from === undefined && scope.to === undefined
      ? 'all activity'
      : `activity ${scope.from ?? '…'} to ${scope.to ?? '…'} (${scope.timeZone})`;
  const lines = [
    `merchant ${scope.merchantId}, ${window}: ${c.subscriptions} subscription(s), ${c.charges} charge(s), ` +
      `${c.refunds} refund(s), ${c.plans} plan(s), ${c.probes} probe(s); ${c.inquiries} inquiries` +
      (scope.repair ? `, ${c.signals} message(s) sent` : ''),
  ];
  if (report.disagreements.length === 0) return [...lines, 'no disagreements'].join('\n');
  const rows = report.disagreements.map((d) => [
    d.kind,
    d.subscriptionId,
    d.invoiceNo ?? '-',
    d.repair ?? '-',
    d.detail,
  ]);
  const header = ['KIND', 'SUBSCRIPTION', 'INVOICE', 'REPAIR', 'DETAIL'];
  const widths = header.slice(0, -1).map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const format = (cells: string[]) =>
    cells.map((cell, i) => (i < widths.length ? cell.padEnd(widths[i] ?? 0) : cell)).join('  ');
  lines.push('', format(header), ...rows.map(format), '', `${report.disagreements.length} disagreement(s)`);
  if (!scope.repair && report.disagreements.some((d) => d.repair === null && d.kind !== 'inquiry_failed')) {
    lines.push('rows with REPAIR "-" can be fixed by their workflow: run again with --repair');
  }
  return lines.join('\n');
}
