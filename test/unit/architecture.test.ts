// The layering of src/: imports point down (api → worker → workflows → activities → db → gateway), the
// gateway knows nothing of Temporal or PostgreSQL, and workflows import activities as types only.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

interface ImportEdge {
  file: string;
  specifier: string;
  typeOnly: boolean;
  /** The src/ folder (or top-level file) the specifier lands in, or the package name. */
  target: string;
}

interface Rule {
  layer: string;
  /** Targets this layer may not import at all. */
  forbidden: string[];
  /** Targets this layer may import with `import type` only. */
  typesOnly?: string[];
}

// One line per layer reads as the table it is.
// prettier-ignore
const RULES: Rule[] = [
  { layer: 'domain', forbidden: ['credentials', 'gateway', 'sandbox', 'db', 'activities', 'workflows', 'worker', 'api', 'cli', 'dev', 'startup', 'config.ts', '@temporalio', 'pg'] },
  { layer: 'gateway', forbidden: ['credentials', 'metrics', 'sandbox', 'db', 'activities', 'workflows', 'worker', 'api', 'cli', 'dev', 'startup', 'config.ts', '@temporalio', 'pg'] },
  // Bounded start-up and its errors: used by db, worker, api and dev, so it depends on none of them.
  { layer: 'startup', forbidden: ['credentials', 'domain', 'gateway', 'sandbox', 'db', 'activities', 'workflows', 'worker', 'api', 'cli', 'dev', 'config.ts', '@temporalio', 'pg'] },
  // The one logger (pino) and its dev-mode format: used by api, worker and dev, so it depends on none of them.
  { layer: 'logging', forbidden: ['credentials', 'domain', 'gateway', 'sandbox', 'db', 'activities', 'workflows', 'worker', 'api', 'cli', 'dev', 'startup', 'config.ts', '@temporalio', 'pg'] },
  // Metric definitions and the /metrics listener: prom-client only, so every layer that counts can use them.
  { layer: 'metrics', forbidden: ['domain', 'gateway', 'sandbox', 'db', 'activities', 'workflows', 'worker', 'api', 'cli', 'dev', 'startup', 'logging', 'reconciliation', 'credentials', 'config.ts', '@temporalio', 'pg'] },
  // The JSON shapes merchants see and their presenters: the API answers with them and activities put them in events.
  { layer: 'resources', forbidden: ['credentials', 'gateway', 'sandbox', 'activities', 'workflows', 'worker', 'api', 'cli', 'dev', 'startup', 'config.ts', '@temporalio', 'pg'] },
  { layer: 'db', forbidden: ['credentials', 'gateway', 'sandbox', 'activities', 'workflows', 'worker', 'api', 'cli', 'dev', '@temporalio'] },
  { layer: 'sandbox', forbidden: ['credentials', 'db', 'activities', 'workflows', 'worker', 'api', 'cli', 'dev', 'startup', 'config.ts', '@temporalio', 'pg'] },
  { layer: 'activities', forbidden: ['sandbox', 'workflows', 'worker', 'api', 'cli', 'dev', '@temporalio/client', '@temporalio/worker', '@temporalio/workflow'] },
  {
    layer: 'workflows',
    forbidden: ['gateway', 'sandbox', 'db', 'credentials', 'metrics', 'worker', 'api', 'cli', 'dev', 'startup', 'config.ts', 'pg', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'],
    typesOnly: ['activities'],
  },
  // Merchants' 2C2P credentials: sealed in db, opened into gateway keys; used by worker, api and cli.
  { layer: 'credentials', forbidden: ['sandbox', 'activities', 'workflows', 'worker', 'api', 'cli', 'dev', 'reconciliation', '@temporalio'] },
  // Starting webhook deliveries (the worker's outbox dispatcher, the API's redeliver): db, Temporal's client, workflow ids.
  { layer: 'webhooks', forbidden: ['api', 'worker', 'cli', 'dev', 'sandbox', 'gateway', 'activities', '@temporalio/worker', '@temporalio/activity', '@temporalio/workflow'] },
  { layer: 'worker', forbidden: ['api', 'cli', 'dev', 'sandbox'] },
  { layer: 'api', forbidden: ['worker', 'activities', 'sandbox', 'cli', 'dev', '@temporalio/worker', '@temporalio/activity'] },
  { layer: 'reconciliation', forbidden: ['worker', 'api', 'activities', 'sandbox', 'cli', 'dev', '@temporalio/worker', '@temporalio/activity'] },
];

const SRC = resolve('src');
const IMPORT = /^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?'([^']+)'/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*'([^']+)'\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

function targetOf(file: string, specifier: string): string {
  if (!specifier.startsWith('.'))
    return specifier.startsWith('@')
      ? specifier.split('/').slice(0, 2).join('/')
      : (specifier.split('/')[0] ?? specifier);
  const path = relative(SRC, resolve(dirname(file), specifier));
  const top = path.split('/')[0] ?? path;
  return top.endsWith('.js') ? top.replace(/\.js$/, '.ts') : top;
}

/** Every import and re-export of `text` (the contents of `file`). */
export function importsOf(file: string, text: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const specifier = m[2] ?? '';
    edges.push({ file, specifier, typeOnly: Boolean(m[1]), target: targetOf(file, specifier) });
  }
  for (const m of text.matchAll(DYNAMIC_IMPORT)) {
    const specifier = m[1] ?? '';
    edges.push({ file, specifier, typeOnly: false, target: targetOf(file, specifier) });
  }
  return edges;
}

function matches(target: string, pattern: string): boolean {
  return (
    target === pattern ||
    target.startsWith(`${pattern}/`) ||
    (pattern.startsWith('@') && !pattern.includes('/') && target.startsWith(`${pattern}/`))
  );
}

/** The imports that break a rule, as "file → specifier (why)". */
export function violations(edges: ImportEdge[], rules: Rule[] = RULES): string[] {
  const found: string[] = [];
  for (const edge of edges) {
    const layer = relative(SRC, edge.file).split('/')[0];
    const rule = rules.find((r) => r.layer === layer);
    if (!rule || edge.target === layer) continue;
    const where = `${relative('.', edge.file)} → ${edge.specifier}`;
    if (rule.forbidden.some((p) => matches(edge.target, p)))
      found.push(`${where} (${layer} may not import ${edge.target})`);
    else if (!edge.typeOnly && rule.typesOnly?.some((p) => matches(edge.target, p)))
      found.push(`${where} (${layer} may import ${edge.target} as types only)`);
  }
  return found;
}

describe('architecture', () => {
  const edges = sourceFiles(SRC).flatMap((file) => importsOf(file, readFileSync(file, 'utf8')));

  it('when src/ is scanned, then it finds the imports of every layer', () => {
    const layers = new Set(edges.map((e) => relative(SRC, e.file).split('/')[0]));
    for (const rule of RULES) assert.ok(layers.has(rule.layer), `no imports found in src/${rule.layer}`);
    assert.ok(edges.length > 200, `only ${edges.length} imports found: the scanner is broken`);
  });

  it('when every import is checked, then none points up the layers', () => {
    assert.deepEqual(violations(edges), []);
  });

  it('when a file imports against the rules, then the checker names it', () => {
    const gatewayFile = join(SRC, 'gateway', 'client.ts');
    const workflowFile = join(SRC, 'workflows', 'subscription.ts');
    const planted = [
      ...importsOf(gatewayFile, "import { Client } from '@temporalio/client';\nimport { Pool } from 'pg';"),
      ...importsOf(workflowFile, "import { createActivities } from '../activities/create-activities.js';"),
      ...importsOf(workflowFile, "import type { SubscriptionActivities } from '../activities/types.js';"),
      ...importsOf(join(SRC, 'api', 'server.ts'), "const w = await import('../worker/start-worker.js');"),
    ];
    assert.deepEqual(
      violations(planted).map((v) => v.replace(/ →.*\(/, ' (')),
      [
        'src/gateway/client.ts (gateway may not import @temporalio/client)',
        'src/gateway/client.ts (gateway may not import pg)',
        'src/workflows/subscription.ts (workflows may import activities as types only)',
        'src/api/server.ts (api may not import worker)',
      ],
    );
  });
});
