// What the runner prints: each file's problems as it ends, and the totals as the last lines.

/** Adds up file verdicts; `badFiles` counts files that failed for a reason other than a failed test. */
export function sumVerdicts(results) {
  const totals = {
    files: results.length,
    tests: 0,
    passed: 0,
    failed: 0,
    skipped: 0,
    todo: 0,
    badFiles: 0,
    failedFiles: 0,
  };
  for (const r of results) {
    totals.tests += r.tests;
    totals.passed += r.passed;
    totals.failed += r.failed;
    totals.skipped += r.skipped;
    totals.todo += r.todo;
    if (r.problems.length > 0) totals.badFiles += 1;
    if (r.problems.length > 0 || r.failed > 0 || r.failures.length > 0) totals.failedFiles += 1;
  }
  return totals;
}

/** The lines that explain why one file did not pass, or '' when it did. */
export function formatFileProblems(result) {
  return [
    ...result.problems.map((p) => `✖ ${result.file}: ${p}`),
    ...result.failures.map((f) => `✖ ${result.file}: ${JSON.stringify(f.name)} failed${f.error ? `: ${f.error}` : ''}`),
  ].join('\n');
}

/** The closing block: every file that did not pass, then the totals, last. */
export function formatTotals(results, totals, durationMs) {
  const lines = ['', '━━ results'];
  for (const r of results) {
    const problems = formatFileProblems(r);
    if (problems) lines.push(problems);
  }
  if (totals.failedFiles === 0) lines.push(`every file ran and passed (${totals.files} files)`);
  else lines.push(`${totals.failedFiles} of ${totals.files} files did not pass`);
  lines.push(
    `duration ${(durationMs / 1000).toFixed(1)} s`,
    `tests    ${totals.tests}`,
    `passed   ${totals.passed}`,
    `failed   ${totals.failed}`,
    `skipped  ${totals.skipped + totals.todo}`,
  );
  return lines.join('\n');
}
