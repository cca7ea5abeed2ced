// Drives N subscriptions through `cycles` monthly charges on the test clock, over HTTP only, while process
// faults hit the engine and clients race each other on some subscriptions.
import pg from 'pg';
import { addDays, toCalendarDate, toEpochMs, type CalendarDate } from '../../src/domain/calendar-date.js';
import type { ChaosEngine } from './engine.js';
import { apiClient, approveOnPage, inBatches, type Answer } from './http.js';
import { applyProcessFault, type ProcessFault } from './process-faults.js';
import { unit } from './seeded.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const INTERVAL_DAYS = 30;
const AMOUNT = '30.00';
/** How long no subscription may move on before a step stops waiting for the rest. */
const QUIET_MS = 10_000;

export interface ScenarioOptions {
  readonly seed: number;
  readonly subscriptions: number;
  readonly cycles: number;
  /** Share of subscriptions on which clients race once (cancels, plan changes, refunds at the same time). */
  readonly raceShare: number;
  /** Share of past-due subscriptions whose customer pays the dunning link. */
  readonly recoverShare: number;
  readonly processFaults: readonly ProcessFault[];
  readonly concurrency: number;
  log(line: string): void;
}

export interface ScenarioCounts {
  created: number;
  createRetriesSameKey: number;
  races: Record<string, number>;
  dunningLinksPaid: number;
  dunningLinksLeft: number;
  processFaults: Record<string, number>;
  advances: number;
  /** Per step, subscriptions that had not got there when the step's wait ended (the run goes on). */
  laggards: Record<string, number>;
}

interface Live {
  readonly index: number;
  readonly id: string;
}

type RaceKind = 'doubleCancel' | 'cancelVersusChange' | 'refundRace' | 'changeRetry';
const RACES: readonly RaceKind[] = ['doubleCancel', 'cancelVersusChange', 'refundRace', 'changeRetry'];

/** The scenario in steps (a test runs each as its own case): create, then one cycle at a time. */
export class ChaosScenario {
  readonly counts: ScenarioCounts = {
    created: 0,
    createRetriesSameKey: 0,
    races: {},
    dunningLinksPaid: 0,
    dunningLinksLeft: 0,
    processFaults: {},
    advances: 0,
    laggards: {},
  };
  readonly #api: ReturnType<typeof apiClient>;
  readonly #db: pg.Pool;
  readonly #live: Live[] = [];
  readonly #racing = new Map<number, { cycle: number; kind: RaceKind }>();
  #firstChargeDate: CalendarDate | undefined;

  constructor(
    private readonly engine: ChaosEngine,
    private readonly options: ScenarioOptions,
  ) {
    this.#api = apiClient(engine.apiUrl, engine.apiKey);
    this.#db = new pg.Pool({ connectionString: engine.databaseUrl, max: 2 });
    this.#db.on('error', () => undefined); // PostgreSQL is stopped on purpose once
  }

  /** Creates and pays every subscription; resolves once all are active (bounded). */
  async createSubscriptions(): Promise<void> {
    const { seed, log } = this.options;
    const clock = expectOk(await this.#api('GET', '/v1/test-clock'), 'test clock');
    const firstChargeDate = addDays(toCalendarDate(Date.parse(clock.now)), INTERVAL_DAYS);
    this.#firstChargeDate = firstChargeDate;
    log(`creating ${this.options.subscriptions} subscriptions (first charge ${firstChargeDate})`);
    await inBatches(
      Array.from({ length: this.options.subscriptions }, (_, i) => i),
      this.options.concurrency,
      async (index) => {
        const key = `chaos-${seed}-create-${index}`;
        const body = {
          customerId: `cust_${index}`,
          description: `chaos ${seed} #${index}`,
          plan: {
            amount: AMOUNT,
            currency: 'SGD',
            interval: { days: INTERVAL_DAYS },
            recurringCount: this.options.cycles,
            firstChargeDate,
          },
        };
        const created = expectOk(
          await this.#api('POST', '/v1/subscriptions', body, { 'idempotency-key': key }),
          `create #${index}`,
        );
        // Some clients retry a create they did get an answer to: the same key must give the same subscription.
        if (unit(seed, 'create-retry', index) < 0.05) {
          this.counts.createRetriesSameKey += 1;
          const again = expectOk(
            await this.#api('POST', '/v1/subscriptions', body, { 'idempotency-key': key }),
            `create #${index} again`,
          );
          if (again.subscriptionId !== created.subscriptionId) {
            throw new Error(`create #${index}: the same Idempotency-Key made a second subscription`);
          }
        }
        const status = await approveOnPage(created.webPaymentUrl as string);
        if (status >= 400) throw new Error(`create #${index}: the payment page answered ${status}`);
        this.#live.push({ index, id: created.subscriptionId as string });
        this.counts.created += 1;
      },
    );
    await this.#settle('first payments', (row) => row.status !== 'pending_payment', 120_000);
    for (const sub of this.#live) {
      if (unit(seed, 'race', sub.index) >= this.options.raceShare || this.options.cycles < 2) continue;
      const cycle = 1 + Math.floor(unit(seed, 'race-cycle', sub.index) * (this.options.cycles - 1));
      const kind = RACES[Math.floor(unit(seed, 'race-kind', sub.index) * RACES.length)] as RaceKind;
      this.#racing.set(sub.index, { cycle, kind });
    }
  }

  /**
   * One billing cycle: the charges fall due (with this cycle's process faults), the inquiry grace passes,
   * clients race on some subscriptions, customers pay about half of the dunning links, the window closes.
   */
  async runCycle(cycle: number): Promise<void> {
    const { log, cycles, subscriptions } = this.options;
    if (!this.#firstChargeDate) throw new Error('create the subscriptions first');
    const due = toEpochMs(addDays(this.#firstChargeDate, INTERVAL_DAYS * (cycle - 1)));
    log(`cycle ${cycle}/${cycles}: charges due ${new Date(due).toISOString().slice(0, 10)}`);
    const faulting = this.options.processFaults
      .filter((f) => f.cycle === cycle)
      .map(async (fault) => {
        await new Promise((resolve) => setTimeout(resolve, fault.afterMs));
        await applyProcessFault(this.engine, fault, log);
        this.counts.processFaults[fault.kind] = (this.counts.processFaults[fault.kind] ?? 0) + 1;
      });
    const chargeWait = 60_000 + subscriptions * 60;
    await this.#advanceTo(due + 3 * HOUR);
    await Promise.all(faulting);
    await this.#settle(`charge ${cycle}`, chargedOrDue(cycle), chargeWait);
    // Past the inquiry grace: notifications that were dropped or held are now asked for.
    await this.#advanceTo(due + DAY + 4 * HOUR);
    await this.#settle(`charge ${cycle} after grace`, chargedOrDue(cycle), chargeWait);

    const races = this.#live.filter((sub) => this.#racing.get(sub.index)?.cycle === cycle);
    await inBatches(races, this.options.concurrency, async (sub) => {
      const kind = (this.#racing.get(sub.index) as { kind: RaceKind }).kind;
      this.counts.races[kind] = (this.counts.races[kind] ?? 0) + 1;
      await race(this.#api, this.options.seed, sub, kind, cycle);
    });
    await this.#payDunningLinks(cycle);
    // Past the dunning window: what was not paid ends the subscription as unpaid.
    await this.#advanceTo(due + 9 * DAY);
    await this.#settle(`dunning ${cycle}`, (row) => row.status !== 'past_due', 60_000);
  }

  async close(): Promise<void> {
    await this.#db.end().catch(() => undefined);
  }

  async #advanceTo(at: number): Promise<void> {
    this.counts.advances += 1;
    expectOk(await this.#api('POST', '/v1/test-clock/advance', { to: new Date(at).toISOString() }), 'advance');
  }

  /**
   * Waits until `done` holds for every subscription, or until the count of those still waiting has not moved
   * for QUIET_MS (the rest wait for a later clock move: a dropped notification for the grace inquiry), or
   * `timeoutMs` at most. Those left are counted and logged.
   */
  async #settle(what: string, done: (row: Row) => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let waiting = -1;
    let quietSince = Date.now();
    while (Date.now() < deadline) {
      try {
        const { rows } = await this.#db.query<Row>(
          `SELECT s.id, s.status, coalesce(max(c.sequence), 0)::int AS "lastSequence"
             FROM subscriptions s LEFT JOIN charges c ON c.subscription_id = s.id
            GROUP BY s.id, s.status`,
        );
        const still = rows.filter((row) => !done(row)).length;
        if (still === 0) return;
        if (still !== waiting) quietSince = Date.now();
        waiting = still;
        if (Date.now() - quietSince > QUIET_MS) break;
      } catch {
        // PostgreSQL is down for its fault: try again.
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    this.counts.laggards[what] = waiting;
    this.options.log(`  ${what}: ${waiting} subscriptions not there yet`);
  }

  /** Pays the dunning link of about `recoverShare` of the past-due subscriptions. */
  async #payDunningLinks(cycle: number): Promise<void> {
    const { rows } = await this.#db.query<{ id: string }>(`SELECT id FROM subscriptions WHERE status = 'past_due'`);
    await inBatches(rows, this.options.concurrency, async ({ id }) => {
      if (unit(this.options.seed, 'recover', id, cycle) >= this.options.recoverShare) {
        this.counts.dunningLinksLeft += 1;
        return;
      }
      const view = await this.#api('GET', `/v1/subscriptions/${id}`);
      const url = view.body?.pendingPaymentLink?.webPaymentUrl as string | undefined;
      if (!url) return;
      // A dunning link is paid with the card 2C2P stored for the plan.
      const customerToken = view.body?.customerToken as string | undefined;
      if ((await approveOnPage(url, customerToken)) < 400) this.counts.dunningLinksPaid += 1;
    });
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, read field by field
function expectOk(answer: Answer, what: string, ok = [200, 201]): any {
  if (!ok.includes(answer.status)) throw new Error(`${what}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

interface Row {
  id: string;
  status: string;
  lastSequence: number;
}

/** A subscription has its charge `cycle` recorded (either way), or no longer expects it. */
function chargedOrDue(cycle: number): (row: Row) => boolean {
  return (row) => row.lastSequence >= cycle || !['active', 'past_due'].includes(row.status);
}

/** Clients racing on one subscription; every answer but a 5xx is acceptable, the invariants judge the outcome. */
async function race(
  api: ReturnType<typeof apiClient>,
  seed: number,
  sub: Live,
  kind: RaceKind,
  cycle: number,
): Promise<void> {
  const key = (name: string) => `chaos-${seed}-${sub.id}-${cycle}-${name}`;
  const charges = await api('GET', `/v1/subscriptions/${sub.id}/charges`);
  const paid = ((charges.body?.items ?? []) as Array<{ invoiceNo: string; status: string }>).filter(
    (c) => c.status === 'succeeded',
  );
  const last = paid.at(-1)?.invoiceNo;
  const cancel = (name: string, refundPolicy: string) =>
    api('POST', `/v1/subscriptions/${sub.id}/cancel`, { refundPolicy }, { 'idempotency-key': key(name) });
  const change = (name: string, amount: string) =>
    api('PATCH', `/v1/subscriptions/${sub.id}`, { amount, prorate: true }, { 'idempotency-key': key(name) });
  const refund = (name: string) =>
    last
      ? api('POST', `/v1/subscriptions/${sub.id}/refunds`, { invoiceNo: last }, { 'idempotency-key': key(name) })
      : Promise.resolve(undefined);
  switch (kind) {
    case 'doubleCancel':
      // Two cancels with their own keys and one retried with the same key: one cancel, one refund.
      await Promise.all([
        cancel('cancel-a', 'prorated'),
        cancel('cancel-b', 'full_last_charge'),
        cancel('cancel-a', 'prorated'),
      ]);
      return;
    case 'cancelVersusChange':
      await Promise.all([change('change', '20.00'), cancel('cancel', 'prorated'), refund('refund')]);
      return;
    case 'refundRace':
      // The same refund twice with one key and once with a fresh key: at most the charge is refunded.
      await Promise.all([refund('refund-a'), refund('refund-a'), refund('refund-b')]);
      return;
    case 'changeRetry':
      await Promise.all([change('change-a', '25.00'), change('change-a', '25.00'), change('change-b', '35.00')]);
      return;
  }
}
