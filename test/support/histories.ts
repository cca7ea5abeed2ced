// Records workflow histories for the replay test (test/workflows/replay.test.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';

export const HISTORIES_DIR = join(process.cwd(), 'test', 'fixtures', 'histories');

/** With RECORD_HISTORIES=1, writes the handle's history to test/fixtures/histories/<name>.json. */
export async function recordHistory(_harness: unknown, handle: WorkflowHandle, name: string): Promise<number> {
  const history = await handle.fetchHistory();
  if (process.env.RECORD_HISTORIES === '1') {
    mkdirSync(HISTORIES_DIR, { recursive: true });
    // protobufjs's own JSON form; test/workflows/replay.test.ts reads it back with History.fromObject.
    writeFileSync(join(HISTORIES_DIR, `${name}.json`), JSON.stringify(history));
  }
  return history.events?.length ?? 0;
}
