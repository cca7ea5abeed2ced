// Records workflow histories for the replay test (test/workflows/replay.test.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';

export const HISTORIES_DIR = join(process.cwd(), 'test', 'fixtures', 'histories');

/**
 * Histories are kept per workflow version: v1 from before the state-machine patch (they replay through
 * src/workflows/v1), v2 after it, v3 after the lean-history patch (local activities, fewer upserts), v4 with
 * every later patch, including the scenarios that take each patched branch (the replay test checks that every
 * patch the workflows declare is in some recorded history). All but refund-record-after-projection-write,
 * charge-after-end-busy-then-not-found and refund-settles-after-attention were recorded before
 * local-activities-one-at-a-time, so they replay the concurrent local activities of runs started before it. New
 * recordings go to the current version's folder.
 */
export const CURRENT_HISTORY_VERSION = 'v4';

/** Webhook delivery histories, kept per version of that workflow: webhook-v1 before the local-attempts patch. */
export const CURRENT_WEBHOOK_HISTORY_VERSION = 'webhook-v2';

/**
 * With RECORD_HISTORIES=1, writes the handle's history to test/fixtures/histories/<version>/<name>.json
 * (`version`: the subscription workflow's current one unless given).
 */
export async function recordHistory(
  _harness: unknown,
  handle: WorkflowHandle,
  name: string,
  version = CURRENT_HISTORY_VERSION,
): Promise<number> {
  const history = await handle.fetchHistory();
  if (process.env.RECORD_HISTORIES === '1') {
    const dir = join(HISTORIES_DIR, version);
    mkdirSync(dir, { recursive: true });
    // protobufjs's own JSON form; test/workflows/replay.test.ts reads it back with History.fromObject.
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(history));
  }
  return history.events?.length ?? 0;
}
