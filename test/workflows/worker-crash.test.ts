// A worker killed in the middle of a refund, after 2C2P applied it but before the answer came back:
// the restarted worker retries with the same idempotency id and 2C2P refunds exactly once.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { refundUpdate, stateQuery } from '../../src/workflows/definitions.js';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { eventually } from '../support/eventually.js';
import { ledgerOf } from '../support/ledger-comparison.js';

const DAY = 86_400_000;

describe('a worker crash during a refund', () => {
  let harness: EngineHarness;
  let child: ChildProcess | undefined;
  before(async () => {
    harness = await startEngineHarness({ inProcessWorker: false });
  });
  after(async () => {
    child?.kill('SIGKILL');
    await harness?.stop();
  });

  it('when the worker is killed mid-refund and restarted, then exactly one refund reaches the sandbox', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'test/support/worker-process.ts'], {
      env: { ...process.env, RECUR_TEST_WORKER: JSON.stringify(harness.childWorkerSettings) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child!.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('worker ready') && resolve());
      child!.once('exit', (code) => reject(new Error(`child worker exited with ${code}`)));
    });

    const input = await harness.input();
    const { handle, checkout } = await harness.start(input);
    await harness.sandbox.approvePayment(checkout.paymentToken);
    const paid = await eventually(async () => {
      const state = await handle.query(stateQuery);
      assert.equal(state.status, 'active');
      return state;
    });
    const invoiceNo = paid.charges[0]?.invoiceNo ?? '';
    await harness.advanceTo((await harness.now()) + 2 * DAY); // settled

    // 2C2P applies the refund, then the answer never arrives: the worker is killed while it waits.
    harness.sandbox.faults.timeout({ operation: 'refund', applied: true, holdMs: 120_000 });
    await handle.executeUpdate(refundUpdate, { args: [{ invoiceNo, amountMinor: 1500 }] });
    await eventually(() => assert.equal(refundsAt(invoiceNo), 1, 'the sandbox applied the refund'));
    child.kill('SIGKILL');
    await new Promise((resolve) => child!.once('exit', resolve));

    await harness.restartWorker();
    // The dead worker's attempt holds the activity until its start-to-close timeout (45 s, real time: the
    // test server does not skip time while an activity is outstanding); then the new worker retries it.
    const done = await eventually(
      async () => {
        await harness.advanceTo((await harness.now()) + 60_000);
        const state = await handle.query(stateQuery);
        assert.equal(state.refunds[0]?.status, 'succeeded', JSON.stringify(state.refunds));
        return state;
      },
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );
    assert.equal(refundsAt(invoiceNo), 1, 'the retry carried the same idempotencyID: no second refund');
    assert.equal(done.refunds.length, 1);
    const ledgers = await ledgerOf(harness, done);
    assert.deepEqual(ledgers.sandbox.refunds, ledgers.workflow.refunds);
  });

  function refundsAt(invoiceNo: string): number {
    return harness.sandbox.ledger().refunds.filter((r) => r.invoiceNo === invoiceNo).length;
  }
});
