// The long-running scripts (npm run bench, npm run chaos) refuse a mistyped flag with a readable message
// before they start anything: a typo must not cost a 20-minute run or end in a stack trace.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

function run(script: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('script flags', () => {
  for (const [script, name] of [
    ['bench/run.ts', 'bench'],
    ['scripts/chaos/main.ts', 'chaos'],
  ] as const) {
    it(`when ${script} gets an unknown flag, then it exits 2 naming the flag, with its usage and no stack trace`, () => {
      const { status, stderr } = run(script, ['--bogus']);
      assert.equal(status, 2, stderr);
      assert.match(stderr, new RegExp(`^${name}: .*--bogus`, 'm'));
      assert.match(stderr, /usage: npm run/);
      assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
    });

    it(`when ${script} gets --help, then it prints its usage and exits 0`, () => {
      const { status, stdout } = run(script, ['--help']);
      assert.equal(status, 0);
      assert.match(stdout, /^usage: npm run/);
    });
  }
});
