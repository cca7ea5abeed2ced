// Where src/reconciliation sits: above db, gateway and the workflow's public surface, below the CLI. It reads
// the gateway client as a type only (the caller hands one in), so it cannot build one that moves money.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const DIR = join('src', 'reconciliation');
const IMPORT = /^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?'([^']+)'/gm;
const FORBIDDEN = /^(\.\.\/(worker|api|cli|dev|sandbox|activities|startup)\/|@temporalio\/(worker|activity|workflow)$)/;
/** The workflow modules it may use: the public surface and two pure helpers the API uses as well. */
const WORKFLOW_MODULES = ['definitions.js', 'invoice-numbers.js', 'payment-notification.js'];

function imports(): Array<{ file: string; specifier: string; typeOnly: boolean }> {
  return readdirSync(DIR)
    .filter((name) => name.endsWith('.ts'))
    .flatMap((file) =>
      [...readFileSync(join(DIR, file), 'utf8').matchAll(IMPORT)].map((m) => ({
        file,
        specifier: m[2] ?? '',
        typeOnly: Boolean(m[1]),
      })),
    );
}

describe('src/reconciliation layering', () => {
  const edges = imports();

  it('when its imports are scanned, then none reaches the worker, API, CLI, sandbox or activities', () => {
    assert.ok(edges.length > 20, 'the scanner found the imports');
    assert.deepEqual(
      edges.filter((e) => FORBIDDEN.test(e.specifier)).map((e) => `${e.file} → ${e.specifier}`),
      [],
    );
  });

  it('when it imports workflow code, then only the public surface and the pure numbering and notification helpers', () => {
    const workflow = edges.filter((e) => e.specifier.startsWith('../workflows/'));
    assert.deepEqual(
      workflow.filter((e) => !WORKFLOW_MODULES.includes(e.specifier.slice('../workflows/'.length))).map((e) => e.file),
      [],
    );
  });

  it('when it imports the gateway client, then as a type only', () => {
    const client = edges.filter((e) => e.specifier === '../gateway/client.js');
    assert.ok(client.length > 0);
    assert.ok(client.every((e) => e.typeOnly));
  });
});
