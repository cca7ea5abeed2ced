// Smoke test: the pinned Temporal CLI starts a dev server that runs a workflow calling an activity.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createSmokeActivities } from '../fixtures/workflows/smoke-activities.js';
import { greetingWorkflow } from '../fixtures/workflows/smoke.js';
import { startLocalEnvironment } from '../support/temporal-env.js';

const workflowsPath = fileURLToPath(new URL('../fixtures/workflows/smoke.ts', import.meta.url));

// Worker lifecycle lines at INFO would bury the test report; warnings and errors still show.
Runtime.install({ logger: new DefaultLogger('WARN') });

describe('Temporal dev server', () => {
  let env: TestWorkflowEnvironment | undefined;

  before(async () => {
    env = await startLocalEnvironment();
  });

  after(async () => {
    await env?.teardown();
  });

  it('when a workflow calls an activity on the dev server, then it returns the activity result', async () => {
    assert.ok(env, 'dev server did not start');
    assert.equal(env.supportsTimeSkipping, false);
    const taskQueue = `smoke-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath,
      activities: createSmokeActivities(),
    });
    const result = await worker.runUntil(
      env.client.workflow.execute(greetingWorkflow, { args: ['recur'], taskQueue, workflowId: taskQueue }),
    );
    assert.equal(result, 'hello, recur');
  });
});
