// Locates the Temporal binaries that scripts/setup-tools.mjs installed (or that the environment names).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ToolPaths {
  temporal: string;
  'temporal-test-server': string;
}

function installedPaths(): ToolPaths {
  const file = join(process.cwd(), '.tools', 'tools.json');
  if (!existsSync(file)) throw new Error('Temporal binaries are missing: run `npm run setup` first');
  return JSON.parse(readFileSync(file, 'utf8')) as ToolPaths;
}

/** Path of the Temporal CLI, whose `server start-dev` is the dev server. */
export function temporalCliPath(): string {
  return process.env.TEMPORAL_CLI_PATH ?? installedPaths().temporal;
}

/** Path of the time-skipping test server. */
export function temporalTestServerPath(): string {
  return process.env.TEMPORAL_TEST_SERVER_PATH ?? installedPaths()['temporal-test-server'];
}
