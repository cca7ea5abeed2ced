// PATCH /v1/subscriptions/{id}, POST /v1/subscriptions/{id}/cancel, /refunds and /retry.
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
  RetryAnswer,
  RetryBody,
} from '../schemas/subscription-changes.js';
import { RefundResource } from '../../resources/subscription-resource.js';
import { workflowUpdateId, type IdempotentRequest } from '../update-id.js';
import { cancelSubscription, changePlan, refundCharge } from '../use-cases/change-subscription.js';
import { retrySubscription } from '../use-cases/retry-subscription.js';
import type { UpdateTarget } from '../use-cases/running-subscription.js';
import { IdempotencyHeaders, SECURED } from './route-docs.js';

type Params = Static<typeof SubscriptionParams>;
type ChangeRequest = { merchantId: string; params: Params; idempotency?: IdempotentRequest };

/** The subscription a request changes, and the id its Update gets from the request's Idempotency-Key. */
function target(request: ChangeRequest, operation: string): UpdateTarget {
  return {
    merchantId: request.merchantId,
    subscriptionId: request.params.id,
    updateId: workflowUpdateId(operation, request.idempotency),
  };
}

/** Registers the routes that change a running subscription (in the authenticated scope). */
export function subscriptionChangeRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.patch<{ Params: Params; Body: PlanChangeBody }>(
    '/v1/subscriptions/:id',
    {
      schema: {
        ...SECURED,
        summary: 'Change the plan (applied at 2C2P first)',
        description:
          '422 naming the field when the plan it would make breaks a plan rule (the rules POST applies, with the ' +
          "subscription's dunning window), 409 when the subscription cannot change now, 422 with " +
          'gatewayCode/gatewayReason when 2C2P refuses.',
        params: SubscriptionParams,
        headers: IdempotencyHeaders,
        body: PlanChangeBody,
        response: responses({ 200: PlanChangeAnswer }),
      },
    },
    async (request) => changePlan(deps, target(request, 'changePlan'), request.body),
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
    async (request) => cancelSubscription(deps, target(request, 'cancel'), request.body.refundPolicy),
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
    async (request, reply) => reply.code(202).send(await refundCharge(deps, target(request, 'refund'), request.body)),
  );

  app.post<{ Params: Params; Body: RetryBody }>(
    '/v1/subscriptions/:id/retry',
    {
      schema: {
        ...SECURED,
        summary: 'Retry now the 2C2P call a needs_attention subscription is waiting on',
        description:
          'A subscription is needs_attention when 2C2P gave an answer the engine cannot act on (its attention field ' +
          'says which call and why); the workflow retries on a slow schedule, and this asks it to retry at once. ' +
          'Answers the status afterwards: the one it returned to, or still needs_attention. 409 when nothing awaits ' +
          'a retry or the subscription has ended.',
        params: SubscriptionParams,
        headers: IdempotencyHeaders,
        body: RetryBody,
        response: responses({ 200: RetryAnswer }),
      },
    },
    async (request) => retrySubscription(deps, target(request, 'retry')),
  );
}
