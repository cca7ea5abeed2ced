// GET /v1/events, GET /v1/events/{id} and POST /v1/events/{id}/redeliver, scoped to the API key's merchant.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { endpointsFor, getEndpoint, getEvent, listEvents, withTransaction, type EventRow } from '../../db/index.js';
import { EventResource } from '../../resources/event-resources.js';
import { presentEvent } from '../../resources/webhook-presenters.js';
import { startDelivery } from '../../webhooks/start-delivery.js';
import type { ApiDeps } from '../deps.js';
import { ProblemError } from '../problem.js';
import { responses } from '../schemas/common.js';
import { EventParams, ListEventsQuery, RedeliverBody } from '../schemas/webhooks.js';
import { withCursorProblem } from './page-cursor-problem.js';
import { IdempotencyHeaders } from './route-docs.js';

const TAGGED = { security: [{ apiKey: [] }], tags: ['events'] } as const;

async function ownedEvent(deps: ApiDeps, merchantId: string, id: string): Promise<EventRow> {
  const event = await getEvent(deps.pool, id, merchantId);
  if (!event) throw new ProblemError({ kind: 'not-found', detail: `no event ${id}` });
  return event;
}

/** Registers the event routes (in the authenticated scope). */
export function eventRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get<{ Querystring: ListEventsQuery }>(
    '/v1/events',
    {
      schema: {
        ...TAGGED,
        summary: "A page of the merchant's events, newest first",
        querystring: ListEventsQuery,
        response: responses({
          200: Type.Object({ items: Type.Array(EventResource), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
        }),
      },
    },
    async (request) => {
      const page = await withCursorProblem(() =>
        listEvents(deps.pool, { merchantId: request.merchantId, ...request.query }),
      );
      return { items: page.items.map(presentEvent), nextCursor: page.nextCursor };
    },
  );

  app.get<{ Params: Static<typeof EventParams> }>(
    '/v1/events/:id',
    { schema: { ...TAGGED, summary: 'One event', params: EventParams, response: responses({ 200: EventResource }) } },
    async (request) => presentEvent(await ownedEvent(deps, request.merchantId, request.params.id)),
  );

  app.post<{ Params: Static<typeof EventParams>; Body: Static<typeof RedeliverBody> }>(
    '/v1/events/:id/redeliver',
    {
      schema: {
        ...TAGGED,
        summary: 'Deliver the event again, to one endpoint or to every enabled endpoint that takes its type',
        params: EventParams,
        headers: IdempotencyHeaders,
        body: RedeliverBody,
        response: responses({
          202: Type.Object({
            deliveries: Type.Array(Type.Object({ id: Type.String(), endpointId: Type.String() })),
          }),
        }),
      },
    },
    async (request, reply) => {
      const event = await ownedEvent(deps, request.merchantId, request.params.id);
      const { endpointId } = request.body ?? {};
      let endpoints;
      if (endpointId) {
        const endpoint = await getEndpoint(deps.pool, endpointId, request.merchantId);
        if (!endpoint) throw new ProblemError({ kind: 'not-found', detail: `no webhook endpoint ${endpointId}` });
        if (endpoint.status !== 'enabled')
          throw new ProblemError({ kind: 'state-conflict', detail: `webhook endpoint ${endpointId} is disabled` });
        endpoints = [endpoint];
      } else endpoints = await endpointsFor(deps.pool, event.merchantId, event.type);
      const deliveries = [];
      for (const endpoint of endpoints) {
        // The delivery's row commits only once its workflow has started: a refused start leaves no orphan.
        const delivery = await withTransaction(deps.pool, (tx) =>
          startDelivery(deps.temporal, tx, deps.taskQueue, {
            merchantId: event.merchantId,
            endpointId: endpoint.id,
            eventId: event.id,
            redelivery: true,
          }),
        );
        deliveries.push({ id: delivery.id, endpointId: endpoint.id });
      }
      return reply.code(202).send({ deliveries });
    },
  );
}
