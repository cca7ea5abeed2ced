// Counts every API answer and observes its latency, labelled by the route's pattern (/v1/subscriptions/:id),
// never the raw URL, so the number of label values stays bounded whatever paths clients send.
import type { FastifyInstance } from 'fastify';
import type { RecurMetrics } from '../../metrics/recur-metrics.js';

/** The route label of a request that matched no route (404s, probes, typos). */
export const UNMATCHED_ROUTE = 'unmatched';
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Adds the onResponse hook that feeds recur_http_requests_total and recur_http_request_duration_seconds. */
export function installHttpMetrics(app: FastifyInstance, metrics: RecurMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: METHODS.has(request.method) ? request.method : 'OTHER',
      // Fastify's not-found handler has no route pattern of its own.
      route: request.is404 ? UNMATCHED_ROUTE : (request.routeOptions.url ?? UNMATCHED_ROUTE),
      status: String(reply.statusCode),
    };
    metrics.httpRequests.inc(labels);
    metrics.httpRequestDuration.observe(labels, reply.elapsedTime / 1000);
  });
}
