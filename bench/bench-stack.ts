// The local stack a benchmark measures (Temporal dev server, embedded PostgreSQL, sandbox, worker, API) on free
// ports in a throwaway folder, stopped and removed when the measurement ends.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../src/db/embedded-postgres.js';
import { startStack, type RunningStack } from '../src/dev/stack.js';

/** Runs `measure` against a fresh stack (sandbox on its own clock), then stops it and deletes its data. */
export async function withBenchStack<T>(name: string, measure: (stack: RunningStack) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), `recur-${name}-`));
  chmodSync(dataDir, 0o755); // embedded-postgres runs as an unprivileged user when we are root
  try {
    const stack = await startStack({
      dataDir,
      apiPort: await freePort(),
      sandboxPort: await freePort(),
      temporalPort: await freePort(),
      temporalUiPort: await freePort(),
      env: { PATH: process.env.PATH, TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH },
      sandboxRealTime: false,
      log: () => {},
    });
    try {
      return await measure(stack);
    } finally {
      await stack.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
