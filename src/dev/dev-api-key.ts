// The dev merchant's API key: created once, kept in .data (git-ignored, mode 0600) so it survives restarts.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type pg from 'pg';
import { API_KEY_PREFIXES, createApiKey, findMerchantByApiKey, type ApiKeyMode } from '../db/index.js';

/**
 * Returns the stored key when the database still knows it and its prefix is of `mode`, else creates and stores a
 * new one. `mode` is `test` (the default: a dev stack runs on the sandbox) unless the deployment uses real 2C2P.
 */
export async function devApiKey(
  pool: pg.Pool,
  merchantId: string,
  file: string,
  options: { mode?: ApiKeyMode } = {},
): Promise<string> {
  const mode = options.mode ?? 'test';
  if (existsSync(file)) {
    const key = readFileSync(file, 'utf8').trim();
    // A key minted for the sandbox is not reused once the deployment moves to real 2C2P, nor the other way.
    const found = key.startsWith(API_KEY_PREFIXES[mode]) ? await findMerchantByApiKey(pool, key) : undefined;
    if (found?.merchantId === merchantId) return key;
  }
  const { key } = await createApiKey(pool, merchantId, { mode });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}
