// Merchant API keys: the plaintext is shown once at creation; only its SHA-256 is stored and looked up.
import { randomBytes } from 'node:crypto';
import type { Queryable } from './pool.js';
import { assertText, sha256Hex, toIso, toIsoOrNull } from './row-values.js';

/** Which 2C2P a key's deployment talks to: `test` with the sandbox, `live` with real 2C2P. */
export type ApiKeyMode = 'test' | 'live';

/** The prefix that tells a key's mode at a glance, as Stripe's `sk_test_` and `sk_live_` do. */
export const API_KEY_PREFIXES: Readonly<Record<ApiKeyMode, string>> = { test: 'rk_test_', live: 'rk_live_' };

/** Characters of the plaintext kept in clear so an operator can tell keys apart (both prefixes are 8 long). */
const SHOWN_CHARACTERS = 'rk_test_'.length + 6;
/** Keys of either mode authenticate: the mode says what the deployment is, not what the key may do. */
const KEY_PATTERN = /^rk_(test|live)_[A-Za-z0-9_-]{43}$/;

/** A key as listed to its merchant: never the hash, never the plaintext. */
export interface ApiKeyRow {
  id: string;
  merchantId: string;
  /** The first characters of the key, e.g. `rk_test_AbC123`. */
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
}

/**
 * Creates a key for a merchant (creating the merchant, named after its id, if unknown); `key` is shown only here.
 * `mode` is `test` when the deployment uses the 2C2P sandbox and `live` only when it uses real 2C2P.
 */
export async function createApiKey(
  db: Queryable,
  merchantId: string,
  options: { mode: ApiKeyMode },
): Promise<ApiKeyRow & { key: string }> {
  assertText(merchantId, 'merchantId');
  const mode: unknown = options?.mode;
  if (mode !== 'test' && mode !== 'live') throw new TypeError(`mode must be "test" or "live", got ${String(mode)}`);
  const key = API_KEY_PREFIXES[mode] + randomBytes(32).toString('base64url');
  const id = `key_${randomBytes(12).toString('hex')}`;
  await db.query('INSERT INTO merchants (id, name) VALUES ($1, $1) ON CONFLICT (id) DO NOTHING', [merchantId]);
  const { rows } = await db.query(
    `INSERT INTO api_keys (id, merchant_id, key_hash, prefix) VALUES ($1, $2, $3, $4)
     RETURNING id, merchant_id, prefix, created_at, revoked_at`,
    [id, merchantId, sha256Hex(key), key.slice(0, SHOWN_CHARACTERS)],
  );
  return { ...toApiKey(rows[0] as Record<string, unknown>), key };
}

/** The merchant a plaintext bearer key belongs to; undefined for an unknown, malformed or revoked key. */
export async function findMerchantByApiKey(
  db: Queryable,
  plaintext: string,
): Promise<{ merchantId: string; keyId: string } | undefined> {
  if (typeof plaintext !== 'string') throw new TypeError('plaintext must be a string');
  // Looking up the hash, not the key, means no comparison of secrets happens in this process or the database.
  if (!KEY_PATTERN.test(plaintext)) return undefined;
  const { rows } = await db.query<{ id: string; merchant_id: string }>(
    'SELECT id, merchant_id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
    [sha256Hex(plaintext)],
  );
  const row = rows[0];
  return row ? { merchantId: row.merchant_id, keyId: row.id } : undefined;
}

/** Revokes a key; false when it does not exist or was already revoked. */
export async function revokeApiKey(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [
    id,
  ]);
  return (rowCount ?? 0) > 0;
}

/** A merchant's keys, newest first, revoked ones included. */
export async function listApiKeys(db: Queryable, merchantId: string): Promise<ApiKeyRow[]> {
  const { rows } = await db.query(
    `SELECT id, merchant_id, prefix, created_at, revoked_at FROM api_keys WHERE merchant_id = $1
     ORDER BY created_at DESC, id`,
    [merchantId],
  );
  return rows.map(toApiKey);
}

function toApiKey(r: Record<string, unknown>): ApiKeyRow {
  return {
    id: r.id as string,
    merchantId: r.merchant_id as string,
    prefix: r.prefix as string,
    createdAt: toIso(r.created_at),
    revokedAt: toIsoOrNull(r.revoked_at),
  };
}
