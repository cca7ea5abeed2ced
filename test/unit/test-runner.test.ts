// The test runner itself: a file whose tests did not run is a failure, never a pass, and a hang is
// stopped and named within the timeout. Each case runs scripts/run-tests.mjs in a child process on
// fixture files copied into a temporary test folder.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';

const FIXTURES = join('test', 'fixtures', 'test-runner');
const RUNNER = join('scripts', 'run-tests.mjs');
const TIMEOUT_S = 4;
const folders: string[] = [];

interface RunnerResult {
  status: number | null;
  output: string;
  seconds: number;
  totals: Record<string, number>;
}

/** Runs the runner over a fresh folder holding the named fixtures as *.test.ts files. */
function runOn(fixtures: string[]): RunnerResult {
  const dir = mkdtempSync(join(tmpdir(), 'recur-runner-'));
  folders.push(dir);
  mkdirSync(join(dir, 'nested'));
  for (const name of fixtures) copyFileSync(join(FIXTURES, `${name}.ts`), join(dir, 'nested', `${name}.test.ts`));
  const started = Date.now();
  const run = spawnSync(process.execPath, [RUNNER, `--dir=${dir}`, `--timeout=${TIMEOUT_S}`], {
    encoding: 'utf8',
    timeout: 90_000,
    env: { ...process.env, RECUR_TEST_CONCURRENCY: '1' },
  });
  const output = `${run.stdout}${run.stderr}`;
  const totals = Object.fromEntries(
    output
      .trimEnd()
      .split('\n')
      .slice(-4)
      .map((line) => line.split(/\s+/))
      .map(([key, value]) => [key, Number(value)]),
  );
  return { status: run.status, output, seconds: (Date.now() - started) / 1000, totals };
}

after(() => folders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('scripts/run-tests.mjs', () => {
  it('when a before hook never settles and an exit hook ends the process with 0, then the run fails and names the test', () => {
    const result = runOn(['before-never-settles', 'all-pass']);
    assert.equal(result.status, 1, result.output);
    assert.match(result.output, /before-never-settles\.test\.ts: 1 test\(s\) never finished.*"needs the before hook"/);
    assert.ok(result.seconds < 30, `took ${result.seconds} s`);
  });

  it('when a file declares no tests, then the run fails and says so', () => {
    const result = runOn(['no-tests']);
    assert.equal(result.status, 1, result.output);
    assert.match(result.output, /no-tests\.test\.ts: ran no tests/);
    assert.deepEqual(result.totals, { tests: 0, passed: 0, failed: 0, skipped: 0 });
  });

  it('when a test never finishes, then it is stopped after the timeout and named', () => {
    const result = runOn(['hangs-forever']);
    assert.equal(result.status, 1, result.output);
    assert.match(result.output, /hangs-forever\.test\.ts: timed out: "waits forever" made no progress for 4 s/);
    assert.ok(result.seconds < TIMEOUT_S + 20, `took ${result.seconds} s`);
  });

  it('when a file exits with code 0 in the middle of its tests, then the run fails', () => {
    const result = runOn(['exits-mid-test']);
    assert.equal(result.status, 1, result.output);
    assert.match(result.output, /exits-mid-test\.test\.ts: /);
  });

  it('when tests pass, fail and are skipped, then the last lines give exact totals and the run fails', () => {
    const result = runOn(['mixed-results', 'all-pass']);
    assert.equal(result.status, 1, result.output);
    assert.deepEqual(result.totals, { tests: 7, passed: 5, failed: 1, skipped: 1 });
    assert.match(result.output, /mixed-results\.test\.ts: "fails" failed/);
  });

  it('when every file runs and passes, then the run passes with its totals last', () => {
    const result = runOn(['all-pass']);
    assert.equal(result.status, 0, result.output);
    assert.deepEqual(result.totals, { tests: 3, passed: 3, failed: 0, skipped: 0 });
    assert.match(result.output, /every file ran and passed \(1 files\)/);
  });
});
