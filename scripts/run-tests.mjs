#!/usr/bin/env node
// Runs every test/**/*.test.ts, each file in its own `node --test` process (TypeScript through tsx), and
// fails unless every file really ran: a hook that never settles, a file with no tests or one that exits
// early is a failure, and a test or hook that makes no progress for the timeout is stopped and named.
//
// Usage: node scripts/run-tests.mjs [--timeout=SECONDS] [--concurrency=N] [--dir=DIR] [path-substring ...]
//   RECUR_TEST_TIMEOUT (seconds, default 300) and RECUR_TEST_CONCURRENCY (default 1) set the same.
import { availableParallelism } from 'node:os';
import { collectTestFiles } from './test-runner/collect.mjs';
import { killGroup, runTestFile } from './test-runner/run-file.mjs';
import { formatFileProblems, formatTotals, sumVerdicts } from './test-runner/summary.mjs';

function parseArgs(argv) {
  const options = {
    timeoutS: Number(process.env.RECUR_TEST_TIMEOUT ?? 300),
    concurrency: Number(process.env.RECUR_TEST_CONCURRENCY ?? 1),
    dir: 'test',
    filters: [],
  };
  for (const arg of argv) {
    const [flag, value] = arg.split('=', 2);
    if (flag === '--timeout') options.timeoutS = Number(value);
    else if (flag === '--concurrency') options.concurrency = Number(value);
    else if (flag === '--dir') options.dir = value ?? '';
    else if (arg.startsWith('--')) usage(`unknown option ${arg}`);
    else options.filters.push(arg);
  }
  if (!(options.timeoutS > 0)) usage('--timeout (RECUR_TEST_TIMEOUT) must be a positive number of seconds');
  if (
    !Number.isInteger(options.concurrency) ||
    options.concurrency < 1 ||
    options.concurrency > availableParallelism() * 4
  ) {
    usage('--concurrency (RECUR_TEST_CONCURRENCY) must be a whole number from 1');
  }
  if (!options.dir) usage('--dir needs a folder');
  return options;
}

function usage(problem) {
  console.error(
    `run-tests: ${problem}\nusage: node scripts/run-tests.mjs [--timeout=SECONDS] [--concurrency=N] [--dir=DIR] [path-substring ...]`,
  );
  process.exit(2);
}

const options = parseArgs(process.argv.slice(2));
const files = collectTestFiles(options.dir, options.filters);
if (files.length === 0) {
  console.error(`run-tests: no test files match ${options.filters.join(', ') || `${options.dir}/**/*.test.ts`}`);
  process.exit(1);
}

const children = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const pid of children) killGroup(pid, 'SIGKILL');
    process.exit(130);
  });
}

const started = Date.now();
const capture = options.concurrency > 1;
const results = [];
const queue = [...files];
async function worker() {
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    if (!capture) console.log(`\n── ${file}`);
    let pid;
    const result = await runTestFile({
      file,
      timeoutMs: options.timeoutS * 1000,
      capture,
      onChild: (p) => children.add((pid = p)),
    });
    children.delete(pid);
    if (capture) process.stdout.write(`\n── ${file}\n${result.output}`);
    const problems = formatFileProblems(result);
    if (problems) console.log(problems);
    results.push(result);
  }
}
await Promise.all(Array.from({ length: Math.min(options.concurrency, files.length) }, worker));

results.sort((a, b) => a.file.localeCompare(b.file));
const totals = sumVerdicts(results);
console.log(formatTotals(results, totals, Date.now() - started));
process.exit(totals.failed === 0 && totals.badFiles === 0 ? 0 : 1);
