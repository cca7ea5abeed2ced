// Replays recorded subscription histories against the current workflow code: a change that breaks
// determinism (and so would break every running subscription) fails here. Histories of every version are
// kept: v1 ones (recorded before the state-machine patch) must still replay, through the patched branch, and
// v2 ones (before the lean-history patch) through regular activities. Webhook delivery histories likewise:
// webhook-v1 ones (before the local-attempts patch) replay through regular activities. And every patch the
// workflows declare is taken in some recorded history, so its new branch is replayed too, not only its old one.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import protos from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { buildWorkflowBundle } from '../../src/worker/workflow-bundle.js';
import { LEAN_HISTORY_PATCH } from '../../src/workflows/lean-history.js';
import { STATE_MACHINE_PATCH } from '../../src/workflows/subscription.js';
import { LOCAL_ATTEMPTS_PATCH } from '../../src/workflows/webhook-delivery.js';
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

/** The ids of the patch markers a recorded history holds (each marker's payload is `{"id": …}` as JSON, base64). */
function patchesIn(raw: string): Set<string> {
  const history = JSON.parse(raw) as {
    events: Array<{
      markerRecordedEventAttributes?: { details?: Record<string, { payloads?: Array<{ data?: string }> }> };
    }>;
  };
  const ids = new Set<string>();
  for (const event of history.events) {
    const data = event.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data;
    if (data) ids.add((JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { id: string }).id);
  }
  return ids;
}

/** The patches each version's histories were recorded with. */
const PATCHES_OF: Record<string, { stateMachine: boolean; leanHistory: boolean }> = {
  v1: { stateMachine: false, leanHistory: false },
  v2: { stateMachine: true, leanHistory: false },
  v3: { stateMachine: true, leanHistory: true },
  v4: { stateMachine: true, leanHistory: true },
};

const WORKFLOWS_DIR = join(process.cwd(), 'src', 'workflows');

/** Every patch id src/workflows declares (`export const …_PATCH = '…'`), with the file declaring it. */
function declaredPatches(): Map<string, string> {
  const declared = new Map<string, string>();
  for (const file of readdirSync(WORKFLOWS_DIR, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts')) continue;
    const source = readFileSync(join(WORKFLOWS_DIR, file), 'utf8');
    for (const match of source.matchAll(/export const \w+_PATCH = '([^']+)'/g)) declared.set(match[1]!, file);
  }
  return declared;
}

/** Replays every history of `recorded` with the current bundle; the failures, by workflow id. */
async function replayFailures(recorded: Recorded[]): Promise<string[]> {
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
  return failures;
}

describe('workflow determinism', () => {
  for (const [version, patches] of Object.entries(PATCHES_OF)) {
    it(`when the recorded ${version} subscription histories are replayed, then every one replays without a nondeterminism error`, async () => {
      const recorded = historiesOf(version);
      assert.ok(recorded.length >= 3, `expected recorded ${version} histories, found ${recorded.length}`);
      for (const { workflowId, raw } of recorded) {
        const recordedPatches = patchesIn(raw);
        const ran = `${workflowId} ran the ${version} code`;
        assert.equal(recordedPatches.has(STATE_MACHINE_PATCH), patches.stateMachine, ran);
        assert.equal(recordedPatches.has(LEAN_HISTORY_PATCH), patches.leanHistory, ran);
      }
      assert.deepEqual(await replayFailures(recorded), []);
    });
  }

  it('when every recorded history is read, then each patch the workflows declare was taken in at least one of them', () => {
    const declared = declaredPatches();
    assert.ok(declared.size >= 8, `expected the workflows' patches, found ${[...declared.keys()].join(', ')}`);
    const versions = readdirSync(HISTORIES_DIR, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    const taken = new Set(versions.flatMap(({ name }) => historiesOf(name).flatMap(({ raw }) => [...patchesIn(raw)])));
    const untaken = [...declared].filter(([id]) => !taken.has(id)).map(([id, file]) => `${id} (${file})`);
    assert.deepEqual(untaken, [], 'record a history that takes each of these branches');
  });

  for (const [version, localAttempts] of Object.entries({ 'webhook-v1': false, 'webhook-v2': true })) {
    it(`when the recorded ${version} webhook delivery histories are replayed, then every one replays without a nondeterminism error`, async () => {
      const recorded = historiesOf(version);
      assert.ok(recorded.length >= 3, `expected recorded ${version} histories, found ${recorded.length}`);
      for (const { workflowId, raw } of recorded)
        assert.equal(patchesIn(raw).has(LOCAL_ATTEMPTS_PATCH), localAttempts, `${workflowId} ran the ${version} code`);
      assert.deepEqual(await replayFailures(recorded), []);
    });
  }
});
