// GET /metrics: every metric of the process in the Prometheus text format, for Prometheus to scrape.
import type { FastifyInstance } from 'fastify';
import { bearerTokenMatches } from '../../metrics/metrics-token.js';
import type { RecurMetrics } from '../../metrics/recur-metrics.js';
import { ProblemError } from '../problem.js';

export interface MetricsRouteOptions {
  metrics: RecurMetrics;
  /** METRICS_TOKEN: when set, a scrape must send it as a bearer token; open (like /healthz) when absent. */
  token?: string;
}

/** Registers GET /metrics (no API key; kept out of the OpenAPI document, which describes the merchant API). */
export function metricsRoutes(app: FastifyInstance, options: MetricsRouteOptions): void {
  const { registry } = options.metrics;
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (options.token !== undefined && !bearerTokenMatches(request.headers.authorization, options.token)) {
      reply.header('www-authenticate', 'Bearer realm="recur-metrics"');
      throw new ProblemError({ kind: 'unauthorized', detail: 'send METRICS_TOKEN as "Authorization: Bearer <token>"' });
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
