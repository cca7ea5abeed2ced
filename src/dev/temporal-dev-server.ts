// Runs the Temporal CLI's dev server (SQLite file under .data so state survives restarts, UI on :8233)
// with Recur's search attributes registered, and waits until it answers.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../workflows/definitions.js';

export interface DevTemporal {
  address: string;
  uiUrl?: string;
  stop(): Promise<void>;
}

/** The CLI installed by scripts/setup-tools.mjs (or named by TEMPORAL_CLI_PATH). */
export function temporalCli(root = process.cwd()): string {
  if (process.env.TEMPORAL_CLI_PATH) return process.env.TEMPORAL_CLI_PATH;
  const tools = join(root, '.tools', 'tools.json');
  if (!existsSync(tools)) throw new Error('the Temporal CLI is not installed: run `npm run setup`');
  return (JSON.parse(readFileSync(tools, 'utf8')) as { temporal: string }).temporal;
}

/** Starts `temporal server start-dev` and resolves once its frontend accepts connections. */
export async function startTemporalDevServer(options: { dataDir: string; port: number; uiPort: number }): Promise<DevTemporal> {
  mkdirSync(options.dataDir, { recursive: true });
  const args = [
    'server', 'start-dev',
    '--db-filename', join(options.dataDir, 'temporal.sqlite'),
    '--ip', '127.0.0.1',
    '--port', String(options.port),
    '--ui-port', String(options.uiPort),
    '--log-level', 'error',
    ...SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${cliType(key.type)}`]),
  ];
  // Its own process group: Ctrl-C reaches the stack, which stops the server after the worker.
  const child = spawn(temporalCli(), args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const address = `127.0.0.1:${options.port}`;
  await waitForFrontend(address, child, () => stderr);
  return {
    address,
    uiUrl: `http://localhost:${options.uiPort}`,
    stop: () => stopChild(child),
  };
}

async function waitForFrontend(address: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`temporal server start-dev exited (${child.exitCode}): ${stderr().trim()}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      return;
    } catch {
      await sleep(250);
    }
  }
  child.kill('SIGTERM');
  throw new Error(`Temporal dev server at ${address} did not answer within 60 s`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function cliType(type: string): string {
  return { KEYWORD: 'Keyword', TEXT: 'Text', INT: 'Int', DOUBLE: 'Double', BOOL: 'Bool', DATETIME: 'Datetime', KEYWORD_LIST: 'KeywordList' }[type] ?? 'Keyword';
}
