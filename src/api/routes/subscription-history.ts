// GET /v1/subscriptions/{id}/charges, /refunds and /exchanges, from the database projection and audit.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { listCharges, listExchanges, listRefunds } from '../../db/index.js';
import type { ApiDeps } from '../deps.js';
import { presentChargeRow, presentExchange, presentRefundRow } from '../../resources/presenters.js';
import { subscriptionNotFound } from '../problem.js';
import { responses, SubscriptionParams } from '../schemas/common.js';
import { ChargeResource, GatewayExchangeResource, RefundResource } from '../../resources/subscription-resource.js';
import { runningView, storedSubscription, subscriptionHandle } from '../use-cases/read-subscription.js';
import { SECURED } from './route-docs.js';

type Params = Static<typeof SubscriptionParams>;
const ExchangesQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 500 })),
    after: Type.Optional(Type.Integer({ minimum: 0, description: 'id of the last exchange already read' })),
  },
  { additionalProperties: false },
);

/**
 * Checks the subscription is the merchant's: its stored row, or (just after it started, before the
 * workflow's first write lands) its running workflow. 404 otherwise.
 */
async function assertOwned(deps: ApiDeps, merchantId: string, subscriptionId: string): Promise<void> {
  if (await storedSubscription(deps.pool, merchantId, subscriptionId)) return;
  if (await runningView(subscriptionHandle(deps.temporal, merchantId, subscriptionId))) return;
  throw subscriptionNotFound(subscriptionId);
}

/** Registers the history routes (in the authenticated scope). */
export function subscriptionHistoryRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const schema = (
    summary: string,
    item: typeof ChargeResource | typeof RefundResource | typeof GatewayExchangeResource,
  ) => ({
    ...SECURED,
    summary,
    params: SubscriptionParams,
    response: responses({ 200: Type.Object({ items: Type.Array(item) }) }),
  });

  app.get<{ Params: Params }>(
    '/v1/subscriptions/:id/charges',
    { schema: schema('Charges, in the order they happened', ChargeResource) },
    async (request) => {
      await assertOwned(deps, request.merchantId, request.params.id);
      const rows = await listCharges(deps.pool, request.params.id);
      return { items: rows.filter((r) => r.merchantId === request.merchantId).map(presentChargeRow) };
    },
  );

  app.get<{ Params: Params }>(
    '/v1/subscriptions/:id/refunds',
    { schema: schema('Refunds, oldest first', RefundResource) },
    async (request) => {
      await assertOwned(deps, request.merchantId, request.params.id);
      const rows = await listRefunds(deps.pool, request.params.id);
      return { items: rows.filter((r) => r.merchantId === request.merchantId).map(presentRefundRow) };
    },
  );

  app.get<{ Params: Params; Querystring: Static<typeof ExchangesQuery> }>(
    '/v1/subscriptions/:id/exchanges',
    {
      schema: {
        ...schema(
          'Every exchange with 2C2P for this subscription (decoded; no keys; cards masked)',
          GatewayExchangeResource,
        ),
        querystring: ExchangesQuery,
      },
    },
    async (request) => {
      await assertOwned(deps, request.merchantId, request.params.id);
      const rows = await listExchanges(deps.pool, request.params.id, {
        limit: request.query.limit,
        afterId: request.query.after,
      });
      return { items: rows.filter((r) => r.merchantId === request.merchantId).map(presentExchange) };
    },
  );
}
