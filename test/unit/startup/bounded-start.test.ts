// boundedStart: a part is ready, or it fails within its bound with a StartupError naming it, and what it
// had half started is stopped (a real detached child included).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { boundedStart } from '../../../src/startup/bounded-start.js';
import { StartupError } from '../../../src/startup/startup-error.js';
import { StopStack } from '../../../src/startup/stop-stack.js';

const never = () => new Promise<never>(() => {});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('boundedStart', () => {
  it('when the start never settles, then it fails within the bound naming the part, and its clean-up ran', async () => {
    let cleanedUp = false;
    let gaveUp: AbortSignal | undefined;
    const began = Date.now();
    const failure = await boundedStart(
      (signal) => {
        gaveUp = signal;
        return never();
      },
      { part: 'the frobnicator', hint: 'set FROB_PORT', timeoutMs: 200, abort: () => (cleanedUp = true) },
    ).catch((error: unknown) => error);
    assert.ok(Date.now() - began < 2_000, `took ${Date.now() - began} ms`);
    assert.ok(failure instanceof StartupError);
    assert.equal(failure.code, 'ERR_START_TIMEOUT');
    assert.equal(failure.part, 'the frobnicator');
    assert.match(
      failure.message,
      /^The frobnicator cannot start: it was not ready within 200 ms\. Fix: set FROB_PORT\.$/,
    );
    assert.equal(cleanedUp, true);
    assert.equal(gaveUp?.aborted, true, 'the start was told the wait gave up');
  });

  it('when a detached child never becomes ready, then the timeout kills its process group', async () => {
    let pid: number | undefined;
    const failure = await boundedStart(
      () => {
        // A shell that starts a grandchild, as a server with helpers would: both must go.
        const child = spawn('sh', ['-c', 'sleep 300 & wait'], { detached: true, stdio: 'ignore' });
        pid = child.pid;
        return never();
      },
      { part: 'a sleeper', hint: 'none', timeoutMs: 300, abort: () => pid && process.kill(-pid, 'SIGKILL') },
    ).catch((error: unknown) => error);
    assert.ok(failure instanceof StartupError && failure.code === 'ERR_START_TIMEOUT');
    assert.ok(pid);
    for (let i = 0; i < 50 && alive(pid); i += 1) await sleep(20);
    assert.equal(alive(pid), false, 'the child survived the timeout');
  });

  it('when the start fails, then the error carries the cause, the output tail and a hint chosen from the error', async () => {
    const cause = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:3100'), {
      code: 'EADDRINUSE',
    });
    const failure = await boundedStart(() => Promise.reject(cause), {
      part: 'the 2C2P sandbox',
      hint: (error) =>
        (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 'set SANDBOX_PORT to a free port' : 'other',
      stderr: () => 'line one\nline two\n',
    }).catch((error: unknown) => error);
    assert.ok(failure instanceof StartupError);
    assert.equal(failure.code, 'ERR_START_FAILED');
    assert.equal(failure.cause, cause);
    assert.equal(failure.stderr, 'line one\nline two');
    assert.equal(
      failure.message,
      'The 2C2P sandbox cannot start: listen EADDRINUSE: address already in use 127.0.0.1:3100. Fix: set SANDBOX_PORT to a free port.\n' +
        '  Its last output:\n  | line one\n  | line two',
    );
  });

  it('when the start finishes after the wait gave up, then what it started is discarded', async () => {
    let discarded: string | undefined;
    const failure = await boundedStart(() => sleep(150).then(() => 'late server'), {
      part: 'the slow part',
      hint: 'wait longer',
      timeoutMs: 50,
      discard: (value) => (discarded = value),
    }).catch((error: unknown) => error);
    assert.ok(failure instanceof StartupError && failure.code === 'ERR_START_TIMEOUT');
    await sleep(200);
    assert.equal(discarded, 'late server');
  });

  it('when the signal aborts with a failure, then the start fails at once with that failure and cleans up', async () => {
    const controller = new AbortController();
    let cleanedUp = false;
    const stray = Object.assign(new Error('spawn /x/initdb EACCES'), { code: 'EACCES' });
    setTimeout(() => controller.abort(stray), 20);
    const failure = await boundedStart(never, {
      part: 'PostgreSQL',
      hint: 'set DATABASE_URL',
      signal: controller.signal,
      abort: () => (cleanedUp = true),
    }).catch((error: unknown) => error);
    assert.ok(failure instanceof StartupError);
    assert.equal(failure.code, 'ERR_START_FAILED');
    assert.equal(failure.cause, stray);
    assert.match(failure.message, /^PostgreSQL cannot start: spawn \/x\/initdb EACCES\. Fix: set DATABASE_URL\.$/);
    assert.equal(cleanedUp, true);
  });

  it('when the signal aborts plainly (Ctrl-C), then the start fails as aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const failure = await boundedStart(never, {
      part: 'the API',
      hint: 'start it again',
      signal: controller.signal,
    }).catch((error: unknown) => error);
    assert.ok(failure instanceof StartupError);
    assert.equal(failure.code, 'ERR_START_ABORTED');
  });

  it('when the start succeeds, then its value comes back and nothing is cleaned up', async () => {
    let cleanedUp = false;
    const value = await boundedStart(async () => 42, { part: 'x', hint: 'y', abort: () => (cleanedUp = true) });
    assert.equal(value, 42);
    assert.equal(cleanedUp, false);
  });
});

describe('StopStack', () => {
  it('when stopped, then it stops newest first, runs every stop even after one throws, and stops later arrivals at once', async () => {
    const order: string[] = [];
    const stack = new StopStack();
    stack.push('first', () => order.push('first'));
    stack.push('broken', () => {
      throw new Error('boom');
    });
    stack.push('last', () => order.push('last'));
    const failed: string[] = [];
    await stack.stopAll((name) => failed.push(name));
    assert.deepEqual(order, ['last', 'first']);
    assert.deepEqual(failed, ['broken']);
    stack.push('late', () => order.push('late'));
    await sleep(10);
    assert.deepEqual(order, ['last', 'first', 'late']);
  });
});
