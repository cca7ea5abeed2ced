// /v1/webhook-endpoints: where a merchant's events are POSTed. The signing secret is answered at creation and
// rotation only.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  listDeliveries,
  listEndpoints,
  rotateEndpointSecret,
  updateEndpoint,
  type EndpointRow,
} from '../../db/index.js';
import { isEventType } from '../../domain/event-types.js';
import {
  WebhookDeliveryResource,
  WebhookEndpointResource,
  WebhookEndpointWithSecret,
} from '../../resources/event-resources.js';
import { presentDelivery, presentEndpoint } from '../../resources/webhook-presenters.js';
import type { ApiDeps } from '../deps.js';
import { ProblemError, unprocessable } from '../problem.js';
import { responses } from '../schemas/common.js';
import {
  CreateEndpointBody,
  EndpointParams,
  PageQuery,
  RotateSecretBody,
  UpdateEndpointBody,
} from '../schemas/webhooks.js';
import { withCursorProblem } from './page-cursor-problem.js';
import { IdempotencyHeaders } from './route-docs.js';

const TAGGED = { security: [{ apiKey: [] }], tags: ['webhooks'] } as const;
type Params = Static<typeof EndpointParams>;
const Page = (item: typeof WebhookEndpointResource | typeof WebhookDeliveryResource) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });

/** 422 naming `url` unless it is an absolute http(s) URL without credentials. */
function readUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw unprocessable('url', 'is not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw unprocessable('url', 'must be http or https');
  if (url.username || url.password) throw unprocessable('url', 'must not carry credentials');
  return url.toString();
}

/** 422 naming the entry unless each is a known event type, or the list is exactly ["*"]. */
function readEnabledEvents(types: string[]): string[] {
  if (types.includes('*')) {
    if (types.length > 1) throw unprocessable('enabledEvents', '"*" stands alone');
    return types;
  }
  types.forEach((type, i) => {
    if (!isEventType(type)) throw unprocessable(`enabledEvents[${i}]`, `${JSON.stringify(type)} is not an event type`);
  });
  return [...new Set(types)];
}

function notFound(id: string): ProblemError {
  return new ProblemError({ kind: 'not-found', detail: `no webhook endpoint ${id}` });
}

function withSecret(row: EndpointRow, secret: string) {
  return { ...presentEndpoint(row), secret };
}

/** Registers the webhook endpoint routes (in the authenticated scope). */
export function webhookEndpointRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.post<{ Body: CreateEndpointBody }>(
    '/v1/webhook-endpoints',
    {
      schema: {
        ...TAGGED,
        summary: 'Register a webhook endpoint; the answer carries its signing secret, shown this once',
        headers: IdempotencyHeaders,
        body: CreateEndpointBody,
        response: responses({ 201: WebhookEndpointWithSecret }),
      },
    },
    async (request, reply) => {
      const { row, secret } = await createEndpoint(deps.pool, {
        merchantId: request.merchantId,
        url: readUrl(request.body.url),
        enabledEvents: readEnabledEvents(request.body.enabledEvents),
        description: request.body.description ?? null,
      });
      request.log.info({ merchantId: row.merchantId, endpointId: row.id }, 'webhook endpoint created');
      return reply.code(201).send(withSecret(row, secret));
    },
  );

  app.get<{ Querystring: PageQuery }>(
    '/v1/webhook-endpoints',
    {
      schema: {
        ...TAGGED,
        summary: "The merchant's webhook endpoints, newest first",
        querystring: PageQuery,
        response: responses({ 200: Page(WebhookEndpointResource) }),
      },
    },
    async (request) => {
      const page = await withCursorProblem(() =>
        listEndpoints(deps.pool, { merchantId: request.merchantId, ...request.query }),
      );
      return { items: page.items.map(presentEndpoint), nextCursor: page.nextCursor };
    },
  );

  app.get<{ Params: Params }>(
    '/v1/webhook-endpoints/:id',
    {
      schema: {
        ...TAGGED,
        summary: 'One webhook endpoint',
        params: EndpointParams,
        response: responses({ 200: WebhookEndpointResource }),
      },
    },
    async (request) => {
      const row = await getEndpoint(deps.pool, request.params.id, request.merchantId);
      if (!row) throw notFound(request.params.id);
      return presentEndpoint(row);
    },
  );

  app.patch<{ Params: Params; Body: UpdateEndpointBody }>(
    '/v1/webhook-endpoints/:id',
    {
      schema: {
        ...TAGGED,
        summary: 'Change the URL, event types, description or status (enabled/disabled) of an endpoint',
        params: EndpointParams,
        headers: IdempotencyHeaders,
        body: UpdateEndpointBody,
        response: responses({ 200: WebhookEndpointResource }),
      },
    },
    async (request) => {
      const { url, enabledEvents, ...rest } = request.body;
      const row = await updateEndpoint(deps.pool, request.params.id, request.merchantId, {
        ...rest,
        ...(url !== undefined ? { url: readUrl(url) } : {}),
        ...(enabledEvents !== undefined ? { enabledEvents: readEnabledEvents(enabledEvents) } : {}),
      });
      if (!row) throw notFound(request.params.id);
      return presentEndpoint(row);
    },
  );

  app.delete<{ Params: Params }>(
    '/v1/webhook-endpoints/:id',
    {
      schema: {
        ...TAGGED,
        summary: 'Delete an endpoint and its delivery records; deliveries under way stop',
        params: EndpointParams,
        response: responses({ 204: Type.Null() }),
      },
    },
    async (request, reply) => {
      if (!(await deleteEndpoint(deps.pool, request.params.id, request.merchantId))) throw notFound(request.params.id);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: Params; Body: Static<typeof RotateSecretBody> }>(
    '/v1/webhook-endpoints/:id/rotate-secret',
    {
      schema: {
        ...TAGGED,
        summary: 'Replace the signing secret; the old one keeps signing beside it for overlapSeconds',
        params: EndpointParams,
        headers: IdempotencyHeaders,
        body: RotateSecretBody,
        response: responses({ 200: WebhookEndpointWithSecret }),
      },
    },
    async (request) => {
      const overlap = request.body?.overlapSeconds ?? 86_400;
      const rotated = await rotateEndpointSecret(deps.pool, request.params.id, request.merchantId, overlap);
      if (!rotated) throw notFound(request.params.id);
      request.log.info({ merchantId: request.merchantId, endpointId: request.params.id }, 'webhook secret rotated');
      return withSecret(rotated.row, rotated.secret);
    },
  );

  app.get<{ Params: Params; Querystring: PageQuery }>(
    '/v1/webhook-endpoints/:id/deliveries',
    {
      schema: {
        ...TAGGED,
        summary: "The endpoint's deliveries, newest first, each with every attempt",
        params: EndpointParams,
        querystring: PageQuery,
        response: responses({ 200: Page(WebhookDeliveryResource) }),
      },
    },
    async (request) => {
      if (!(await getEndpoint(deps.pool, request.params.id, request.merchantId))) throw notFound(request.params.id);
      const page = await withCursorProblem(() =>
        listDeliveries(deps.pool, { endpointId: request.params.id, ...request.query }),
      );
      return { items: page.items.map(presentDelivery), nextCursor: page.nextCursor };
    },
  );
}
