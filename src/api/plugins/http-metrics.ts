// Counts every API answer and observes its latency, labelled by the route's pattern (/v1/subscriptions/:id),
// never the raw URL, so the number of label values stays bounded whatever paths clients send.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RecurMetrics } from '../../metrics/recur-metrics.js';

/** The route label of a request that matched no route (404s, probes, typos, unparsable paths). */
export const UNMATCHED_ROUTE = 'unmatched';
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Counts one answered request in recur_http_requests_total and recur_http_request_duration_seconds. */
export function observeAnswer(metrics: RecurMetrics, request: FastifyRequest, reply: FastifyReply): void {
  const labels = {
    method: METHODS.has(request.method) ? request.method : 'OTHER',
    // Fastify's not-found handler, and a path refused before routing, have no route pattern of their own.
    route: request.is404 ? UNMATCHED_ROUTE : (request.routeOptions.url ?? UNMATCHED_ROUTE),
    status: String(reply.statusCode),
  };
  metrics.httpRequests.inc(labels);
  metrics.httpRequestDuration.observe(labels, reply.elapsedTime / 1000);
}

/**
 * Adds the onResponse hook that counts every routed answer. A request Fastify refuses before routing (a bad
 * percent escape, an overlong path parameter) skips the hooks: its `frameworkErrors` handler calls observeAnswer.
 */
export function installHttpMetrics(app: FastifyInstance, metrics: RecurMetrics): void {
  app.addHook('onResponse', async (request, reply) => observeAnswer(metrics, request, reply));
}
