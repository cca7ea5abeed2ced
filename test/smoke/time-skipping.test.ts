// Smoke test: the pinned time-skipping test server skips a 30-day timer.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createSmokeActivities } from '../fixtures/workflows/smoke-activities.js';
import { sleepDaysWorkflow } from '../fixtures/workflows/smoke.js';
import { startTimeSkippingEnvironment } from '../support/temporal-env.js';

const workflowsPath = fileURLToPath(new URL('../fixtures/workflows/smoke.ts', import.meta.url));
const DAY_MS = 24 * 60 * 60 * 1000;

// Worker lifecycle lines at INFO would bury the test report; warnings and errors still show.
Runtime.install({ logger: new DefaultLogger('WARN') });

describe('Temporal time-skipping test server', () => {
  let env: TestWorkflowEnvironment | undefined;

  before(async () => {
    env = await startTimeSkippingEnvironment();
  });

  after(async () => {
    await env?.teardown();
  });

  it('when a workflow sleeps 30 days, then at least 30 days of workflow time pass', async () => {
    assert.ok(env, 'time-skipping server did not start');
    assert.equal(env.supportsTimeSkipping, true);
    const taskQueue = `smoke-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath,
      activities: createSmokeActivities(),
    });
    const observed = await worker.runUntil(
      env.client.workflow.execute(sleepDaysWorkflow, { args: [30], taskQueue, workflowId: taskQueue }),
    );
    assert.ok(
      observed.after - observed.before >= 30 * DAY_MS,
      `workflow time advanced only ${(observed.after - observed.before) / DAY_MS} days`,
    );
  });
});
