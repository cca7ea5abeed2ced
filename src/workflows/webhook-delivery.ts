// One event to one endpoint, at least once: POST, and after a failure wait 30 s, 1 min, 2 min, … (at most 6 h)
// and POST again, for up to 3 days. Then the delivery is failed, which may disable the endpoint.
// The POSTs and the closing write run as local activities: a delivery that succeeds at once is one workflow
// task, not three tasks and two activity round trips, so deliveries weigh little beside the checkouts
// and charges they announce. Runs started before the patch keep regular activities.
import {
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  sleep,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { AttemptResult, WebhookActivities } from '../activities/webhook-types.js';
import { retryDelayMs, shouldRetry } from '../domain/webhook-retry.js';
import type { DeliveryOutcome, DeliveryRef } from './webhook-definitions.js';

export const LOCAL_ATTEMPTS_PATCH = 'webhook-local-attempts';

/**
 * One POST. The activity's own retries cover the worker losing PostgreSQL, not the endpoint failing (that is a
 * result, retried by the workflow on its schedule); the POST's timeout (10 s) is well inside this one.
 */
const POST: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
};

/** Recording the end: retried until PostgreSQL answers (it is idempotent). */
const CONCLUDE: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

type Post = Pick<WebhookActivities, 'attemptWebhookDelivery'>;
type Conclude = Pick<WebhookActivities, 'concludeWebhookDelivery'>;

/** Delivers one event to one endpoint; the answer is how the delivery ended. */
export async function webhookDeliveryWorkflow(ref: DeliveryRef): Promise<DeliveryOutcome> {
  const local = patched(LOCAL_ATTEMPTS_PATCH);
  const post = local ? proxyLocalActivities<Post>(POST) : proxyActivities<Post>(POST);
  const conclude = local ? proxyLocalActivities<Conclude>(CONCLUDE) : proxyActivities<Conclude>(CONCLUDE);
  const startedAt = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    const result = await attemptOnce(post, ref, attempt);
    if (result !== 'failed') {
      await conclude.concludeWebhookDelivery({ ...ref, status: result });
      return result;
    }
    if (!shouldRetry(attempt, Date.now() - startedAt)) break;
    await sleep(retryDelayMs(attempt));
  }
  await conclude.concludeWebhookDelivery({ ...ref, status: 'failed' });
  return 'failed';
}

/** One attempt; an activity that could not even record its POST counts as a failed attempt. */
async function attemptOnce(post: Post, ref: DeliveryRef, attempt: number): Promise<AttemptResult> {
  try {
    return await post.attemptWebhookDelivery({ ...ref, attempt });
  } catch (error) {
    if (isCancellation(error)) throw error;
    return 'failed';
  }
}
