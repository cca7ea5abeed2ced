// Wires the activities to their dependencies: a gateway client per merchant and one pg pool.
import { Context } from '@temporalio/activity';
import type pg from 'pg';
import { recordExchange } from '../db/index.js';
import type { GatewayClient, GatewayExchange } from '../gateway/client.js';
import { createGatewayActivities } from './gateway-activities.js';
import { createLedgerActivities } from './ledger-activities.js';
import type { SubscriptionActivities } from './types.js';
import { createWebhookActivities } from './webhook-activities.js';
import type { AttemptResult, WebhookActivities } from './webhook-types.js';

export interface ActivityDeps {
  pool: pg.Pool;
  /** The gateway client of a merchant, reporting every exchange to `observer`. */
  gatewayFor(merchantId: string, observer: (exchange: GatewayExchange) => void): GatewayClient;
  /** Told the result of every webhook delivery attempt (for metrics). */
  onWebhookAttempt?: (result: AttemptResult) => void;
}

/** Every activity of the subscription workflow and of the webhook delivery workflow. */
export function createActivities(deps: ActivityDeps): SubscriptionActivities & WebhookActivities {
  return {
    ...createGatewayActivities({
      gatewayFor: deps.gatewayFor,
      async audit(context, exchanges) {
        const activityRef = currentActivityRef();
        for (const exchange of exchanges) {
          await recordExchange(deps.pool, {
            ...exchange,
            merchantId: context.merchantId,
            subscriptionId: context.subscriptionId,
            activityRef,
          });
        }
      },
    }),
    ...createLedgerActivities(deps.pool),
    ...createWebhookActivities({ pool: deps.pool, onAttempt: deps.onWebhookAttempt }),
  };
}

/** `workflowId/activityId#attempt` of the running activity, so an audit row leads back to its run. */
function currentActivityRef(): string | null {
  try {
    const info = Context.current().info;
    return `${info.workflowExecution?.workflowId ?? '-'}/${info.activityId}#${info.attempt}`;
  } catch {
    return null;
  }
}
