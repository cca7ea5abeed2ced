// One log line per request, written when it is answered: method, route (the pattern, not the raw URL, which
// may carry ids), status and time. Fastify's own pair of lines ("incoming request", "request completed")
// is replaced; its other lines (errors, unmatched routes) stay as they are.
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/** Routes that probes ask every few seconds: their lines go at debug so they do not bury business events. */
const PROBES = new Set(['/healthz', '/readyz']);

export class RequestLineLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const route = request.routeOptions.url;
    const line = {
      method: request.method,
      route: route ?? 'unmatched',
      statusCode: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log[route !== undefined && PROBES.has(route) ? 'debug' : 'info'](line, 'request answered');
  }
}
