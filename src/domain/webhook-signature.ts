// The Recur-Signature header of a webhook delivery, as Stripe signs its webhooks: `t=<unix seconds>` and one
// `v1=<hex HMAC-SHA256 of "<t>.<raw body>">` per valid secret. This module imports node:crypto only, so a
// merchant can copy it to verify deliveries.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header a delivery carries its signature in. */
export const SIGNATURE_HEADER = 'Recur-Signature';
/** How old a signature may be by default, against replays of a recorded delivery. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Why a signature does not verify; `code` is stable. */
export class WebhookSignatureError extends Error {
  readonly code: 'ERR_SIGNATURE_HEADER' | 'ERR_SIGNATURE_MISMATCH' | 'ERR_SIGNATURE_EXPIRED';

  constructor(code: WebhookSignatureError['code'], message: string) {
    super(message);
    this.name = 'WebhookSignatureError';
    this.code = code;
  }
}

function hmacHex(secret: string, timestamp: number, rawBody: string | Uint8Array): string {
  return createHmac('sha256', secret)
    .update(`${timestamp}.`)
    .update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody)
    .digest('hex');
}

/** The Recur-Signature value for `rawBody` at `timestamp` (unix seconds): one v1 per secret, in the order given. */
export function signRecurPayload(rawBody: string | Uint8Array, secrets: readonly string[], timestamp: number): string {
  if (secrets.length === 0) throw new TypeError('at least one secret is needed to sign');
  if (!Number.isInteger(timestamp)) throw new TypeError('timestamp must be whole unix seconds');
  return [`t=${timestamp}`, ...secrets.map((secret) => `v1=${hmacHex(secret, timestamp, rawBody)}`)].join(',');
}

/**
 * Checks a delivery: the header's timestamp is within `toleranceSeconds` of now and one of its v1 signatures is
 * the HMAC of the raw body (the bytes as received, before any JSON parsing) under `secret`. Returns the
 * timestamp; throws WebhookSignatureError otherwise.
 *
 * @example
 * verifyRecurSignature(rawBody, request.headers['recur-signature'], process.env.RECUR_WEBHOOK_SECRET);
 */
export function verifyRecurSignature(
  rawBody: string | Uint8Array,
  header: string | undefined,
  secret: string,
  options: { toleranceSeconds?: number; nowSeconds?: number } = {},
): number {
  const parts = (header ?? '').split(',').map((part) => part.trim().split('='));
  const timestamps = parts.filter(([key]) => key === 't').map(([, value]) => Number(value));
  const signatures = parts.filter(([key, value]) => key === 'v1' && value).map(([, value]) => value as string);
  const timestamp = timestamps[0];
  if (timestamps.length !== 1 || timestamp === undefined || !Number.isInteger(timestamp) || signatures.length === 0)
    throw new WebhookSignatureError('ERR_SIGNATURE_HEADER', 'the signature header is missing or malformed');
  const expected = Buffer.from(hmacHex(secret, timestamp, rawBody), 'utf8');
  const matches = signatures.some((signature) => {
    const given = Buffer.from(signature, 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) throw new WebhookSignatureError('ERR_SIGNATURE_MISMATCH', 'no signature matches the body');
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS))
    throw new WebhookSignatureError('ERR_SIGNATURE_EXPIRED', 'the signature is outside the tolerance');
  return timestamp;
}
