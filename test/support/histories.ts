// Records workflow histories for the replay test (test/workflows/replay.test.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';

export const HISTORIES_DIR = join(process.cwd(), 'test', 'fixtures', 'histories');

/**
 * Histories are kept per workflow version: v1 from before the state-machine patch (they replay through
 * src/workflows/v1), v2 after it, v3 after the lean-history patch (local activities, fewer upserts).
 * New recordings go to the current version's folder.
 */
export const CURRENT_HISTORY_VERSION = 'v3';

/** With RECORD_HISTORIES=1, writes the handle's history to test/fixtures/histories/<version>/<name>.json. */
export async function recordHistory(_harness: unknown, handle: WorkflowHandle, name: string): Promise<number> {
  const history = await handle.fetchHistory();
  if (process.env.RECORD_HISTORIES === '1') {
    const dir = join(HISTORIES_DIR, CURRENT_HISTORY_VERSION);
    mkdirSync(dir, { recursive: true });
    // protobufjs's own JSON form; test/workflows/replay.test.ts reads it back with History.fromObject.
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(history));
  }
  return history.events?.length ?? 0;
}
