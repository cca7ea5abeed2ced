// The dev merchant's webhook endpoint, pointing at the dev receiver: created once, its id and secret kept in .data
// (git-ignored, mode 0600) so the receiver can verify deliveries after a restart.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type pg from 'pg';
import { createEndpoint, getEndpoint, updateEndpoint } from '../db/index.js';

/** Returns the stored endpoint when the database still has it (pointed at `url`, enabled), else creates one. */
export async function devWebhookEndpoint(
  pool: pg.Pool,
  merchantId: string,
  url: string,
  file: string,
): Promise<{ id: string; secret: string }> {
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { id?: string; secret?: string };
    if (stored.id && stored.secret && (await getEndpoint(pool, stored.id, merchantId))) {
      await updateEndpoint(pool, stored.id, merchantId, { url, status: 'enabled' });
      return { id: stored.id, secret: stored.secret };
    }
  }
  const { row, secret } = await createEndpoint(pool, {
    merchantId,
    url,
    enabledEvents: ['*'],
    description: 'npm run dev receiver',
  });
  writeFileSync(file, `${JSON.stringify({ id: row.id, secret })}\n`, { mode: 0o600 });
  return { id: row.id, secret };
}
