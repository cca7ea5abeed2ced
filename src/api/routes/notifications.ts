// POST /v1/2c2p/notifications: the backendReturnUrl 2C2P posts {"payload": "<HS256 JWT>"} to (no API key).
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps.js';
import { responses } from '../schemas/common.js';
import { receiveNotification } from '../use-cases/receive-notification.js';

const NotificationBody = Type.Object({
  payload: Type.String({ minLength: 1, maxLength: 16_384, description: 'HS256 JWT signed with the merchant secret' }),
});
const NotificationAnswer = Type.Object({ received: Type.Boolean() });

/** Registers the notification route in its own scope, which also takes bodies that are not JSON (and refuses them with 400). */
export function notificationRoutes(app: FastifyInstance, deps: ApiDeps): void {
  // Any other media type reaches the schema as text and fails it: 2C2P gets a 400, not a 415.
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.post<{ Body: Static<typeof NotificationBody> }>(
    '/v1/2c2p/notifications',
    {
      schema: {
        tags: ['2c2p'],
        summary: "2C2P's backend notification of a payment",
        description:
          'Verified with the merchant secret, stored once, signalled to its subscription. A forged or malformed one gets 400 and changes nothing.',
        body: NotificationBody,
        response: responses({ 200: NotificationAnswer }),
      },
    },
    async (request) => {
      await receiveNotification({ ...deps, log: request.log }, request.body.payload);
      return { received: true };
    },
  );
}
