// The dev merchant's API key: created once, kept in .data (git-ignored, mode 0600) so it survives restarts.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type pg from 'pg';
import { createApiKey, findMerchantByApiKey } from '../db/index.js';

/** Returns the stored key when the database still knows it, else creates and stores a new one. */
export async function devApiKey(pool: pg.Pool, merchantId: string, file: string): Promise<string> {
  if (existsSync(file)) {
    const key = readFileSync(file, 'utf8').trim();
    const found = await findMerchantByApiKey(pool, key);
    if (found?.merchantId === merchantId) return key;
  }
  const { key } = await createApiKey(pool, merchantId);
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}
