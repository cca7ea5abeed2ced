// POST /v1/subscriptions, GET /v1/subscriptions and GET /v1/subscriptions/{id}.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { decodeCursor, getSubscription, listSubscriptions, SUBSCRIPTION_STATUSES } from '../../db/index.js';
import type { ApiDeps } from '../deps.js';
import { presentSummary } from '../../resources/presenters.js';
import { ProblemError } from '../problem.js';
import { responses, SubscriptionParams } from '../schemas/common.js';
import { CheckoutSchema, CreateSubscriptionBody } from '../schemas/create-subscription.js';
import { SubscriptionResource, SubscriptionSummary } from '../../resources/subscription-resource.js';
import { readSubscription } from '../use-cases/read-subscription.js';
import { startSubscription } from '../use-cases/start-subscription.js';
import { startingOnTestClock } from '../test-clock.js';
import { toSubscriptionInput } from '../use-cases/subscription-input.js';
import { IdempotencyHeaders, SECURED } from './route-docs.js';

const ListQuery = Type.Object(
  {
    merchantId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: "the API key's merchant (any other is 404)" }),
    ),
    status: Type.Optional(
      Type.Union(
        SUBSCRIPTION_STATUSES.map((s) => Type.Literal(s)),
        { description: SUBSCRIPTION_STATUSES.join(', ') },
      ),
    ),
    customerId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'nextCursor of the previous page' }),
    ),
  },
  { additionalProperties: false },
);
type ListQuery = Static<typeof ListQuery>;

/** 400 naming `cursor` unless it is a cursor this API gave out. */
function assertCursor(cursor: string): void {
  try {
    decodeCursor(cursor);
  } catch {
    const reason = 'is not a cursor this API gave out';
    throw new ProblemError({
      kind: 'invalid-request',
      detail: `cursor: ${reason}`,
      errors: [{ field: 'cursor', reason }],
    });
  }
}

/** Registers the subscription collection routes (in the authenticated scope). */
export function subscriptionRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const now = deps.now ?? (() => new Date());
  const defaultBackendReturnUrl = `${deps.publicBaseUrl.replace(/\/+$/, '')}/v1/2c2p/notifications`;

  app.post<{ Body: CreateSubscriptionBody }>(
    '/v1/subscriptions',
    {
      schema: {
        ...SECURED,
        summary: 'Start a subscription and get its payment page',
        description:
          'Repeating the same request with the same subscriptionId returns the same page; it never creates a second plan. ' +
          'Another request with a subscriptionId already used (another customer, plan or field, or an ended ' +
          'subscription) answers 409 naming the first field that differs.',
        headers: IdempotencyHeaders,
        body: CreateSubscriptionBody,
        response: responses({ 201: CheckoutSchema }),
      },
    },
    async (request, reply) => {
      const { input, checkout, existing } = await startingOnTestClock(deps, async () => {
        // With a test clock the subscription starts at its time, and its workflow knows how far ahead it is.
        const clockNow = deps.testClock ? await deps.testClock.now() : now();
        const input = toSubscriptionInput(request.body, {
          merchantId: request.merchantId,
          now: clockNow,
          defaultBackendReturnUrl,
          timings: deps.subscriptionTimings,
          timeZone: deps.timeZone,
        });
        const ahead = clockNow.getTime() - Date.now();
        if (deps.testClock && ahead > 0) input.clockOffsetMs = ahead;
        // Ids are global in the projection: another merchant's id must not start a workflow whose rows would clash.
        const existing = await getSubscription(deps.pool, input.subscriptionId);
        if (existing && existing.merchantId !== request.merchantId) {
          throw new ProblemError({
            kind: 'already-exists',
            detail: 'this subscriptionId is already in use; choose another',
          });
        }
        const checkout = await startSubscription(deps.temporal, deps.taskQueue, input, existing);
        return { input, checkout, existing };
      });
      request.log.info(
        {
          merchantId: input.merchantId,
          subscriptionId: input.subscriptionId,
          customerId: input.customerId,
          amountMinor: input.plan.amountMinor,
          currency: input.plan.currency,
          status: checkout.status,
        },
        // A repeated request returns the page of the first: a second line would read as a second subscription.
        existing ? 'subscription request repeated' : 'subscription created',
      );
      return reply.code(201).send(checkout);
    },
  );

  app.get<{ Querystring: ListQuery }>(
    '/v1/subscriptions',
    {
      schema: {
        ...SECURED,
        summary: "A page of the merchant's subscriptions, newest first",
        querystring: ListQuery,
        response: responses({
          200: Type.Object({
            items: Type.Array(SubscriptionSummary),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
        }),
      },
    },
    async (request) => {
      const { merchantId, ...filters } = request.query;
      if (merchantId !== undefined && merchantId !== request.merchantId) {
        throw new ProblemError({ kind: 'not-found', detail: `no merchant ${merchantId} for this API key` });
      }
      if (filters.cursor !== undefined) assertCursor(filters.cursor);
      const page = await listSubscriptions(deps.pool, { merchantId: request.merchantId, ...filters });
      return { items: page.items.map(presentSummary), nextCursor: page.nextCursor };
    },
  );

  app.get<{ Params: Static<typeof SubscriptionParams> }>(
    '/v1/subscriptions/:id',
    {
      schema: {
        ...SECURED,
        summary: 'A subscription: live state while it runs, the stored record after it ended',
        params: SubscriptionParams,
        response: responses({ 200: SubscriptionResource }),
      },
    },
    async (request) => readSubscription(deps, request.merchantId, request.params.id),
  );
}
