// The history budget of a subscription-year (issue 12): a monthly plan with 12 charges, one dunning
// episode and one refund stays within 600 events in one run, so continue-as-new is a safety net rather
// than a monthly event. The figure is also written by `npm run bench` (bench/results.json, historyYear).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { EVENTS_PER_YEAR_BUDGET, historyBreakdown, runPlainYear } from '../support/plain-year.js';

describe('history per subscription-year', () => {
  let harness: EngineHarness;
  before(async () => {
    harness = await startEngineHarness();
  });
  after(async () => {
    await harness?.stop();
  });

  it(`when a monthly year with one dunning episode and one refund runs, then its one run holds at most ${EVENTS_PER_YEAR_BUDGET} events`, async () => {
    const { final, events } = await runPlainYear(harness);
    assert.equal(final.status, 'completed');
    assert.equal(final.charges.filter((c) => c.status === 'succeeded').length, 12);
    assert.equal(final.charges.filter((c) => c.kind === 'dunning').length, 1);
    assert.equal(final.refunds.length, 1);
    const breakdown = historyBreakdown(events);
    console.log(`# subscription-year: ${events.length} events ${JSON.stringify(breakdown)}`);
    assert.ok(events.length <= EVENTS_PER_YEAR_BUDGET, `${events.length} events > ${EVENTS_PER_YEAR_BUDGET}`);
    // The database writes run as local activities: none of them is a scheduled activity.
    for (const write of ['saveSubscription', 'recordCharge', 'saveRefund'])
      assert.equal(breakdown.activities[write], undefined, `${write} ran as a regular activity`);
    assert.ok(breakdown.localActivities > 0);
  });
});
