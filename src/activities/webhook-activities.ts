// Webhook delivery: one signed POST per attempt, each recorded; the end of a delivery, which may disable its
// endpoint. Secrets are read from PostgreSQL at each attempt and never leave this module.
import type pg from 'pg';
import {
  completeDelivery,
  createDelivery,
  deliveryIdOf,
  disableEndpoint,
  endpointSucceededSince,
  getEndpoint,
  getEvent,
  recordAttempt,
  recordEvent,
  signingSecrets,
  withTransaction,
  type EventRow,
} from '../db/index.js';
import type { EventType } from '../domain/event-types.js';
import { SIGNATURE_HEADER, signRecurPayload } from '../domain/webhook-signature.js';
import type { RecurMetrics } from '../metrics/recur-metrics.js';
import { webhookDeliveryResult } from '../metrics/webhook-result.js';
import { presentEndpoint, presentEvent } from '../resources/webhook-presenters.js';
import { logEvent } from './business-log.js';
import type { AttemptResult, DeliveryRef, WebhookActivities } from './webhook-types.js';

/** How long one POST may take before it counts as failed. */
export const DELIVERY_TIMEOUT_MS = 10_000;

export interface WebhookActivityDeps {
  pool: pg.Pool;
  /** The clock signatures are dated by (the machine's by default). */
  nowMs?: () => number;
  /** Where every attempt that reached the wire is counted (recur_webhook_deliveries_total); nothing when absent. */
  metrics?: RecurMetrics;
}

/** The JSON body of a delivery: the event as GET /v1/events/{id} shows it. */
export function deliveryBody(event: EventRow): string {
  return JSON.stringify(presentEvent(event));
}

/** The activities of the webhook delivery workflow. */
export function createWebhookActivities(deps: WebhookActivityDeps): WebhookActivities {
  const { pool } = deps;
  const nowMs = deps.nowMs ?? Date.now;

  /** One POST, recorded; `detail` (status code or wire error) is for the log line. */
  async function post(
    ref: DeliveryRef & { attempt: number },
    deliveryId: string,
  ): Promise<{ result: AttemptResult; detail?: string }> {
    const [endpoint, event, secrets] = await Promise.all([
      getEndpoint(pool, ref.endpointId, ref.merchantId),
      getEvent(pool, ref.eventId, ref.merchantId),
      signingSecrets(pool, ref.endpointId),
    ]);
    if (!endpoint || endpoint.status !== 'enabled' || !event || secrets.length === 0) return { result: 'canceled' };
    const body = deliveryBody(event);
    const started = performance.now();
    let statusCode: number | null = null;
    let excerpt: string | null = null;
    let error: string | null = null;
    let timedOut = false;
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Recur-Webhooks/1',
          [SIGNATURE_HEADER]: signRecurPayload(body, secrets, Math.floor(nowMs() / 1000)),
          'Recur-Event-Id': event.id,
        },
        body,
      });
      statusCode = response.status;
      excerpt = (await response.text()).slice(0, 2048);
    } catch (failure) {
      // The message says what went wrong on the wire (timeout, refused); it carries no secret.
      error = wireError(failure);
      timedOut = failure instanceof Error && failure.name === 'TimeoutError';
    }
    deps.metrics?.webhookDeliveries.inc({
      result: webhookDeliveryResult({ httpStatus: statusCode ?? undefined, timedOut }),
    });
    const succeeded = statusCode !== null && statusCode >= 200 && statusCode < 300;
    await recordAttempt(pool, {
      deliveryId,
      attempt: ref.attempt,
      succeeded,
      statusCode,
      durationMs: performance.now() - started,
      responseExcerpt: excerpt,
      error,
    });
    return { result: succeeded ? 'succeeded' : 'failed', detail: error ?? `HTTP ${statusCode}` };
  }

  return {
    async attemptWebhookDelivery(request) {
      // The dispatcher may still hold the delivery's row in its transaction: this insert waits for it.
      const delivery = await createDelivery(pool, request).catch((error: unknown) => {
        // 23503: the endpoint was deleted before its delivery was recorded; there is nowhere to deliver.
        if ((error as { code?: string }).code === '23503') return undefined;
        throw error;
      });
      const { result, detail } = delivery ? await post(request, delivery.id) : { result: 'canceled' as const };
      if (result === 'failed')
        logEvent('warn', 'webhook attempt failed', {
          merchantId: request.merchantId,
          subscriptionId: '',
          endpointId: request.endpointId,
          eventId: request.eventId,
          attempt: request.attempt,
          detail,
        });
      return result;
    },

    async concludeWebhookDelivery(request) {
      const deliveryId = deliveryIdOf(request.workflowId);
      return withTransaction(pool, async (tx) => {
        await completeDelivery(tx, deliveryId, request.status);
        if (request.status !== 'failed') return { endpointDisabled: false };
        if (await endpointSucceededSince(tx, request.endpointId, deliveryId)) return { endpointDisabled: false };
        const disabled = await disableEndpoint(tx, request.endpointId, 'every delivery failed for 3 days');
        if (!disabled) return { endpointDisabled: false };
        await recordEvent(tx, {
          merchantId: disabled.merchantId,
          subscriptionId: null,
          type: 'webhook_endpoint.disabled' satisfies EventType,
          dedupeKey: `${disabled.id}/${deliveryId}`,
          data: presentEndpoint(disabled),
        });
        logEvent('warn', 'webhook endpoint disabled', {
          merchantId: disabled.merchantId,
          subscriptionId: '',
          endpointId: disabled.id,
        });
        return { endpointDisabled: true };
      });
    },
  };
}

/** What went wrong on the wire: fetch's own message ("fetch failed") hides the reason in its cause. */
function wireError(failure: unknown): string {
  if (!(failure instanceof Error)) return String(failure);
  const cause = failure.cause instanceof Error ? `: ${failure.cause.message}` : '';
  return `${failure.name}: ${failure.message}${cause}`.slice(0, 500);
}
