// Replays recorded subscription histories against the current workflow code: a change that breaks
// determinism (and so would break every running subscription) fails here. Histories of every version are
// kept: v1 ones (recorded before the state-machine patch) must still replay, through the patched branch.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import protos from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { buildWorkflowBundle } from '../../src/worker/workflow-bundle.js';
import { STATE_MACHINE_PATCH } from '../../src/workflows/subscription.js';
import { HISTORIES_DIR } from '../support/histories.js';

interface Recorded {
  workflowId: string;
  raw: string;
}

function historiesOf(version: string): Recorded[] {
  const dir = join(HISTORIES_DIR, version);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({
      workflowId: `${version}/${file.slice(0, -'.json'.length)}`,
      raw: readFileSync(join(dir, file), 'utf8'),
    }));
}

/** Whether a recorded history holds the state-machine patch marker (its payload is the patch id as JSON, base64). */
function recordsPatch(raw: string): boolean {
  return raw.includes(Buffer.from(JSON.stringify(STATE_MACHINE_PATCH)).toString('base64'));
}

describe('workflow determinism', () => {
  for (const version of ['v1', 'v2']) {
    it(`when the recorded ${version} subscription histories are replayed, then every one replays without a nondeterminism error`, async () => {
      const recorded = historiesOf(version);
      assert.ok(recorded.length >= 3, `expected recorded ${version} histories, found ${recorded.length}`);
      for (const { workflowId, raw } of recorded) {
        assert.equal(recordsPatch(raw), version !== 'v1', `${workflowId} ran the ${version} code`);
      }
      const histories = recorded.map(({ workflowId, raw }) => ({
        workflowId,
        history: protos.temporal.api.history.v1.History.fromObject(JSON.parse(raw)),
      }));
      const workflowBundle = await buildWorkflowBundle();
      const failures: string[] = [];
      let replayed = 0;
      for await (const result of Worker.runReplayHistories({ workflowBundle }, histories)) {
        replayed += 1;
        if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
      }
      assert.equal(replayed, histories.length);
      assert.deepEqual(failures, []);
    });
  }
});
