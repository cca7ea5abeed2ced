// A subscription-year whose history is kept short by continue-as-new: nothing is lost across runs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import protos from '@temporalio/proto';
import { toEpochMs } from '../../src/domain/calendar-date.js';
import { stateQuery, subscriptionWorkflowId } from '../../src/workflows/definitions.js';
import { MERCHANT_ID, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { eventually } from '../support/eventually.js';
import { recordHistory } from '../support/histories.js';

const CONTINUED = protos.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW;

describe('continue-as-new', () => {
  let harness: EngineHarness;
  before(async () => {
    harness = await startEngineHarness();
  });
  after(async () => {
    await harness?.stop();
  });

  it('when a year of charges crosses several runs, then every charge and notification survives and each run stays short', async () => {
    const input = await harness.input({ historyLimit: 60 });
    const { handle, checkout } = await harness.start(input);
    const firstRunId = (await handle.describe()).runId;
    await harness.sandbox.approvePayment(checkout.paymentToken);
    await eventually(async () => assert.equal((await handle.query(stateQuery)).status, 'active'));

    harness.sandbox.faults.duplicateNotifications(true);
    for (let sequence = 1; sequence <= 11; sequence += 1) {
      const view = await handle.query(stateQuery);
      await harness.advanceTo(toEpochMs(view.nextChargeDate ?? '') + 3_600_000);
      // The handle follows the chain of runs: queries reach whichever run is current.
      await eventually(async () => {
        const state = await handle.query(stateQuery);
        assert.ok(state.nextSequence > sequence || state.status === 'completed', `charge ${sequence} not recorded yet`);
      });
    }
    const final = await handle.result();
    assert.equal(final.status, 'completed');
    assert.equal(final.charges.length, 12);
    assert.deepEqual(
      final.charges.map((c) => c.sequence),
      [null, ...Array.from({ length: 11 }, (_, i) => i + 1)],
    );

    const runs = await historyLengths(harness, subscriptionWorkflowId(MERCHANT_ID, input.subscriptionId), firstRunId);
    assert.ok(runs.length >= 3, `expected several runs, got ${runs.length}`);
    assert.ok(Math.max(...runs) < 120, `each run stays short: ${runs.join(', ')}`);
    console.log(`# subscription-year with historyLimit 60: ${runs.length} runs of ${runs.join(', ')} events`);
    await recordHistory(
      harness,
      harness.env.client.workflow.getHandle(handle.workflowId, firstRunId),
      'continue-as-new-first-run',
    );
  });
});

/** Event counts of each run, following ContinuedAsNew events from the first run. */
async function historyLengths(harness: EngineHarness, workflowId: string, firstRunId: string): Promise<number[]> {
  const lengths: number[] = [];
  let runId: string | undefined = firstRunId;
  while (runId) {
    const history: protos.temporal.api.history.v1.IHistory = await harness.env.client.workflow
      .getHandle(workflowId, runId)
      .fetchHistory();
    const events: protos.temporal.api.history.v1.IHistoryEvent[] = history.events ?? [];
    lengths.push(events.length);
    const last: protos.temporal.api.history.v1.IHistoryEvent | undefined = events[events.length - 1];
    runId =
      last?.eventType === CONTINUED
        ? (last.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined)
        : undefined;
  }
  return lengths;
}
