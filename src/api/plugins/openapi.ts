// The OpenAPI document, generated from the routes' TypeBox schemas, at /openapi.json and browsable at /docs.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/** Registers @fastify/swagger (collects every route registered after it) and the UI, whose assets come from node_modules. */
export function registerOpenApi(app: FastifyInstance, publicBaseUrl: string): void {
  app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Recur API',
        version: '1.0.0',
        description:
          'Recurring billing on 2C2P Recurring Payment Plans. Errors are RFC 9457 problem documents (application/problem+json): ' +
          '400 when the request does not match the schema, 422 when a value cannot be accepted, each naming the field.',
      },
      servers: [{ url: publicBaseUrl }],
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'the merchant API key' },
          adminKey: { type: 'http', scheme: 'bearer', description: 'the admin key (RECUR_ADMIN_API_KEY)' },
        },
      },
      tags: [
        { name: 'subscriptions', description: 'Start, read, change, cancel and refund subscriptions' },
        { name: 'merchants', description: 'Merchant account at 2C2P' },
        { name: '2c2p', description: 'Callbacks from 2C2P' },
        { name: 'health', description: 'Liveness and readiness' },
        { name: 'admin', description: 'Merchant onboarding and keys (admin key only)' },
      ],
    },
  });
  app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.register(async (scope) => {
    scope.get('/openapi.json', { schema: { hide: true } }, async () => scope.swagger());
  });
}
