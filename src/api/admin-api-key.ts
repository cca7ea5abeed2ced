// The admin key (RECUR_ADMIN_API_KEY): a bearer key for /v1/admin only, kept apart from every merchant's keys.
import { createHash, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../config.js';

/** The variable holding the admin key; the admin routes exist only when it is set. */
export const ADMIN_API_KEY_VARIABLE = 'RECUR_ADMIN_API_KEY';

/** The admin key from the environment, or undefined; ConfigError (never echoing it) when it is too weak. */
export function adminApiKeyFrom(env: NodeJS.ProcessEnv): string | undefined {
  const key = env[ADMIN_API_KEY_VARIABLE]?.trim();
  if (!key) return undefined;
  if (key.length < 32 || /\s/.test(key))
    throw new ConfigError([
      `${ADMIN_API_KEY_VARIABLE}: must be at least 32 characters without spaces (e.g. \`openssl rand -base64 32\`)`,
    ]);
  return key;
}

/** Compares a presented bearer key with the admin key in constant time (hashes first, so lengths do not leak). */
export function isAdminKey(adminKey: string, presented: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(adminKey), digest(presented));
}
