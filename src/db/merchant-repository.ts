// Merchants known to this installation (API keys belong to one).
import type { Queryable } from './pool.js';
import { assertText, toIso } from './row-values.js';

export interface MerchantRow {
  id: string;
  name: string;
  createdAt: string;
}

/** Creates a merchant or renames an existing one. */
export async function upsertMerchant(db: Queryable, merchant: { id: string; name: string }): Promise<MerchantRow> {
  assertText(merchant.id, 'id');
  const { rows } = await db.query(
    `INSERT INTO merchants (id, name) VALUES ($1, $2)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name
     RETURNING id, name, created_at`,
    [merchant.id, merchant.name],
  );
  return toMerchant(rows[0] as Record<string, unknown>);
}

/** One merchant by id. */
export async function getMerchant(db: Queryable, id: string): Promise<MerchantRow | undefined> {
  const { rows } = await db.query('SELECT id, name, created_at FROM merchants WHERE id = $1', [id]);
  return rows[0] ? toMerchant(rows[0]) : undefined;
}

function toMerchant(r: Record<string, unknown>): MerchantRow {
  return { id: r.id as string, name: r.name as string, createdAt: toIso(r.created_at) };
}
