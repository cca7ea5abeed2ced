// Checks of the compose stack's Prometheus: the service is there, pinned and published, its config file is
// the one mounted, and every scrape target names a service and a port that service listens on, the API's
// and the worker's /metrics and the Temporal SDK's exporter among them.
import { environmentOf, type ComposeFile, type ComposeService } from './compose-checks.js';

export interface PrometheusConfig {
  scrape_configs?: Array<{
    job_name?: string;
    metrics_path?: string;
    static_configs?: Array<{ targets?: string[] }>;
  }>;
}

/** Where the config sits in the prom/prometheus image, as its --config.file names it. */
const CONFIG_TARGET = '/etc/prometheus/prometheus.yml';

/** The scrapes the stack needs: service and the variable that holds the port it serves metrics on. */
export const REQUIRED_SCRAPES = [
  { service: 'api', variable: 'API_PORT' },
  { service: 'worker', variable: 'WORKER_METRICS_PORT' },
  { service: 'worker', variable: 'TEMPORAL_METRICS_PORT' },
];

/** The repository file mounted as Prometheus's config, or undefined when none is. */
export function prometheusConfigPath(compose: ComposeFile): string | undefined {
  for (const volume of compose.services.prometheus?.volumes ?? []) {
    const [source = '', target = ''] = typeof volume === 'string' ? volume.split(':') : [volume.source, volume.target];
    if (target === CONFIG_TARGET && source.startsWith('./')) return source.slice(2);
  }
  return undefined;
}

/** Ports a service listens on inside the network: its published ports' targets, `expose`, and numeric *_PORT variables. */
function listeningPorts(service: ComposeService): Set<number> {
  const ports = new Set<number>();
  for (const port of service.ports ?? []) {
    const target = typeof port === 'object' ? port.target : String(port).split(':').at(-1);
    if (target !== undefined) ports.add(Number(target));
  }
  for (const port of service.expose ?? []) ports.add(Number(String(port).split('/')[0]));
  for (const [name, value] of Object.entries(environmentOf(service)))
    if (name.endsWith('_PORT') && /^\d+$/.test(value)) ports.add(Number(value));
  return ports;
}

/** Every way the Prometheus service or its config falls short, as readable lines (empty when right). */
export function prometheusProblems(compose: ComposeFile, config: PrometheusConfig | undefined): string[] {
  const services = compose.services ?? {};
  const prometheus = services.prometheus;
  if (!prometheus) return ['service prometheus is missing'];
  const problems: string[] = [];
  if (!/^prom\/prometheus:v\d+\.\d+\.\d+$/.test(prometheus.image ?? ''))
    problems.push(`prometheus: image ${prometheus.image} is not prom/prometheus at a pinned version`);
  const published = (prometheus.ports ?? []).some((p) =>
    typeof p === 'object' ? p.target === 9090 && String(p.published) === '9090' : /^9090:9090$/.test(String(p)),
  );
  if (!published) problems.push('prometheus: does not publish 9090');
  const command = Array.isArray(prometheus.command) ? prometheus.command.join(' ') : (prometheus.command ?? '');
  if (!command.includes(`--config.file=${CONFIG_TARGET}`))
    problems.push(`prometheus: --config.file is not ${CONFIG_TARGET}`);
  if (!prometheusConfigPath(compose)) problems.push(`prometheus: no repository file is mounted at ${CONFIG_TARGET}`);
  if (!config) return [...problems, 'prometheus: its config file cannot be read'];

  const scraped = new Set<string>();
  for (const job of config.scrape_configs ?? []) {
    const name = job.job_name ?? '(unnamed job)';
    if ((job.metrics_path ?? '/metrics') !== '/metrics')
      problems.push(`${name}: scrapes ${job.metrics_path}, not /metrics`);
    for (const target of (job.static_configs ?? []).flatMap((c) => c.targets ?? [])) {
      const [host = '', portText = ''] = target.split(':');
      const service = services[host];
      if (!service) {
        problems.push(`${name}: target ${target} is not a service`);
        continue;
      }
      if (!listeningPorts(service).has(Number(portText)))
        problems.push(`${name}: target ${target}, but ${host} does not listen on ${portText}`);
      scraped.add(`${host}:${portText}`);
    }
  }
  for (const { service, variable } of REQUIRED_SCRAPES) {
    const port = services[service] ? environmentOf(services[service]!)[variable] : undefined;
    if (!port || !/^\d+$/.test(port)) problems.push(`${service}: ${variable} is not set to a port`);
    else if (!scraped.has(`${service}:${port}`))
      problems.push(`prometheus: does not scrape ${service}:${port} (${variable})`);
  }
  return problems;
}
