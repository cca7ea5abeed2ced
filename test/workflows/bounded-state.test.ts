// The workflow's state stays bounded over a subscription's life: a daily plan's largest activity input and
// carried state stop growing once the kept window of charges is full (older charges live in PostgreSQL).
// bench/state-size.ts runs the same plan for ten years and writes the figures.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listCharges } from '../../src/db/index.js';
import { cancelUpdate, subscriptionWorkflowId } from '../../src/workflows/definitions.js';
import { KEPT_CHARGES } from '../../src/workflows/subscription-state.js';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { measurePayloads } from '../support/payload-sizes.js';
import { runDailyPlan } from '../support/daily-plan.js';

describe('bounded workflow state', () => {
  let harness: EngineHarness;
  before(async () => {
    harness = await startEngineHarness();
  });
  after(async () => {
    await harness?.stop();
  });

  it('when a daily plan runs for 80 days across several runs, then the largest payloads stop growing after the kept window', async () => {
    const early = await runDailyPlan(harness, { days: KEPT_CHARGES + 6, historyLimit: 150 });
    const earlySizes = await measurePayloads(
      harness.env.client,
      subscriptionWorkflowId(early.input.merchantId, early.input.subscriptionId),
    );
    const late = await runDailyPlan(harness, { days: 80, historyLimit: 150 });
    const id = subscriptionWorkflowId(late.input.merchantId, late.input.subscriptionId);
    const lateSizes = await measurePayloads(harness.env.client, id);

    assert.ok(lateSizes.runs >= 3, `continued as new (${lateSizes.runs} runs)`);
    // Past the kept window, more charges add no bytes: allow for longer numbers and dates only.
    assert.ok(
      lateSizes.maxActivityInputBytes <= earlySizes.maxActivityInputBytes * 1.05,
      `activity input ${lateSizes.maxActivityInputBytes} B after 80 days vs ${earlySizes.maxActivityInputBytes} B after ${KEPT_CHARGES + 6}`,
    );
    assert.ok(lateSizes.maxCarriedStateBytes < 64 * 1024, `carried state ${lateSizes.maxCarriedStateBytes} B`);
    assert.ok(lateSizes.maxActivityInputBytes < 64 * 1024);
    const recorded = await listCharges(harness.pool, late.input.subscriptionId);
    assert.equal(recorded.length, 81, 'every charge is in PostgreSQL (first payment + 80 daily charges)');

    await late.handle.executeUpdate(cancelUpdate, { args: [{ refundPolicy: 'none' }] });
    await early.handle.executeUpdate(cancelUpdate, { args: [{ refundPolicy: 'none' }] });
  });
});
