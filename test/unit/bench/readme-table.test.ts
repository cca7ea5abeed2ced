// The README's benchmark table is the rendering of the committed bench/results.json: a figure in the README
// that the results file does not hold (or an old one left behind after a new run) fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { renderBenchTable, type BenchResults } from '../../../bench/readme-table.js';

const START = '<!-- bench-table:start (npx tsx bench/readme-table.ts) -->';
const END = '<!-- bench-table:end -->';

describe('README benchmark table', () => {
  const results = JSON.parse(readFileSync('bench/results.json', 'utf8')) as BenchResults;

  it('holds every section of one npm run bench', () => {
    for (const section of ['crypto', 'checkout', 'historyYear', 'liveSubscriptions'] as const)
      assert.ok(results[section] !== undefined, `bench/results.json has no ${section} section`);
  });

  it('is exactly the rendering of bench/results.json', () => {
    const readme = readFileSync('README.md', 'utf8');
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    assert.ok(start >= 0 && end > start, `README.md needs the table between "${START}" and "${END}"`);
    assert.equal(readme.slice(start + START.length, end).trim(), renderBenchTable(results));
  });

  it('gives each figure beside its baseline and ratio', () => {
    const rows = renderBenchTable(results).split('\n').slice(2);
    assert.ok(rows.length >= 10);
    for (const row of rows) assert.equal(row.split(' | ').length, 4, row);
  });
});
