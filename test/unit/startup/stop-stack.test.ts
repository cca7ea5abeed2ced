// StopStack.startAll: a start-up that fails half-way stops what it had started, newest first, and throws its
// own error; one that succeeds leaves everything running.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StopStack } from '../../../src/startup/stop-stack.js';

describe('StopStack.startAll', () => {
  it('when the build fails after starting two parts, then both are stopped newest first and its error is thrown', async () => {
    const stopped: string[] = [];
    const failure = new Error('the third part did not start');
    await assert.rejects(
      StopStack.startAll(async (started) => {
        started.push('first', () => stopped.push('first'));
        started.push('second', () => stopped.push('second'));
        throw failure;
      }),
      (error) => error === failure,
    );
    assert.deepEqual(stopped, ['second', 'first']);
  });

  it('when a stop itself fails during that cleanup, then the others still stop and the build error is the one thrown', async () => {
    const stopped: string[] = [];
    await assert.rejects(
      StopStack.startAll(async (started) => {
        started.push('first', () => stopped.push('first'));
        started.push('broken', () => {
          throw new Error('stop failed');
        });
        throw new Error('build failed');
      }),
      /build failed/,
    );
    assert.deepEqual(stopped, ['first']);
  });

  it('when the build succeeds, then nothing is stopped and its result is returned', async () => {
    const stopped: string[] = [];
    const result = await StopStack.startAll(async (started) => {
      started.push('part', () => stopped.push('part'));
      return 42;
    });
    assert.equal(result, 42);
    assert.deepEqual(stopped, []);
  });
});
