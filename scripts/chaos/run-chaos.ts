// One chaos run end to end: start the engine, arm the sandbox's chaos mode, drive the scenario, wait for
// quiescence, then gather what 2C2P, PostgreSQL and Temporal hold and check the invariants.
import { Connection, Client } from '@temporalio/client';
import protos from '@temporalio/proto';
import { spawn } from 'node:child_process';
import pg from 'pg';
import { startChaosEngine, type ChaosEngine } from './engine.js';
import { apiClient, inBatches, sandboxClient, traffic } from './http.js';
import {
  checkInvariants,
  countByInvariant,
  type ChargeRow,
  type Invariant,
  type RefundRow,
  type SandboxLedger,
  type SubscriptionRow,
  type Violation,
  type WorkflowSeen,
} from './invariants.js';
import { planProcessFaults } from './process-faults.js';
import { ChaosScenario, INTERVAL_DAYS, type ScenarioCounts } from './scenario.js';

const DAY = 86_400_000;

export interface ChaosOptions {
  seed: number;
  subscriptions: number;
  cycles: number;
  workers: number;
  killsPerWorker: number;
  concurrency: number;
  /** Share of gateway calls the sandbox faults (default 0.1; a short run raises it to see every kind). */
  requestFaultRate?: number;
  /** The sandbox's chaos mode (off only to look at process faults alone). */
  gatewayChaos: boolean;
  log(line: string): void;
}

export interface ChaosResults {
  seed: number;
  subscriptions: number;
  cycles: number;
  wallSeconds: number;
  passed: boolean;
  statuses: Record<string, number>;
  charges: Record<string, number>;
  refunds: Record<string, number>;
  gatewayCalls: Record<string, number>;
  faults: Record<string, number>;
  scenario: ScenarioCounts;
  requests: typeof traffic;
  /** What `recur reconcile` checked against 2C2P. */
  reconcile: Record<string, number>;
  invariants: Record<Invariant, number>;
  violations: Violation[];
  table: string;
}

/** The sandbox's chaos mode: about 10% of gateway calls faulted, 5% of charges declined, notifications mangled. */
export function chaosMode(seed: number, requestFaultRate = 0.1) {
  return {
    seed,
    requestFaultRate,
    appliedShare: 0.5,
    timeoutHoldMs: 5000,
    declineRate: 0.05,
    refundPendingRate: 0.2,
    notifications: { duplicateRate: 0.05, reorderRate: 0.05, delayRate: 0.05, dropRate: 0.05, delayMs: 2 * DAY },
  };
}

/** A chaos run in steps: `start`, `createSubscriptions`, `runCycle` for each cycle, then `finish`. */
export class ChaosRun {
  readonly #started = Date.now();

  private constructor(
    readonly engine: ChaosEngine,
    readonly scenario: ChaosScenario,
    private readonly options: ChaosOptions,
  ) {}

  /** Starts the engine in `dir` and arms the sandbox's chaos mode. */
  static async start(dir: string, options: ChaosOptions): Promise<ChaosRun> {
    options.log(
      `seed ${options.seed}: ${options.subscriptions} subscriptions × ${options.cycles} cycles, data in ${dir}`,
    );
    const engine = await startChaosEngine(dir, { workers: options.workers });
    try {
      if (options.gatewayChaos) {
        const armed = await sandboxClient(engine.sandboxUrl)(
          'POST',
          '/chaos',
          chaosMode(options.seed, options.requestFaultRate),
        );
        if (armed.status !== 200) throw new Error(`arming the sandbox's chaos mode: ${JSON.stringify(armed.body)}`);
      }
      const scenario = new ChaosScenario(engine, {
        seed: options.seed,
        subscriptions: options.subscriptions,
        cycles: options.cycles,
        raceShare: 0.08,
        recoverShare: 0.5,
        processFaults: planProcessFaults(options.seed, options.cycles, options.workers, options.killsPerWorker),
        concurrency: options.concurrency,
        log: options.log,
      });
      return new ChaosRun(engine, scenario, options);
    } catch (error) {
      await engine.stop();
      throw error;
    }
  }

  createSubscriptions(): Promise<void> {
    return this.scenario.createSubscriptions();
  }

  runCycle(cycle: number): Promise<void> {
    return this.scenario.runCycle(cycle);
  }

  /** Chaos off (held notifications go out), quiescence, then the invariants; the engine keeps running. */
  async finish(): Promise<ChaosResults> {
    const { options, engine } = this;
    const chaos = options.gatewayChaos ? await sandboxClient(engine.sandboxUrl)('DELETE', '/chaos') : { body: {} };
    const injected = (chaos.body?.injected ?? {}) as Record<string, number>;
    const client = new Client({ connection: await Connection.connect({ address: engine.temporalAddress }) });
    try {
      await quiesce(engine, client, options);
      const gathered = await gather(engine, client);
      const reconciled = await reconcileReport(engine);
      const violations = checkInvariants({ ...gathered, reconcile: reconciled.disagreements });
      const counts = this.scenario.counts;
      const results: Omit<ChaosResults, 'table'> = {
        seed: options.seed,
        subscriptions: options.subscriptions,
        cycles: options.cycles,
        wallSeconds: Math.round((Date.now() - this.#started) / 1000),
        passed: violations.length === 0,
        statuses: tally(gathered.subscriptions.map((s) => s.status)),
        charges: tally(gathered.charges.map((c) => `${c.kind} ${c.status}`)),
        refunds: tally(gathered.refunds.map((r) => `${r.reason} ${r.status}`)),
        gatewayCalls: gathered.gatewayCalls,
        faults: { ...injected, ...prefixed(counts.processFaults), ...this.#crashes() },
        scenario: counts,
        requests: traffic,
        reconcile: reconciled.checked,
        invariants: countByInvariant(violations),
        violations: violations.slice(0, 500),
      };
      return { ...results, table: table(results) };
    } finally {
      await client.connection.close();
    }
  }

  /** Exits of a part nobody asked for, and starts that failed (each part was started again). */
  #crashes(): Record<string, number> {
    const parts = [this.engine.postgres, this.engine.sandbox, this.engine.api, ...this.engine.workers];
    return Object.fromEntries(
      parts.flatMap((p) => [
        [`process.${p.spec.name}.unexpectedExits`, p.crashes],
        [`process.${p.spec.name}.failedStarts`, p.failedStarts],
      ]),
    );
  }

  async stop(): Promise<void> {
    await this.scenario.close();
    await this.engine.stop();
  }
}

/** Runs the whole thing in `dir` (logs, data). */
export async function runChaos(dir: string, options: ChaosOptions): Promise<ChaosResults> {
  const run = await ChaosRun.start(dir, options);
  try {
    await run.createSubscriptions();
    for (let cycle = 1; cycle <= options.cycles; cycle += 1) await run.runCycle(cycle);
    return await run.finish();
  } finally {
    await run.stop();
  }
}

/** The operator's check, run as an operator would: `recur reconcile --json` with the deployment's environment. */
async function reconcileReport(
  engine: ChaosEngine,
): Promise<{ checked: Record<string, number>; disagreements: Array<{ subscriptionId?: string; detail: string }> }> {
  const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number | null }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'reconcile', '--json'], {
        env: engine.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
      child.once('error', reject);
      child.once('exit', (exitCode) => resolve({ stdout: out, stderr: err, code: exitCode }));
    },
  );
  if (code !== 0 && code !== 1) throw new Error(`recur reconcile exited ${code}: ${stderr.trim()}`);
  const report = JSON.parse(stdout) as {
    checked: Record<string, number>;
    disagreements: Array<{ kind: string; subscriptionId: string; invoiceNo?: string; detail: string }>;
  };
  return {
    checked: report.checked,
    disagreements: report.disagreements.map((d) => ({
      subscriptionId: d.subscriptionId,
      detail: `${d.kind}${d.invoiceNo ? ` ${d.invoiceNo}` : ''}: ${d.detail}`,
    })),
  };
}

function prefixed(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [`process.${k}`, v]));
}

function tally(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/** Moves the clock on, a few days at a time, until no subscription workflow runs (bounded). */
async function quiesce(engine: ChaosEngine, client: Client, options: ChaosOptions) {
  const { log } = options;
  const api = apiClient(engine.apiUrl, engine.apiKey);
  const query = `RecurMerchantId="${engine.merchantId}" AND ExecutionStatus="Running"`;
  const deadline = Date.now() + 120_000 + options.subscriptions * 300;
  for (let step = 0; Date.now() < deadline; step += 1) {
    const { count } = await client.workflow.count(query);
    if (count === 0) {
      log('quiescent: no subscription workflow runs');
      return;
    }
    if (step % 5 === 0) {
      const clock = await api('GET', '/v1/test-clock');
      const to = new Date(Date.parse(clock.body.now) + (step === 0 ? INTERVAL_DAYS : 3) * DAY).toISOString();
      log(`${count} workflows still run: test clock to ${to}`);
      await api('POST', '/v1/test-clock/advance', { to });
    }
    await new Promise((resolve) => setTimeout(resolve, 3000));
  }
  log('quiescence not reached in time: the runs still open count as violations');
}

async function gather(engine: ChaosEngine, client: Client) {
  const db = new pg.Pool({ connectionString: engine.databaseUrl, max: 2 });
  try {
    const merchant = [engine.merchantId];
    const subscriptions = (
      await db.query<SubscriptionRow>(
        'SELECT id, status, recurring_unique_id, workflow_id FROM subscriptions WHERE merchant_id = $1',
        merchant,
      )
    ).rows;
    const charges = (
      await db.query<ChargeRow>(
        'SELECT invoice_no, subscription_id, sequence, kind, amount_minor, status FROM charges WHERE merchant_id = $1',
        merchant,
      )
    ).rows;
    const refunds = (
      await db.query<RefundRow & { reason: string }>(
        'SELECT idempotency_id, subscription_id, invoice_no, amount_minor, status, reason FROM refunds WHERE merchant_id = $1',
        merchant,
      )
    ).rows;
    const calls = (
      await db.query<{ operation: string; n: number }>(
        'SELECT operation, count(*)::int AS n FROM gateway_exchanges WHERE merchant_id = $1 GROUP BY operation',
        merchant,
      )
    ).rows;
    const ledger = (await sandboxClient(engine.sandboxUrl)('GET', '/ledger')).body as SandboxLedger;
    const workflows: WorkflowSeen[] = [];
    for await (const execution of client.workflow.list({ query: `RecurMerchantId="${engine.merchantId}"` })) {
      const status = execution.searchAttributes?.['RecurSubscriptionStatus'];
      workflows.push({
        workflowId: execution.workflowId,
        running: execution.status.name === 'RUNNING',
        ...(Array.isArray(status) && typeof status[0] === 'string' ? { status: status[0] } : {}),
        failedTasks: 0,
      });
    }
    await inBatches(workflows, 8, async (workflow) => {
      const history = await client.workflow.getHandle(workflow.workflowId).fetchHistory();
      // UnhandledCommand is the server refusing a completion because a signal came in meanwhile: the SDK
      // runs the task again with the signal, by design. Every other cause is a failure of our code.
      workflow.failedTasks = (history.events ?? []).filter(
        (e) =>
          e.workflowTaskFailedEventAttributes &&
          e.workflowTaskFailedEventAttributes.cause !==
            protos.temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND,
      ).length;
    });
    return {
      subscriptions,
      charges,
      refunds,
      ledger,
      workflows,
      gatewayCalls: Object.fromEntries(calls.map((c) => [c.operation, c.n])),
    };
  } finally {
    await db.end();
  }
}

function table(results: Omit<ChaosResults, 'table'>): string {
  const lines = [
    `chaos seed ${results.seed}: ${results.subscriptions} subscriptions × ${results.cycles} cycles in ${results.wallSeconds} s`,
    `  final status   ${format(results.statuses)}`,
    `  charges        ${format(results.charges)}`,
    `  refunds        ${format(results.refunds)}`,
    `  gateway calls  ${format(results.gatewayCalls)}`,
    `  faults         ${format(results.faults)}`,
    `  reconcile      ${format(results.reconcile)}`,
    '  invariants (violations):',
    ...Object.entries(results.invariants).map(
      ([name, n]) => `    ${n === 0 ? 'ok  ' : 'FAIL'} ${name.padEnd(26)} ${n}`,
    ),
    results.passed ? 'PASSED: every invariant holds' : `FAILED: ${results.violations.length} violations`,
  ];
  return lines.join('\n');
}

function format(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}
