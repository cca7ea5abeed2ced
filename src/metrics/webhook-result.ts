// The result label of one outgoing webhook delivery attempt: a few fixed values, whatever the endpoint answers.

/** `succeeded` for a 2xx answer; otherwise the class of the answer, or why none came. */
export type WebhookDeliveryResult = 'succeeded' | 'http_3xx' | 'http_4xx' | 'http_5xx' | 'timeout' | 'network_error';

/**
 * Classifies an attempt for recur_webhook_deliveries_total: by the endpoint's HTTP status when it answered,
 * else `timeout` or `network_error` (refused, reset, DNS). An unusual status (1xx, 6xx) counts with 5xx: the
 * endpoint did not take the event.
 */
export function webhookDeliveryResult(attempt: { httpStatus?: number; timedOut?: boolean }): WebhookDeliveryResult {
  const status = attempt.httpStatus;
  if (status === undefined) return attempt.timedOut ? 'timeout' : 'network_error';
  if (status >= 200 && status < 300) return 'succeeded';
  if (status >= 300 && status < 400) return 'http_3xx';
  if (status >= 400 && status < 500) return 'http_4xx';
  return 'http_5xx';
}
