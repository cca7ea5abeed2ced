// The Temporal servers tests run on, each started within a bound: a binary that hangs or cannot run
// fails the test file within a minute with a StartupError saying what to do, never a silent wait.
import { TestWorkflowEnvironment, type DevServerConfig } from '@temporalio/testing';
import { boundedStart } from '../../src/startup/bounded-start.js';
import { temporalCliPath, temporalTestServerPath } from './temporal-binaries.js';

/** The time-skipping test server (its own binary, installed by `npm run setup`). */
export async function startTimeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  const path = temporalTestServerPath();
  return boundedStart(
    () => TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } }),
    {
      part: 'the Temporal time-skipping test server',
      hint: `run \`npm run setup\` (it checks ${path}), or set TEMPORAL_TEST_SERVER_PATH to a working binary`,
      discard: (env) => env.teardown(),
    },
  );
}

/** The CLI's dev server on 127.0.0.1, with `server` options such as search attributes. */
export async function startLocalEnvironment(
  server: Omit<DevServerConfig, 'type' | 'executable'> = {},
): Promise<TestWorkflowEnvironment> {
  const path = temporalCliPath();
  return boundedStart(
    () =>
      TestWorkflowEnvironment.createLocal({
        server: { executable: { type: 'existing-path', path }, ip: '127.0.0.1', ...server },
      }),
    {
      part: 'the Temporal dev server',
      hint: `run \`npm run setup\` (it checks ${path}), or set TEMPORAL_CLI_PATH to a working binary`,
      discard: (env) => env.teardown(),
    },
  );
}
