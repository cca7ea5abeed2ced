// Wires the activities to their dependencies: a gateway client per merchant and one pg pool.
import { Context } from '@temporalio/activity';
import type pg from 'pg';
import { recordExchange } from '../db/index.js';
import type { GatewayClient, GatewayExchange } from '../gateway/client.js';
import type { RecurMetrics } from '../metrics/recur-metrics.js';
import { createGatewayActivities } from './gateway-activities.js';
import { observeGatewayExchange } from './gateway-metrics.js';
import { createLedgerActivities } from './ledger-activities.js';
import type { SubscriptionActivities } from './types.js';
import { createWebhookActivities } from './webhook-activities.js';
import type { WebhookActivities } from './webhook-types.js';

export interface ActivityDeps {
  pool: pg.Pool;
  /** The gateway client of a merchant, reporting every exchange to `observer`. */
  gatewayFor(merchantId: string, observer: (exchange: GatewayExchange) => void): GatewayClient | Promise<GatewayClient>;
  /** Where gateway calls, charges, refunds and dunning outcomes are counted; nothing is counted when absent. */
  metrics?: RecurMetrics;
}

/** Every activity of the subscription workflow and of the webhook delivery workflow. */
export function createActivities(deps: ActivityDeps): SubscriptionActivities & WebhookActivities {
  const { metrics } = deps;
  const gatewayFor: ActivityDeps['gatewayFor'] = metrics
    ? (merchantId, observer) =>
        deps.gatewayFor(merchantId, (exchange) => {
          observeGatewayExchange(metrics, exchange);
          observer(exchange);
        })
    : deps.gatewayFor;
  return {
    ...createGatewayActivities({
      gatewayFor,
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
    ...createLedgerActivities(deps.pool, metrics),
    ...createWebhookActivities({ pool: deps.pool, metrics }),
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
