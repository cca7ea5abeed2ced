// `npm run bench:state`: how big a subscription workflow's state gets over a long life. Runs a daily plan
// for BENCH_STATE_DAYS (default 3650: ten years) on the time-skipping engine harness and writes, per
// checkpoint, the largest activity input, the carried (continue-as-new) state and the runs so far to
// bench/state-size.json. Nothing here asserts a target; test/workflows/bounded-state.test.ts checks the bound.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { subscriptionWorkflowId } from '../src/workflows/definitions.js';
import { KEPT_CHARGES } from '../src/workflows/subscription-state.js';
import { runDailyPlan } from '../test/support/daily-plan.js';
import { startEngineHarness } from '../test/support/engine-harness.js';
import { measurePayloads, type PayloadSizes } from '../test/support/payload-sizes.js';

const DAYS = Number(process.env.BENCH_STATE_DAYS ?? 3650);
const OUTPUT = process.env.BENCH_OUTPUT ?? join('bench', 'state-size.json');

Runtime.install({ logger: new DefaultLogger('WARN') });
const harness = await startEngineHarness();
const started = Date.now();
const checkpoints: Array<{ day: number; sizes: PayloadSizes }> = [];
try {
  const { input, handle } = await runDailyPlan(harness, {
    days: DAYS,
    onDay: (day) => {
      if (day % 365 === 0)
        console.log(`[state-size] day ${day} of ${DAYS} (${Math.round((Date.now() - started) / 1000)} s)`);
    },
  });
  const id = subscriptionWorkflowId(input.merchantId, input.subscriptionId);
  checkpoints.push({ day: DAYS, sizes: await measurePayloads(harness.env.client, id) });
  await handle.terminate('benchmark done');
} finally {
  await harness.stop();
}
const last = checkpoints.at(-1)!.sizes;
const report = {
  measuredAt: new Date().toISOString(),
  plan: `daily, ${DAYS} charges`,
  keptCharges: KEPT_CHARGES,
  wallSeconds: Math.round((Date.now() - started) / 1000),
  runs: last.runs,
  longestRunEvents: Math.max(...last.eventsPerRun),
  maxActivityInputBytes: last.maxActivityInputBytes,
  maxActivityType: last.maxActivityType,
  maxCarriedStateBytes: last.maxCarriedStateBytes,
  temporalLimits: { payloadBytes: 2 * 1024 * 1024, historyEvents: 51_200 },
};
writeFileSync(OUTPUT, `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(report, null, 2));
