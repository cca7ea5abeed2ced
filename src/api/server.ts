// Builds the HTTP API: validation, problem documents, OpenAPI, API keys, Idempotency-Key and every route.
import Fastify, { type FastifyInstance } from 'fastify';
import { countSubscriptionsByStatus } from '../db/index.js';
import { processMetrics } from '../metrics/recur-metrics.js';
import type { ApiDeps } from './deps.js';
import { authenticateAdmin } from './plugins/admin-authentication.js';
import { authenticate } from './plugins/authentication.js';
import { installHttpMetrics, observeAnswer } from './plugins/http-metrics.js';
import { installIdempotency } from './plugins/idempotency.js';
import { registerOpenApi } from './plugins/openapi.js';
import { RequestLineLogController } from './plugins/request-log.js';
import { answerWithProblem, installProblemHandlers } from './plugins/problem-handler.js';
import { adminMerchantRoutes } from './routes/admin-merchants.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { merchantRoutes } from './routes/merchants.js';
import { metricsRoutes } from './routes/metrics.js';
import { notificationRoutes } from './routes/notifications.js';
import { subscriptionChangeRoutes } from './routes/subscription-changes.js';
import { subscriptionHistoryRoutes } from './routes/subscription-history.js';
import { subscriptionRoutes } from './routes/subscriptions.js';
import { testClockRoutes } from './routes/test-clock.js';
import { webhookEndpointRoutes } from './routes/webhook-endpoints.js';
import { typeboxValidatorCompiler } from './validator-compiler.js';

export type { AdminDeps, ApiDeps, MerchantBalance } from './deps.js';

/** Largest request body accepted; a subscription request is a few hundred bytes. */
const BODY_LIMIT = 64 * 1024;

/**
 * The API as a Fastify instance, not yet listening: call `listen({ port, host })` or `inject()`.
 * Closing it closes neither the Temporal client nor the pool, which belong to the caller.
 */
export function buildApiServer(deps: ApiDeps): FastifyInstance {
  const metrics = deps.metrics ?? processMetrics();
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: BODY_LIMIT,
    return503OnClosing: true,
    logController: new RequestLineLogController(),
    // A bad percent escape or an overlong path parameter fails before routing, outside the error handler.
    frameworkErrors: (error, request, reply) => {
      answerWithProblem(error, request, reply);
      observeAnswer(metrics, request, reply);
    },
  });
  app.setValidatorCompiler(typeboxValidatorCompiler);
  app.decorateRequest('merchantId', '');
  app.decorateRequest('idempotency', undefined);
  installProblemHandlers(app);
  installHttpMetrics(app, metrics);
  // The subscriptions gauge counts this API's database when scraped, until the API closes.
  const releaseCounter = metrics.countSubscriptionsWith(() => countSubscriptionsByStatus(deps.pool));
  app.addHook('onClose', async () => releaseCounter());
  registerOpenApi(app, deps.publicBaseUrl);

  app.register(async (scope) => healthRoutes(scope, deps));
  app.register(async (scope) => metricsRoutes(scope, { metrics, token: deps.metricsToken }));
  app.register(async (scope) => notificationRoutes(scope, deps));
  app.register(async (v1) => {
    // The merchant routes take JSON only: a text/plain body is 415, not a schema error about a string.
    v1.removeContentTypeParser('text/plain');
    v1.addHook('onRequest', authenticate(deps.pool, deps.admin?.apiKey));
    installIdempotency(v1, deps.pool);
    subscriptionRoutes(v1, deps);
    if (deps.testClock) testClockRoutes(v1, { ...deps, testClock: deps.testClock });
    subscriptionChangeRoutes(v1, deps);
    subscriptionHistoryRoutes(v1, deps);
    merchantRoutes(v1, deps);
    eventRoutes(v1, deps);
    webhookEndpointRoutes(v1, deps);
  });
  const admin = deps.admin;
  if (admin) {
    // Its own scope and key: merchant keys never pass here, and the admin key passes nowhere else.
    app.register(async (scope) => {
      scope.removeContentTypeParser('text/plain');
      scope.addHook('onRequest', authenticateAdmin(deps.pool, admin.apiKey));
      adminMerchantRoutes(scope, { pool: deps.pool, admin });
    });
  }
  return app;
}
