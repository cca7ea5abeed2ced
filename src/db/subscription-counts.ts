// Subscriptions counted by status, for the recur_subscriptions gauge.
import type { Queryable } from './pool.js';

/** How many subscriptions have each status (statuses without any are left out). */
export async function countSubscriptionsByStatus(db: Queryable): Promise<Array<{ status: string; count: number }>> {
  const { rows } = await db.query<{ status: string; count: string }>(
    'SELECT status, count(*) AS count FROM subscriptions GROUP BY status ORDER BY status',
  );
  return rows.map((row) => ({ status: row.status, count: Number(row.count) }));
}
