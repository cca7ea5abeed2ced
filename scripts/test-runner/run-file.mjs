// Runs one test file in its own `node --test` process group and watches it: a test or hook that makes no
// progress for `timeoutMs` is stopped and named, and the file is judged from what its reporter recorded.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { judgeFile, runningTests } from './verdict.mjs';

const REPORTER = fileURLToPath(new URL('./event-reporter.mjs', import.meta.url));
const KILL_GRACE_MS = 5_000;
let sequence = 0;

function readEvents(path) {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        return [JSON.parse(line)];
      } catch {
        return []; // a line cut short by a kill
      }
    });
}

function describeHang(events, timeoutMs) {
  const seconds = Math.round(timeoutMs / 1000);
  const running = runningTests(events);
  const inner = running.at(-1);
  const ranAny = events.some((e) => !e.fileLevel && e.type === 'test:complete');
  if (inner)
    return `timed out: ${JSON.stringify(inner)} made no progress for ${seconds} s (the test or one of its hooks hung)`;
  if (!ranAny) return `timed out: no test started within ${seconds} s (a before hook or the module's top level hung)`;
  return `timed out: nothing finished for ${seconds} s after the last test (an after hook hung, or a handle keeps the process alive)`;
}

/**
 * Runs `file` and resolves with its verdict and output (captured only when `capture` is set).
 * @param {{ file: string, timeoutMs: number, capture: boolean, env?: NodeJS.ProcessEnv, onChild?: (pid: number) => void }} options
 */
export function runTestFile({ file, timeoutMs, capture, env = process.env, onChild }) {
  const eventsPath = join(tmpdir(), `recur-test-events-${process.pid}-${++sequence}.ndjson`);
  rmSync(eventsPath, { force: true });
  const args = [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${REPORTER}`,
    '--test-reporter-destination=stdout',
    resolve(file),
  ];
  const started = Date.now();
  // Run from inside a test (the runner's self-test), the inherited context would make `node --test`
  // stream its results to a parent instead of to the reporters.
  const { NODE_TEST_CONTEXT: _parentContext, ...cleanEnv } = env;
  // Its own process group, so a hung file is stopped with everything it started.
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', capture ? 'pipe' : 'inherit', capture ? 'pipe' : 'inherit'],
    env: { ...cleanEnv, NODE_ENV: 'test', RECUR_TEST_EVENTS: eventsPath },
  });
  if (child.pid !== undefined) onChild?.(child.pid);
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));

  let timedOut;
  let lastProgress = started;
  let seenLines = 0;
  const watchdog = setInterval(
    () => {
      const events = readEvents(eventsPath);
      if (events.length !== seenLines) {
        seenLines = events.length;
        lastProgress = Date.now();
        return;
      }
      if (Date.now() - lastProgress < timeoutMs || timedOut) return;
      timedOut = describeHang(events, timeoutMs);
      killGroup(child.pid, 'SIGTERM');
      setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS).unref();
    },
    Math.min(1_000, Math.max(100, timeoutMs / 10)),
  );

  return new Promise((resolveRun) => {
    child.on('error', (error) => (output += `\n${error.message}\n`));
    child.on('close', (exitCode, signal) => {
      clearInterval(watchdog);
      // Whatever the file left running in its group goes with it.
      killGroup(child.pid, 'SIGKILL');
      const events = readEvents(eventsPath);
      rmSync(eventsPath, { force: true });
      const verdict = judgeFile({ events, exitCode, signal, timedOut });
      resolveRun({ file, ...verdict, output, durationMs: Date.now() - started });
    });
  });
}

/** Signals a whole process group; a group already gone is fine. */
export function killGroup(pid, signal) {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: nothing left to stop.
  }
}
