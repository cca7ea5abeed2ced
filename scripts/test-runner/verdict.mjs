// Turns one test file's recorded events into counts and the reasons it cannot count as passed.

/**
 * @typedef {{ type: string, name?: string, nesting?: number, fileLevel?: boolean, suite?: boolean,
 *   skip?: boolean, todo?: boolean, error?: string, at: number }} TestEvent
 * @typedef {{ tests: number, passed: number, failed: number, skipped: number, todo: number,
 *   failures: Array<{ name: string, error?: string }>, problems: string[] }} FileVerdict
 */

/**
 * Judges a file from its events, its exit and whether the runner had to stop it.
 * A file passes only when its runner reached the end, every test it announced finished, at least one test
 * actually ran, and none failed.
 * @param {{ events: TestEvent[], exitCode: number | null, signal: string | null, timedOut?: string }} run
 * @returns {FileVerdict}
 */
export function judgeFile({ events, exitCode, signal, timedOut }) {
  const verdict = { tests: 0, passed: 0, failed: 0, skipped: 0, todo: 0, failures: [], problems: [] };
  const inFile = events.filter((e) => !e.fileLevel);
  for (const event of inFile) {
    if (event.suite || (event.type !== 'test:pass' && event.type !== 'test:fail')) continue;
    verdict.tests += 1;
    if (event.type === 'test:fail') {
      verdict.failed += 1;
      verdict.failures.push({ name: event.name ?? '(unnamed)', error: event.error });
    } else if (event.todo) verdict.todo += 1;
    else if (event.skip) verdict.skipped += 1;
    else verdict.passed += 1;
  }
  // Suites failing by themselves (a hook threw) are failures too, even when no test under them reported.
  for (const event of inFile) {
    if (event.suite && event.type === 'test:fail' && !event.error?.startsWith('subtestsFailed')) {
      verdict.failures.push({ name: event.name ?? '(unnamed suite)', error: event.error });
    }
  }

  if (timedOut) verdict.problems.push(timedOut);
  const unfinished = unfinishedTests(inFile);
  if (!timedOut && unfinished.length > 0) {
    verdict.problems.push(
      `${unfinished.length} test(s) never finished (a hook that never settled, or the process exited early): ` +
        unfinished
          .slice(0, 5)
          .map((n) => JSON.stringify(n))
          .join(', '),
    );
  }
  if (verdict.passed + verdict.failed === 0 && !timedOut && unfinished.length === 0) {
    const skippedNote =
      verdict.skipped + verdict.todo > 0 ? ` (${verdict.skipped + verdict.todo} skipped or todo)` : '';
    verdict.problems.push(`ran no tests${skippedNote}: it has none, or its process exited before reporting them`);
  }
  if (!events.some((e) => e.type === 'end') && !timedOut) {
    verdict.problems.push(
      `the test process ended before reporting (exit ${exitCode ?? 'none'}${signal ? `, ${signal}` : ''})`,
    );
  }
  const fileFailure = events.find((e) => e.fileLevel && e.type === 'test:fail');
  if (fileFailure && verdict.failed === 0 && verdict.problems.length === 0) {
    verdict.problems.push(`the file failed outside any test: ${fileFailure.error ?? 'no message'}`);
  }
  if (exitCode !== 0 && exitCode !== null && verdict.failed === 0 && verdict.problems.length === 0 && !timedOut) {
    verdict.problems.push(`the test process exited with code ${exitCode}`);
  }
  return verdict;
}

/** Names of tests announced (enqueued) that never completed, in the order they were announced. */
export function unfinishedTests(events) {
  const open = new Map();
  for (const event of events) {
    const key = `${event.nesting}\u0000${event.name}`;
    if (event.type === 'test:enqueue') open.set(key, (open.get(key) ?? 0) + 1);
    if (event.type === 'test:complete' && open.has(key)) {
      const left = open.get(key) - 1;
      if (left === 0) open.delete(key);
      else open.set(key, left);
    }
  }
  return [...open.keys()].map((key) => key.split('\u0000')[1]);
}

/** The innermost tests started (dequeued) and not yet completed: what a hung file was doing. */
export function runningTests(events) {
  const running = [];
  for (const event of events) {
    if (event.fileLevel) continue;
    if (event.type === 'test:dequeue') running.push(event.name);
    if (event.type === 'test:complete') {
      const index = running.lastIndexOf(event.name);
      if (index >= 0) running.splice(index, 1);
    }
  }
  return running;
}
