// Checks of docker-compose.yml that no Docker engine is needed for: every service the app needs is there,
// wired by name, healthy before its dependants start, pinned, and given the configuration it requires.
import { existsSync } from 'node:fs';
import { environmentSchema } from '../../src/config.js';

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: unknown; disable?: boolean };
  volumes?: Array<string | { source?: string; target?: string }>;
  ports?: Array<string | number | { target?: number; published?: string | number }>;
  expose?: Array<string | number>;
  restart?: string;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** The services the product needs, by role. */
export const REQUIRED_SERVICES = [
  'temporal-db',
  'temporal',
  'temporal-search-attributes',
  'temporal-ui',
  'app-db',
  'sandbox',
  'worker',
  'api',
];
/** Processes that load src/config.ts and so need every required variable. */
export const CONFIGURED_SERVICES = ['worker', 'api'];
const SEARCH_ATTRIBUTES = ['RecurMerchantId', 'RecurCustomerId', 'RecurSubscriptionStatus', 'RecurNextChargeDate'];

export function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

function dependencies(service: ComposeService): Array<[string, string]> {
  const deps = service.depends_on ?? [];
  if (Array.isArray(deps)) return deps.map((name) => [name, 'service_started']);
  return Object.entries(deps).map(([name, d]) => [name, d.condition ?? 'service_started']);
}

function mounts(service: ComposeService): Array<{ source: string; target: string }> {
  return (service.volumes ?? []).map((v) => {
    if (typeof v !== 'string') return { source: v.source ?? '', target: v.target ?? '' };
    const [source = '', target = ''] = v.split(':');
    return { source, target };
  });
}

const words = (value: string | string[] | undefined) => (Array.isArray(value) ? value : (value ?? '').split(/\s+/));

/** Host names an environment value points at (URLs, host:port pairs, PostgreSQL seeds). */
function hostsIn(name: string, value: string): string[] {
  const url = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([^:/?#]+)/i.exec(value);
  if (url?.[1]) return [url[1]];
  if (/ADDRESS$/.test(name)) return [value.split(':')[0] ?? value];
  if (/SEEDS$/.test(name)) return value.split(',').map((h) => h.trim());
  return [];
}

/** Every way `compose` falls short of what the app needs, as readable lines (empty when it is right). */
export function composeProblems(compose: ComposeFile, repoFile: (path: string) => boolean = existsSync): string[] {
  const problems: string[] = [];
  const services = compose.services ?? {};
  const names = new Set(Object.keys(services));
  const declaredVolumes = new Set(Object.keys(compose.volumes ?? {}));

  for (const required of REQUIRED_SERVICES) if (!names.has(required)) problems.push(`service ${required} is missing`);

  for (const [name, service] of Object.entries(services)) {
    if (!service.image && !service.build) problems.push(`${name}: neither image nor build`);
    if (service.image && !service.build) {
      const tag = /:([^/:]+)$/.exec(service.image)?.[1];
      if (!tag || tag === 'latest') problems.push(`${name}: image ${service.image} is not pinned to a version`);
    }
    for (const [target, condition] of dependencies(service)) {
      const dependency = services[target];
      if (!dependency) {
        problems.push(`${name}: depends on ${target}, which is not a service`);
        continue;
      }
      if (condition === 'service_healthy' && (!dependency.healthcheck || dependency.healthcheck.disable)) {
        problems.push(`${name}: waits for ${target} to be healthy, but ${target} has no healthcheck`);
      }
      if (condition === 'service_completed_successfully' && dependency.restart !== 'no') {
        problems.push(`${name}: waits for ${target} to complete, but ${target} restarts (not a one-shot)`);
      }
    }
    for (const [variable, value] of Object.entries(environmentOf(service))) {
      for (const host of hostsIn(variable, value)) {
        if (host !== 'localhost' && host !== '127.0.0.1' && !host.includes('$') && !names.has(host)) {
          problems.push(`${name}: ${variable} points at ${host}, which is not a service`);
        }
      }
    }
    for (const { source } of mounts(service)) {
      if (source && !source.startsWith('.') && !source.startsWith('/') && !declaredVolumes.has(source)) {
        problems.push(`${name}: volume ${source} is not declared`);
      }
    }
    for (const word of [...words(service.command), ...words(service.entrypoint)]) {
      if (/^(src|bin|scripts|dist)\//.test(word) && !word.startsWith('dist/') && !repoFile(word)) {
        problems.push(`${name}: runs ${word}, which is not in the repository`);
      }
    }
  }

  for (const name of CONFIGURED_SERVICES) {
    const service = services[name];
    if (!service) continue;
    const env = environmentOf(service);
    // A NAME_FILE variable supplies NAME (src/config.ts reads the file).
    for (const [variable, value] of Object.entries(env))
      if (variable.endsWith('_FILE')) env[variable.slice(0, -5)] ??= `from:${value}`;
    const parsed = environmentSchema.safeParse(env);
    if (!parsed.success)
      for (const issue of parsed.error.issues) problems.push(`${name}: ${issue.path.join('.')} ${issue.message}`);
    const mounted = mounts(service).map((m) => m.target);
    for (const variable of ['TWOC2P_MERCHANT_PRIVATE_KEY', 'TWOC2P_GATEWAY_PUBLIC_KEY', 'TWOC2P_SECRET_KEY_FILE']) {
      const path = env[variable];
      if (path?.startsWith('/') && !mounted.some((target) => path.startsWith(`${target}/`))) {
        problems.push(`${name}: ${variable} is ${path}, which no volume of ${name} provides`);
      }
    }
  }

  const sandbox = services.sandbox;
  if (sandbox) {
    const command = words(sandbox.command);
    const keysDir = command[command.indexOf('--keys-dir') + 1];
    const keysVolume = mounts(sandbox).find((m) => m.target === keysDir)?.source;
    if (!command.includes('--keys-dir') || !keysVolume) problems.push('sandbox: its --keys-dir is not on a volume');
    if (command[command.indexOf('--host') + 1] !== '0.0.0.0')
      problems.push('sandbox: must listen on 0.0.0.0 to be reachable by name');
    for (const name of CONFIGURED_SERVICES) {
      if (services[name] && !mounts(services[name]).some((m) => m.source === keysVolume)) {
        problems.push(`${name}: does not mount the sandbox's keys volume ${keysVolume}`);
      }
    }
  }

  const registration = [
    ...words(services['temporal-search-attributes']?.command),
    ...words(services['temporal-search-attributes']?.entrypoint),
  ].join(' ');
  for (const attribute of SEARCH_ATTRIBUTES) {
    if (!registration.includes(attribute)) problems.push(`temporal-search-attributes: does not register ${attribute}`);
  }
  return problems;
}
