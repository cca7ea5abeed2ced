// RECUR_WORKER_MAX_CACHED_WORKFLOWS: the worker's sticky cache size, read once at start-up.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../../src/config.js';
import { DEFAULT_MAX_CACHED_WORKFLOWS, maxCachedWorkflowsFrom } from '../../../src/worker/create-worker.js';

const VARIABLE = 'RECUR_WORKER_MAX_CACHED_WORKFLOWS';

describe('worker sticky cache size', () => {
  it('when the variable is unset or blank, then the default applies', () => {
    assert.equal(maxCachedWorkflowsFrom({}), DEFAULT_MAX_CACHED_WORKFLOWS);
    assert.equal(maxCachedWorkflowsFrom({ [VARIABLE]: '  ' }), DEFAULT_MAX_CACHED_WORKFLOWS);
  });

  it('when it is a whole number (0 turns the cache off), then that is the size', () => {
    for (const [text, size] of [
      ['0', 0],
      ['2', 2],
      [' 10000 ', 10_000],
      ['1000000', 1_000_000],
    ] as const) {
      assert.equal(maxCachedWorkflowsFrom({ [VARIABLE]: text }), size, text);
    }
  });

  for (const [text, reason] of [
    ['lots', 'must be a whole number'],
    ['-5', 'must be a whole number'],
    ['2.5', 'must be a whole number'],
    ['1e4', 'must be a whole number'],
    ['1', 'must be 0 (no cache) or at least 2'],
    ['1000001', 'must be at most 1000000'],
  ] as const) {
    it(`when it is ${JSON.stringify(text)}, then start-up stops with a ConfigError naming the variable`, () => {
      assert.throws(
        () => maxCachedWorkflowsFrom({ [VARIABLE]: text }),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.code === 'ERR_CONFIG' &&
          error.problems.length === 1 &&
          error.problems[0] === `${VARIABLE}: ${reason}`,
      );
    });
  }
});
