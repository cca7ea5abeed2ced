// The optional bearer token (METRICS_TOKEN) that guards GET /metrics on the API and the worker.
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Whether an Authorization header carries `token` as its bearer token. Compared as SHA-256 digests in
 * constant time, so neither the token's length nor its prefix leaks through timing.
 */
export function bearerTokenMatches(authorization: string | undefined, token: string): boolean {
  const presented = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '')?.[1];
  if (presented === undefined) return false;
  return timingSafeEqual(digest(presented), digest(token));
}
