// PATCH /v1/subscriptions/{id}, POST /v1/subscriptions/{id}/cancel and POST /v1/subscriptions/{id}/refunds.
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps.js';
import { responses, SubscriptionParams } from '../schemas/common.js';
import {
  CancelAnswer,
  CancelBody,
  PlanChangeAnswer,
  PlanChangeBody,
  RefundBody,
} from '../schemas/subscription-changes.js';
import { RefundResource } from '../schemas/subscription-resource.js';
import { cancelSubscription, changePlan, refundCharge } from '../use-cases/change-subscription.js';
import { IdempotencyHeaders, SECURED } from './route-docs.js';

type Params = Static<typeof SubscriptionParams>;

/** Registers the routes that change a running subscription (in the authenticated scope). */
export function subscriptionChangeRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.patch<{ Params: Params; Body: PlanChangeBody }>(
    '/v1/subscriptions/:id',
    {
      schema: {
        ...SECURED,
        summary: 'Change the plan (applied at 2C2P first)',
        description:
          '409 when the subscription cannot change now, 422 with gatewayCode/gatewayReason when 2C2P refuses.',
        params: SubscriptionParams,
        body: PlanChangeBody,
        response: responses({ 200: PlanChangeAnswer }),
      },
    },
    async (request) => changePlan(deps, request.merchantId, request.params.id, request.body),
  );

  app.post<{ Params: Params; Body: CancelBody }>(
    '/v1/subscriptions/:id/cancel',
    {
      schema: {
        ...SECURED,
        summary: 'Cancel the plan at 2C2P and refund by the chosen policy',
        params: SubscriptionParams,
        headers: IdempotencyHeaders,
        body: CancelBody,
        response: responses({ 200: CancelAnswer }),
      },
    },
    async (request) => cancelSubscription(deps, request.merchantId, request.params.id, request.body.refundPolicy),
  );

  app.post<{ Params: Params; Body: RefundBody }>(
    '/v1/subscriptions/:id/refunds',
    {
      schema: {
        ...SECURED,
        summary: 'Refund one charge (all that is left of it, or an amount)',
        description:
          'Answers 202: the refund waits for settlement and the balance, then runs once. 422 when it exceeds what is left.',
        params: SubscriptionParams,
        headers: IdempotencyHeaders,
        body: RefundBody,
        response: responses({ 202: RefundResource }),
      },
    },
    async (request, reply) =>
      reply.code(202).send(await refundCharge(deps, request.merchantId, request.params.id, request.body)),
  );
}
