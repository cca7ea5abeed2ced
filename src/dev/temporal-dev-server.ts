// Runs the Temporal CLI's dev server (SQLite file under .data so state survives restarts, UI on :8233)
// with Recur's search attributes registered, and waits until it answers.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { boundedStart } from '../startup/bounded-start.js';
import { outputTail } from '../startup/output-tail.js';
import { StartupError } from '../startup/startup-error.js';
import { SEARCH_ATTRIBUTES } from '../workflows/definitions.js';

const PART = 'the Temporal dev server';

export interface DevTemporal {
  address: string;
  uiUrl?: string;
  stop(): Promise<void>;
}

export interface TemporalDevServerOptions {
  dataDir: string;
  port: number;
  uiPort: number;
  /** Stops the start (and the server) when aborted. */
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** The CLI installed by scripts/setup-tools.mjs (or named by TEMPORAL_CLI_PATH). */
export function temporalCli(root = process.cwd()): string {
  if (process.env.TEMPORAL_CLI_PATH) return process.env.TEMPORAL_CLI_PATH;
  const tools = join(root, '.tools', 'tools.json');
  if (!existsSync(tools)) {
    throw new StartupError({
      code: 'ERR_START_BLOCKED',
      part: PART,
      reason: 'the Temporal CLI is not installed',
      hint: 'run `npm run setup`, or set TEMPORAL_ADDRESS to a running Temporal server',
    });
  }
  return (JSON.parse(readFileSync(tools, 'utf8')) as { temporal: string }).temporal;
}

/** Starts `temporal server start-dev` and resolves once its frontend answers; fails within about a minute. */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<DevTemporal> {
  mkdirSync(options.dataDir, { recursive: true });
  const cli = temporalCli();
  const args = [
    'server',
    'start-dev',
    '--db-filename',
    join(options.dataDir, 'temporal.sqlite'),
    // A write-ahead log synced at checkpoints, not at every commit: each workflow start, update and task
    // completion otherwise waits for fsyncs. A power cut may lose the last moments, never corrupt the file.
    '--sqlite-pragma',
    'journal_mode=wal',
    '--sqlite-pragma',
    'synchronous=normal',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--ui-port',
    String(options.uiPort),
    '--log-level',
    'error',
    ...SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${cliType(key.type)}`]),
  ];
  const address = `127.0.0.1:${options.port}`;
  const stderr = outputTail();
  let child: ChildProcess | undefined;
  return boundedStart(
    async (gaveUp) => {
      // Its own process group: Ctrl-C reaches the stack, which stops the server after the worker.
      const server = spawn(cli, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
      child = server;
      server.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
      // The listeners stay for the server's life, so a late 'error' event never goes unhandled.
      const ended = new Promise<never>((_, reject) => {
        server.on('error', reject);
        server.once('exit', (code, signal) =>
          reject(new Error(`it exited (${signal ?? `code ${code}`}) before it answered at ${address}`)),
        );
      });
      ended.catch(() => {});
      await Promise.race([waitForFrontend(address, gaveUp), ended]);
      return { address, uiUrl: `http://localhost:${options.uiPort}`, stop: () => stopGroup(server) };
    },
    {
      part: PART,
      hint: (_error, output) => devServerHint(output, cli),
      stderr: stderr.text,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      abort: () => child && stopGroup(child),
    },
  );
}

async function waitForFrontend(address: string, gaveUp: AbortSignal): Promise<void> {
  while (!gaveUp.aborted) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch {
      await sleep(250);
    }
  }
}

function devServerHint(output: string, cli: string): string {
  const busy = /:(\d+): bind: address already in use/.exec(output)?.[1];
  if (busy) {
    return `port ${busy} is in use (perhaps by a dev server left from an earlier run: \`ss -ltnp 'sport = :${busy}'\` shows it); stop it, or set TEMPORAL_PORT and TEMPORAL_UI_PORT to free ports`;
  }
  return `run \`npm run setup\` to check the Temporal CLI at ${cli}, or set TEMPORAL_ADDRESS to a running Temporal server`;
}

/** Stops the server's whole process group: TERM, then KILL after 10 s. */
function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const pid = child.pid;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  return new Promise((resolve) => {
    const force = setTimeout(() => signalGroup('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    signalGroup('SIGTERM');
  });
}

function cliType(type: string): string {
  return (
    {
      KEYWORD: 'Keyword',
      TEXT: 'Text',
      INT: 'Int',
      DOUBLE: 'Double',
      BOOL: 'Bool',
      DATETIME: 'Datetime',
      KEYWORD_LIST: 'KeywordList',
    }[type] ?? 'Keyword'
  );
}
