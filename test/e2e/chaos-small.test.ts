// The chaos run in its small configuration, so every CI run guards the invariants: 30 subscriptions through
// 6 cycles with every gateway and notification fault kind of the sandbox's chaos mode, each worker killed
// once, the API killed once and PostgreSQL stopped once while charges are due. `npm run chaos` is the full run.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ChaosRun, type ChaosOptions } from '../../scripts/chaos/run-chaos.js';

const options: ChaosOptions = {
  seed: 7,
  subscriptions: 30,
  cycles: 6,
  workers: 2,
  killsPerWorker: 1,
  concurrency: 8,
  gatewayChaos: true,
  // A short run makes few gateway calls: a higher rate so that each kind of request fault shows up.
  requestFaultRate: 0.25,
  log: (line) => console.log(`[chaos] ${line}`),
};

describe('chaos, small configuration (30 subscriptions × 6 cycles, every fault kind)', () => {
  let dir: string;
  let run: ChaosRun;
  let passed = false;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'recur-chaos-test-'));
    run = await ChaosRun.start(dir, options);
  });
  after(async () => {
    await run?.stop();
    // Kept for a look when the run failed.
    if (passed) rmSync(dir, { recursive: true, force: true });
    else console.log(`chaos data and logs kept in ${dir}`);
  });

  it('when 30 subscriptions are created (some creates retried with their key) and paid, then all are created once', async () => {
    await run.createSubscriptions();
    assert.equal(run.scenario.counts.created, options.subscriptions);
  });

  for (let cycle = 1; cycle <= options.cycles; cycle += 1) {
    it(`when cycle ${cycle}'s charges fall due under faults, then the driver's requests are all answered`, async () => {
      await run.runCycle(cycle);
    });
  }

  it('when the run quiesces, then every invariant holds, every fault kind was injected and every process fault happened', async () => {
    const results = await run.finish();
    console.log(results.table);
    assert.deepEqual(results.violations, []);
    const injected = (kind: string) => results.faults[kind] ?? 0;
    const requestKinds = ['timeout', 'http5xx', 'garbage', 'wrongSignature', 'transientCode'].filter(
      (kind) => injected(kind) > 0,
    );
    assert.ok(requestKinds.length >= 3, `request faults of several kinds: ${JSON.stringify(results.faults)}`);
    for (const kind of [
      'decline',
      'notificationDuplicate',
      'notificationReorder',
      'notificationDelay',
      'notificationDrop',
    ]) {
      assert.ok(injected(kind) > 0, `${kind} was injected: ${JSON.stringify(results.faults)}`);
    }
    assert.deepEqual(
      {
        workerKills: results.faults['process.workerKill'],
        apiRestarts: results.faults['process.apiRestart'],
        postgresRestarts: results.faults['process.postgresRestart'],
      },
      { workerKills: 2, apiRestarts: 1, postgresRestarts: 1 },
    );
    assert.ok(results.reconcile['charges']! > options.subscriptions, 'reconcile checked the charges');
    passed = true;
  });
});
