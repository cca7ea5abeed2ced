// Replays recorded subscription histories against the current workflow code: a change that breaks
// determinism (and so would break every running subscription) fails here.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import protos from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { buildWorkflowBundle } from '../../src/worker/workflow-bundle.js';
import { HISTORIES_DIR } from '../support/histories.js';

describe('workflow determinism', () => {
  it('when recorded subscription histories are replayed, then every one replays without a nondeterminism error', async () => {
    const files = readdirSync(HISTORIES_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort();
    assert.ok(files.length >= 3, `expected recorded histories in ${HISTORIES_DIR}, found ${files.length}`);
    const histories = files.map((file) => ({
      workflowId: file.replace(/\.json$/, ''),
      history: protos.temporal.api.history.v1.History.fromObject(
        JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8')),
      ),
    }));
    const workflowBundle = await buildWorkflowBundle();
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories({ workflowBundle }, histories)) {
      replayed += 1;
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    assert.equal(replayed, files.length);
    assert.deepEqual(failures, []);
  });
});
