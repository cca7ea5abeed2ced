// `reconcile`: compares a merchant's PostgreSQL record with 2C2P through inquiries only, lists every
// disagreement and, when asked, signals the workflows that can fix theirs. No process-level side effects:
// the CLI and the chaos harness both call it in-process.
import type { Client } from '@temporalio/client';
import { listCharges, listRefunds, listSubscriptionsWithActivity, type Queryable } from '../db/index.js';
import type { SubscriptionRow } from '../db/index.js';
import { compareSubscription, type SubscriptionEvidence } from './compare-subscription.js';
import type { Disagreement, PaymentAnswer, ReconcileReport } from './disagreement.js';
import { createInquirer, type Inquirer, type InquiryGateway } from './inquirer.js';
import { createLimiter } from './limiter.js';
import { invoicesToProbe } from './probe-invoices.js';
import { planRepair, type ChargeContext } from './repair-plan.js';
import { sendRepair } from './send-repair.js';
import { factsFromRecord, workflowFacts } from './workflow-facts.js';

export interface ReconcileOptions {
  pool: Queryable;
  /** A client of the merchant's 2C2P account; only its inquiries are ever called. */
  gateway: InquiryGateway;
  /** Needed for `repair`; without it, what `repair` would do is estimated from the record. */
  temporalClient?: Client;
  merchantId: string;
  /** First and last day of activity (created, charged or refunded), 'YYYY-MM-DD' inclusive; absent: open. */
  from?: string;
  to?: string;
  /** The IANA zone `from` and `to` are read in (default UTC). */
  timeZone?: string;
  /** Signal the workflows that can fix a disagreement from 2C2P's answer. */
  repair?: boolean;
  /** Inquiries (and subscriptions) in flight at once (default 8). */
  concurrency?: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function checkOptions(o: ReconcileOptions): void {
  if (typeof o.merchantId !== 'string' || o.merchantId === '') throw new TypeError('merchantId is required');
  for (const [name, day] of [
    ['from', o.from],
    ['to', o.to],
  ] as const) {
    if (day !== undefined && (!DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))) {
      throw new RangeError(`${name} must be a date YYYY-MM-DD`);
    }
  }
  if (o.from !== undefined && o.to !== undefined && o.from > o.to) throw new RangeError('from is after to');
  if (o.repair && !o.temporalClient) throw new TypeError('repair needs a temporalClient to signal workflows');
}

/** Reconciles the merchant's subscriptions with activity in [from, to]; resolves to every disagreement. */
export async function reconcile(options: ReconcileOptions): Promise<ReconcileReport> {
  checkOptions(options);
  const concurrency = options.concurrency ?? 8;
  const inquirer = createInquirer(options.gateway, createLimiter(concurrency));
  const subscriptionSlots = createLimiter(concurrency);
  const subscriptions = await listSubscriptionsWithActivity(options.pool, options);
  const report: ReconcileReport = {
    checked: { subscriptions: 0, charges: 0, refunds: 0, plans: 0, probes: 0, inquiries: 0, signals: 0 },
    disagreements: [],
  };
  const results = await Promise.all(
    subscriptions.map((s) => subscriptionSlots(() => reconcileOne(options, inquirer, s, report))),
  );
  report.disagreements = results.flat();
  report.checked.subscriptions = subscriptions.length;
  report.checked.inquiries = inquirer.stats.inquiries;
  // Every inquiry failing is 2C2P (or the way to it) being down, not thousands of disagreements.
  if (inquirer.stats.inquiries > 0 && inquirer.stats.failures === inquirer.stats.inquiries) {
    throw inquirer.stats.firstError;
  }
  return report;
}

async function gather(
  inquirer: Inquirer,
  s: SubscriptionRow,
  options: ReconcileOptions,
): Promise<SubscriptionEvidence> {
  const [charges, refunds] = await Promise.all([listCharges(options.pool, s.id), listRefunds(options.pool, s.id)]);
  // The plan first: the sequences it reports charged are among the invoices to probe.
  const plan = s.recurringUniqueId === null ? undefined : await inquirer.plan(s.recurringUniqueId);
  const probes = invoicesToProbe(s, charges, plan && 'found' in plan && plan.found ? plan.currentCount : undefined);
  const invoices = [...charges.map((c) => c.invoiceNo), ...probes.map((p) => p.invoiceNo)];
  const refunded = [...new Map(refunds.map((r) => [r.invoiceNo, r.currency])).entries()];
  const [payments, refundLists] = await Promise.all([
    Promise.all(invoices.map(async (no) => [no, await inquirer.payment(no, s.currency)] as const)),
    Promise.all(refunded.map(async ([no, currency]) => [no, await inquirer.refunds(no, currency)] as const)),
  ]);
  return {
    subscription: s,
    charges,
    refunds,
    probes,
    plan,
    payments: new Map(payments),
    refundLists: new Map(refundLists),
  };
}

async function reconcileOne(
  options: ReconcileOptions,
  inquirer: Inquirer,
  s: SubscriptionRow,
  report: ReconcileReport,
): Promise<Disagreement[]> {
  const evidence = await gather(inquirer, s, options);
  report.checked.charges += evidence.charges.length;
  report.checked.refunds += evidence.refunds.length;
  report.checked.plans += evidence.plan === undefined ? 0 : 1;
  report.checked.probes += evidence.probes.length;
  const disagreements = compareSubscription(evidence);
  if (disagreements.length === 0) return disagreements;

  const client = options.temporalClient;
  // A workflow that does not answer its query (no worker) is judged by its record; a signal it would ignore
  // is harmless, since the workflow deduplicates notifications.
  const facts = client
    ? await workflowFacts(client, options.merchantId, s.id).catch(() => factsFromRecord(s, evidence.charges))
    : factsFromRecord(s, evidence.charges);
  const sent = new Map<string, string | undefined>();
  for (const d of disagreements) {
    const action = planRepair(d, facts, chargeContext(evidence, d.invoiceNo));
    if (action.action === 'none') continue;
    if (action.action === 'manual') {
      d.repair = 'manual';
      d.detail += `; ${action.why}`;
      continue;
    }
    if (!options.repair || !client) continue;
    // One message per invoice (or one retry per subscription), however many disagreements it answers.
    const key = action.action === 'signal' ? `signal ${action.notification.invoiceNo}` : 'retry';
    if (!sent.has(key)) {
      sent.set(key, await sendRepair(client, options.merchantId, s.id, action));
      if (sent.get(key) === undefined) report.checked.signals += 1;
    }
    const failure = sent.get(key);
    d.repair = failure === undefined ? 'signaled' : 'manual';
    if (failure !== undefined) d.detail += `; ${failure}`;
  }
  return disagreements;
}

/** The charge a disagreement names, with 2C2P's answer on it, when it is about a charge. */
function chargeContext(e: SubscriptionEvidence, invoiceNo: string | undefined): ChargeContext | undefined {
  if (invoiceNo === undefined) return undefined;
  const answer: PaymentAnswer | undefined = e.payments.get(invoiceNo);
  const notification = answer && 'found' in answer && answer.found ? answer.notification : undefined;
  const row = e.charges.find((c) => c.invoiceNo === invoiceNo);
  const probe = e.probes.find((p) => p.invoiceNo === invoiceNo);
  const charge = row ?? probe;
  return charge ? { kind: charge.kind, sequence: charge.sequence, notification } : undefined;
}
