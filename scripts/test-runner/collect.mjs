// Finds the test files under a folder, optionally only those whose path contains one of the filters.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules') return [];
    if (statSync(path).isDirectory()) return walk(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Sorted paths relative to the working directory. */
export function collectTestFiles(dir, filters = []) {
  return walk(dir)
    .map((file) => relative('.', file))
    .filter((file) => filters.length === 0 || filters.some((s) => file.includes(s)))
    .sort();
}
