// Idempotency-Key records for POST and PATCH routes, Stripe style: same key and body replays, another body is refused.
import type { Queryable } from './pool.js';
import { assertText, jsonParam } from './row-values.js';

/** What the API should do with a request carrying an Idempotency-Key. */
export type IdempotencyBegin =
  | { kind: 'new' } // run the request, then completeIdempotent or abandonIdempotent
  | { kind: 'replay'; status: number; body: unknown } // answer exactly this again
  | { kind: 'mismatch' } // same key, different request: 422
  | { kind: 'in_progress' }; // the first request with this key is still running: 409

interface StoredKey {
  request_hash: string;
  state: string;
  response_status: number | null;
  response_body: unknown;
}

export interface IdempotencyKeyRef {
  merchantId: string;
  /** The header value: 1 to 255 characters. */
  key: string;
}

/** Claims a key for a request, or says why the request must not run. */
export async function beginIdempotent(
  db: Queryable,
  ref: IdempotencyKeyRef & {
    /** A hash of the canonical request (method, path, body); the same key with another hash is a mismatch. */
    requestHash: string;
    /** An in-progress claim older than this was left by a crashed process and may be taken over (default 2 min). */
    staleAfterMs?: number;
  },
): Promise<IdempotencyBegin> {
  assertKey(ref);
  assertText(ref.requestHash, 'requestHash');
  const staleAfterMs = ref.staleAfterMs ?? 120_000;
  // A claim can vanish between the insert and the read (abandoned after a 5xx): then try again.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const claimed = await db.query(
      `INSERT INTO idempotency_keys (merchant_id, key, request_hash, state) VALUES ($1, $2, $3, 'in_progress')
       ON CONFLICT (merchant_id, key) DO NOTHING RETURNING key`,
      [ref.merchantId, ref.key, ref.requestHash],
    );
    if (claimed.rows[0]) return { kind: 'new' };
    const { rows } = await db.query<StoredKey>(
      `SELECT request_hash, state, response_status, response_body FROM idempotency_keys
       WHERE merchant_id = $1 AND key = $2`,
      [ref.merchantId, ref.key],
    );
    const row = rows[0];
    if (!row) continue;
    if (row.request_hash !== ref.requestHash) return { kind: 'mismatch' };
    if (row.state === 'completed') {
      return { kind: 'replay', status: row.response_status ?? 200, body: row.response_body };
    }
    // The WHERE is re-checked after a concurrent takeover commits, so only one request takes a stale claim.
    const takenOver = await db.query(
      `UPDATE idempotency_keys SET created_at = now()
       WHERE merchant_id = $1 AND key = $2 AND request_hash = $3 AND state = 'in_progress'
         AND created_at < now() - ($4::double precision * interval '1 millisecond')
       RETURNING key`,
      [ref.merchantId, ref.key, ref.requestHash, staleAfterMs],
    );
    return takenOver.rows[0] ? { kind: 'new' } : { kind: 'in_progress' };
  }
  return { kind: 'in_progress' };
}

/** Stores the answer of a claimed request so retries replay it; false when the claim is gone. */
export async function completeIdempotent(
  db: Queryable,
  ref: IdempotencyKeyRef & { status: number; body: unknown },
): Promise<boolean> {
  assertKey(ref);
  if (!Number.isInteger(ref.status) || ref.status < 100 || ref.status > 599) {
    throw new RangeError('status must be an HTTP status');
  }
  const { rowCount } = await db.query(
    `UPDATE idempotency_keys
     SET state = 'completed', response_status = $3, response_body = $4::jsonb, completed_at = now()
     WHERE merchant_id = $1 AND key = $2 AND state = 'in_progress'`,
    [ref.merchantId, ref.key, ref.status, jsonParam(ref.body)],
  );
  return (rowCount ?? 0) > 0;
}

/** Releases a claim without an answer (after a 5xx), so a retry with the same key runs again. */
export async function abandonIdempotent(db: Queryable, ref: IdempotencyKeyRef): Promise<boolean> {
  assertKey(ref);
  const { rowCount } = await db.query(
    `DELETE FROM idempotency_keys WHERE merchant_id = $1 AND key = $2 AND state = 'in_progress'`,
    [ref.merchantId, ref.key],
  );
  return (rowCount ?? 0) > 0;
}

/** Deletes records created before `olderThan` (Stripe keeps keys for 24 hours); returns how many. */
export async function purgeIdempotencyKeys(db: Queryable, olderThan: Date): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM idempotency_keys WHERE created_at < $1', [olderThan]);
  return rowCount ?? 0;
}

function assertKey(ref: IdempotencyKeyRef): void {
  assertText(ref.merchantId, 'merchantId');
  if (typeof ref.key !== 'string' || ref.key.length < 1 || ref.key.length > 255) {
    throw new RangeError('idempotency key must be 1 to 255 characters');
  }
}
