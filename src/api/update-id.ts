// Workflow Update ids derived from the request's Idempotency-Key, so a retried request is tied to the first update.
import { createHash } from 'node:crypto';

/** One request that carries an Idempotency-Key: its merchant, the key, and the hash of its method, path and body. */
export interface IdempotentRequest {
  merchantId: string;
  key: string;
  requestHash: string;
}

const OPERATION = /^[a-z][A-Za-z0-9]{0,31}$/;

/**
 * The `updateId` of the Workflow Update a request executes: `${operation}-` and 32 hex digits of
 * SHA-256(merchantId, key, requestHash). A retry of the same request (same key, same body), for example
 * after a 503 released its key, gets the same id, so the workflow answers with the first update's result
 * instead of running it twice. The same key with another body is another request and gets another id.
 * Without an Idempotency-Key there is no id to derive: undefined, and Temporal generates one.
 *
 * @example workflowUpdateId('cancel', { merchantId: 'M1', key: 'k-1', requestHash: 'ab…' }) // 'cancel-3f…'
 */
export function workflowUpdateId(operation: string, request: IdempotentRequest | undefined): string | undefined {
  if (!OPERATION.test(operation)) throw new TypeError(`operation must be a camelCase word, got ${operation}`);
  if (!request) return undefined;
  // NUL cannot occur in a header value or a merchant id, so the three parts never run into each other.
  const digest = createHash('sha256')
    .update(`${request.merchantId}\0${request.key}\0${request.requestHash}`, 'utf8')
    .digest('hex');
  return `${operation}-${digest.slice(0, 32)}`;
}
